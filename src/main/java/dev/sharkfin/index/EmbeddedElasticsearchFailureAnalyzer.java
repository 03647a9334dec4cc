package dev.sharkfin.index;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Start-up failures of the embedded Elasticsearch end with Spring Boot's "APPLICATION FAILED TO START" report: the
 * message (what happened, with the node's last output when it ran) and one line on what to do, no stack trace.
 * Registered in {@code META-INF/spring.factories}.
 */
class EmbeddedElasticsearchFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedElasticsearchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedElasticsearchException cause) {
        return new FailureAnalysis("The embedded Elasticsearch did not start. " + cause.getMessage(),
                "Fix what the description names (sharkfin.elasticsearch.embedded.*), or use an Elasticsearch of your "
                        + "own with spring.elasticsearch.uris=http://host:9200.",
                cause);
    }
}
