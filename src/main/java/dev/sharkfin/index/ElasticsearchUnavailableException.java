package dev.sharkfin.index;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Elasticsearch did not answer; the message says what Sharkfin was doing. */
public class ElasticsearchUnavailableException extends UncheckedIOException {
    public ElasticsearchUnavailableException(String message, IOException cause) {
        super(message, cause);
    }
}
