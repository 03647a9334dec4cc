package dev.sharkfin.index;

import java.util.List;

import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;
import org.springframework.boot.elasticsearch.autoconfigure.ElasticsearchConnectionDetails;
import org.springframework.boot.elasticsearch.autoconfigure.ElasticsearchProperties;
import org.springframework.boot.elasticsearch.autoconfigure.Rest5ClientBuilderCustomizer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default: with no {@code spring.elasticsearch.uris} configured, Sharkfin starts a real
 * Elasticsearch and points Spring's client at it. A configured URL replaces it entirely.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EmbeddedElasticsearchProperties.class, IndexProperties.class})
class ElasticsearchConfig {

    @Bean(destroyMethod = "close")
    @Conditional(NoConfiguredElasticsearch.class)
    EmbeddedElasticsearch embeddedElasticsearch(EmbeddedElasticsearchProperties props) {
        EmbeddedElasticsearch es = new EmbeddedElasticsearch(props);
        es.start();
        return es;
    }

    @Bean
    @Conditional(NoConfiguredElasticsearch.class)
    ElasticsearchConnectionDetails embeddedConnectionDetails(EmbeddedElasticsearch es) {
        return new ElasticsearchConnectionDetails() {
            @Override
            public List<Node> getNodes() {
                return List.of(new Node(es.uri().getHost(), es.uri().getPort(), Node.Protocol.HTTP, null, null));
            }
        };
    }

    /**
     * Makes {@code spring.elasticsearch.socket-timeout} bound a request's wait for its answer. Spring Boot sets it
     * as the connection's socket timeout, but the Elasticsearch client's request config has a response timeout of
     * 0 (none), which replaces the socket timeout while a request waits for its answer: a request to a stalled
     * Elasticsearch (paused, swapping, a half-open connection) then waited for ever, and retrying never began.
     */
    @Bean
    Rest5ClientBuilderCustomizer responseTimeoutIsTheSocketTimeout(ElasticsearchProperties elasticsearch) {
        return new Rest5ClientBuilderCustomizer() {
            @Override
            public void customize(Rest5ClientBuilder builder) {
            }

            @Override
            public void customize(RequestConfig.Builder request) {
                java.time.Duration t = elasticsearch.getSocketTimeout();
                if (t != null && t.isPositive()) {
                    request.setResponseTimeout(Timeout.of(t));
                }
            }
        };
    }

    /**
     * {@code embeddedElasticsearch} in {@code /actuator/health}: UP while the supervised node runs; DOWN while it
     * restarts, or for good once its restarts are used up, with the reason.
     */
    @Bean
    @Conditional(NoConfiguredElasticsearch.class)
    HealthIndicator embeddedElasticsearchHealthIndicator(EmbeddedElasticsearch es) {
        return () -> {
            EmbeddedElasticsearch.Status s = es.status();
            Health.Builder h = s.state() == EmbeddedElasticsearch.State.UP ? Health.up() : Health.down();
            return h.withDetail("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                    .withDetail("detail", s.detail())
                    .withDetail("uri", es.uri().toString())
                    .withDetail("pid", es.pid())
                    .withDetail("restarts", es.restartCount())
                    .build();
        };
    }

    static final class NoConfiguredElasticsearch implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var env = context.getEnvironment();
            String uris = env.getProperty("spring.elasticsearch.uris");
            return (uris == null || uris.isBlank())
                    && env.getProperty("sharkfin.elasticsearch.embedded.enabled", Boolean.class, true);
        }
    }
}
