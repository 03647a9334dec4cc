package dev.sharkfin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SharkfinApplication {
    public static void main(String[] args) {
        SpringApplication.run(SharkfinApplication.class, args);
    }
}
