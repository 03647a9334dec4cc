package dev.sharkfin.index;

/**
 * The embedded Elasticsearch could not start (or start again): the message says what happened and what to change.
 * At start-up, {@link EmbeddedElasticsearchFailureAnalyzer} turns it into Spring Boot's short failure report
 * instead of a stack trace.
 */
public class EmbeddedElasticsearchException extends IllegalStateException {
    public EmbeddedElasticsearchException(String message) {
        super(message);
    }

    public EmbeddedElasticsearchException(String message, Throwable cause) {
        super(message, cause);
    }
}
