package dev.sharkfin.index;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Packet indexing.
 *
 * @param prefix                 per-upload index name prefix; the job id follows
 * @param bulkActions            documents per bulk request at most
 * @param bulkSize               bytes per bulk request at most
 * @param concurrentRequests     bulk requests in flight per job, retries included; adding waits beyond that (back-pressure)
 * @param flushInterval          a partly filled bulk request is sent after this long
 * @param maxFailuresKept        per-document failure reasons kept on a job (all are counted)
 * @param retryFor               how long a request Elasticsearch does not take (no answer, 429, 5xx) is tried again
 *                               before the job fails with its documents counted as failed
 * @param retryInitialBackoff    the pause before the first retry; it doubles from try to try
 * @param retryMaxBackoff        the longest pause between two tries
 */
@ConfigurationProperties("sharkfin.index")
public record IndexProperties(
        @DefaultValue("packets-") String prefix,
        @DefaultValue("5000") int bulkActions,
        @DefaultValue("8MB") DataSize bulkSize,
        @DefaultValue("2") int concurrentRequests,
        @DefaultValue("1s") Duration flushInterval,
        @DefaultValue("20") int maxFailuresKept,
        @DefaultValue("5m") Duration retryFor,
        @DefaultValue("500ms") Duration retryInitialBackoff,
        @DefaultValue("30s") Duration retryMaxBackoff) {

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retryFor, retryInitialBackoff, retryMaxBackoff);
    }
}
