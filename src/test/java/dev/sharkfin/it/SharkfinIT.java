package dev.sharkfin.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole service on a random port against the real, embedded Elasticsearch. Every class with this
 * annotation shares one Spring context, so Elasticsearch starts once per test run. An {@link Integration} test:
 * {@code ./mvnw verify} runs it, {@code ./mvnw test} does not.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Integration
public @interface SharkfinIT {
}
