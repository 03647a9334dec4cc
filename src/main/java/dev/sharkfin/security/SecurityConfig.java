package dev.sharkfin.security;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts {@link AccessFilter} in front of everything the servlet container serves (the API, the pages, Swagger UI,
 * the actuator), right after character encoding, so no other filter or controller sees a request it refuses.
 * Registered here rather than as a component so that controller slice tests ({@code @WebMvcTest}) stay without it.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
    @Bean
    FilterRegistrationBean<AccessFilter> accessFilter(ApiKeys keys, LoginSessions sessions, SecurityHeaders headers,
            Origins origins) {
        FilterRegistrationBean<AccessFilter> r = new FilterRegistrationBean<>(new AccessFilter(keys, sessions, headers, origins));
        r.setName("sharkfinAccess");
        r.addUrlPatterns("/*");
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return r;
    }
}
