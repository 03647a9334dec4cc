package dev.sharkfin.kibana;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KibanaProperties.class)
class KibanaConfig {
}
