package dev.sharkfin.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;

/**
 * Bulk-indexes one job's documents into its index. Every document added ends up counted exactly once,
 * as indexed or as failed with Elasticsearch's reason (per item, or the whole request's error), so
 * {@code added == indexed + failed} once {@link #close()} returns.
 *
 * <p>Document ids are {@code <jobId>-<frame>}: a retried request overwrites rather than duplicates.
 */
public final class PacketSink implements AutoCloseable {
    private final String index;
    private final String idPrefix;
    private final BulkIngester<Long> ingester;
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final int maxFailuresKept;
    private final List<IndexFailure> failures = new ArrayList<>();

    PacketSink(ElasticsearchClient client, IndexProperties props, String index, String jobId) {
        this.index = index;
        this.idPrefix = jobId + "-";
        this.maxFailuresKept = props.maxFailuresKept();
        this.ingester = BulkIngester.of(b -> b
                .client(client)
                .maxOperations(props.bulkActions())
                .maxSize(props.bulkSize().toBytes())
                .maxConcurrentRequests(props.concurrentRequests())
                .flushInterval(props.flushInterval().toMillis(), TimeUnit.MILLISECONDS)
                .listener(new Listener()));
    }

    public String index() {
        return index;
    }

    /** Queues one document; waits when the configured number of bulk requests is already in flight. */
    public void add(long frame, byte[] json) {
        String id = idPrefix + frame;
        BinaryData doc = BinaryData.of(json, ContentType.APPLICATION_JSON);
        ingester.add(BulkOperation.of(o -> o.index(i -> i.index(index).id(id).document(doc))), frame);
    }

    public long indexed() {
        return indexed.get();
    }

    public long failed() {
        return failed.get();
    }

    public synchronized List<IndexFailure> failures() {
        return List.copyOf(failures);
    }

    private synchronized void fail(long frame, String reason) {
        failed.incrementAndGet();
        if (failures.size() < maxFailuresKept) {
            failures.add(new IndexFailure(frame, reason));
        }
    }

    /** Sends what is queued and waits for every request to be answered. */
    @Override
    public void close() {
        ingester.close();
    }

    private final class Listener implements BulkListener<Long> {
        @Override
        public void beforeBulk(long executionId, BulkRequest request, List<Long> contexts) {
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Long> contexts, BulkResponse response) {
            List<BulkResponseItem> items = response.items();
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                long frame = i < contexts.size() && contexts.get(i) != null ? contexts.get(i) : -1;
                if (item.error() == null) {
                    indexed.incrementAndGet();
                } else {
                    var e = item.error();
                    String reason = e.type() + ": " + e.reason()
                            + (e.causedBy() != null ? " (caused by " + e.causedBy().type() + ": " + e.causedBy().reason() + ")" : "");
                    fail(frame, reason);
                }
            }
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Long> contexts, Throwable failure) {
            String reason = "bulk request failed: " + failure;
            for (Long frame : contexts) {
                fail(frame == null ? -1 : frame, reason);
            }
        }
    }
}
