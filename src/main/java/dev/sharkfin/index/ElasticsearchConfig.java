package dev.sharkfin.index;

import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.elasticsearch.autoconfigure.ElasticsearchConnectionDetails;
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
