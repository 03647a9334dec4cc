package dev.sharkfin.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;

/**
 * Bulk-indexes one job's documents into its index. Every document added ends up counted exactly once, as indexed
 * or as failed with Elasticsearch's reason, so {@code added == indexed + failed} once {@link #close()} returns.
 *
 * <p>Document ids are {@code <jobId>-<frame>}: a retried request overwrites rather than duplicates.
 *
 * <p>Retries: a request Elasticsearch does not take (no answer, 429, 5xx) and the documents it refuses for a
 * transient reason ({@link RetryPolicy}) are sent again with a doubling backoff, for {@code retry-for} from their
 * first failure. Documents refused for good (a mapping error) count as failed at once. When one request runs out of
 * time the sink gives up: everything still pending or added later counts as failed with
 * {@link RetryPolicy#unavailable} as its reason, and {@link #gaveUp()} says so, for the job to stop reading.
 *
 * <p>Memory is bounded while Elasticsearch is away: {@code concurrent-requests} sender threads each own one request
 * until it is answered or given up (retries included), and a full request is handed to a sender through a
 * {@link SynchronousQueue}, so {@link #add} blocks the reading thread until a sender is free. At most
 * {@code concurrent-requests + 2} requests' worth of documents are held: one per sender, the one being handed over,
 * the one being filled.
 */
public final class PacketSink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketSink.class);
    /** Bytes a document's action line and framing add to its source in a bulk request, roughly. */
    private static final int ACTION_OVERHEAD = 64;
    private static final Batch END = new Batch();

    private final ElasticsearchClient client;
    private final String index;
    private final String jobId;
    private final String idPrefix;
    private final RetryPolicy retry;
    private final int maxActions;
    private final long maxBytes;
    private final long flushNanos;
    private final int maxFailuresKept;
    private final SynchronousQueue<Batch> handOff = new SynchronousQueue<>();
    private final List<Thread> senders = new ArrayList<>();
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retriedRequests = new AtomicLong();
    private final AtomicLong retriedDocuments = new AtomicLong();
    private final AtomicLong longestWaitNanos = new AtomicLong();
    private final List<IndexFailure> failures = new ArrayList<>();
    private volatile String gaveUp;
    /** Senders waiting out a failure now; a warning is logged when the first starts, and when the last recovers. */
    private int waiting;
    private long outageStartNanos;
    /** Guarded by this: the request being filled. */
    private Batch building = new Batch();

    PacketSink(ElasticsearchClient client, IndexProperties props, String index, String jobId) {
        this.client = client;
        this.index = index;
        this.jobId = jobId;
        this.idPrefix = jobId + "-";
        this.retry = props.retryPolicy();
        this.maxActions = Math.max(1, props.bulkActions());
        this.maxBytes = Math.max(1, props.bulkSize().toBytes());
        this.flushNanos = props.flushInterval().toNanos();
        this.maxFailuresKept = props.maxFailuresKept();
        long poll = Math.clamp(props.flushInterval().toMillis() / 4, 10, 250);
        for (int i = 0; i < Math.max(1, props.concurrentRequests()); i++) {
            Thread t = new Thread(() -> sendLoop(poll), "sharkfin-bulk-" + jobId + "-" + (i + 1));
            t.setDaemon(true);
            senders.add(t);
            t.start();
        }
    }

    public String index() {
        return index;
    }

    /**
     * Queues one document; waits while every sender is busy with a request (back-pressure: while Elasticsearch is
     * away, the job waits here).
     */
    public void add(long frame, byte[] json) {
        String stop = gaveUp;
        if (stop != null) {
            fail(frame, stop);
            return;
        }
        String id = idPrefix + frame;
        BinaryData doc = BinaryData.of(json, ContentType.APPLICATION_JSON);
        Doc d = new Doc(frame, BulkOperation.of(o -> o.index(i -> i.index(index).id(id).document(doc))));
        Batch full = null;
        synchronized (this) {
            building.add(d, json.length + id.length() + ACTION_OVERHEAD);
            if (building.docs.size() >= maxActions || building.bytes >= maxBytes) {
                full = building;
                building = new Batch();
            }
        }
        if (full != null) {
            handOff(full);
        }
    }

    public long indexed() {
        return indexed.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Null, or why the sink stopped sending: Elasticsearch stayed away longer than {@code retry-for}. */
    public String gaveUp() {
        return gaveUp;
    }

    /** Bulk requests sent again (each retry of each request counts). */
    public long retriedRequests() {
        return retriedRequests.get();
    }

    /** Documents sent again, counted per retry. */
    public long retriedDocuments() {
        return retriedDocuments.get();
    }

    /** Null, or a sentence for the job's warnings saying that requests were retried, how many, and the longest wait. */
    public String retrySummary() {
        long requests = retriedRequests.get();
        if (requests == 0) {
            return null;
        }
        long seconds = Math.round(longestWaitNanos.get() / 1e9);
        return "Elasticsearch was unavailable or busy: " + requests + " bulk request" + (requests == 1 ? " was" : "s were")
                + " retried (" + retriedDocuments.get() + " documents, each indexed once)" + (gaveUp == null
                        ? ", the longest after " + seconds + " s" : "");
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

    private void failAll(List<Doc> docs, String reason) {
        for (Doc d : docs) {
            fail(d.frame, reason);
        }
    }

    /** Sends what is queued and waits until every request is answered or given up. */
    @Override
    public void close() {
        Batch last;
        synchronized (this) {
            last = building;
            building = new Batch();
        }
        if (!last.docs.isEmpty()) {
            handOff(last);
        }
        for (int i = 0; i < senders.size(); i++) {
            handOff(END);
        }
        boolean interrupted = false;
        for (Thread t : senders) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands a request to a free sender, waiting for one; never loses it, even when interrupted. */
    private void handOff(Batch batch) {
        boolean interrupted = false;
        while (true) {
            try {
                handOff.put(batch);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendLoop(long pollMillis) {
        while (true) {
            Batch b;
            try {
                b = handOff.poll(pollMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                b = null;
            }
            if (b == null) {
                b = takeIfDue();
            }
            if (b == END) {
                return;
            }
            if (b != null) {
                try {
                    deliver(b.docs);
                } catch (RuntimeException | Error e) {
                    log.error("Job {}: indexing a bulk request failed", jobId, e);
                    failAll(b.docs, "bulk request failed: " + RetryPolicy.describe(e));
                }
            }
        }
    }

    /** The request being filled, when its first document waited {@code flush-interval}. */
    private synchronized Batch takeIfDue() {
        if (building.docs.isEmpty() || System.nanoTime() - building.startNanos < flushNanos) {
            return null;
        }
        Batch b = building;
        building = new Batch();
        return b;
    }

    /** Sends one request until every document in it is indexed or failed. */
    private void deliver(List<Doc> docs) {
        List<Doc> pending = docs;
        long firstFailure = 0;
        for (int attempt = 0; ; attempt++) {
            String stop = gaveUp;
            if (stop != null) {
                failAll(pending, stop);
                return;
            }
            Attempt a = send(pending);
            long now = System.nanoTime();
            if (a.again.isEmpty()) {
                if (attempt > 0) {
                    recovered(now - firstFailure);
                }
                return;
            }
            if (attempt == 0) {
                firstFailure = now;
                waiting(a.reason, a.again.size());
            }
            var pause = retry.pause(attempt, Duration.ofNanos(now - firstFailure));
            if (pause.isEmpty()) {
                giveUp(a.reason);
                failAll(a.again, gaveUp);
                return;
            }
            retriedRequests.incrementAndGet();
            retriedDocuments.addAndGet(a.again.size());
            if (!sleep(pause.get())) {
                giveUp("interrupted while waiting to retry: " + a.reason);
                failAll(a.again, gaveUp);
                return;
            }
            pending = a.again;
        }
    }

    /** The documents to send again (empty when done) and why. */
    private record Attempt(List<Doc> again, String reason) {
    }

    private Attempt send(List<Doc> docs) {
        List<BulkOperation> ops = new ArrayList<>(docs.size());
        for (Doc d : docs) {
            ops.add(d.op);
        }
        BulkResponse response;
        try {
            response = client.bulk(b -> b.operations(ops));
        } catch (Exception e) {
            if (RetryPolicy.transientFailure(e)) {
                return new Attempt(docs, RetryPolicy.describe(e));
            }
            failAll(docs, "bulk request failed: " + RetryPolicy.describe(e));
            return new Attempt(List.of(), null);
        }
        List<BulkResponseItem> items = response.items();
        List<Doc> again = new ArrayList<>();
        String reason = null;
        for (int i = 0; i < docs.size(); i++) {
            Doc d = docs.get(i);
            BulkResponseItem item = i < items.size() ? items.get(i) : null;
            if (item == null) {
                fail(d.frame, "the bulk response has no answer for this document");
            } else if (item.error() == null) {
                indexed.incrementAndGet();
            } else if (RetryPolicy.transientItem(item.status(), item.error().type())) {
                again.add(d);
                reason = "status " + item.status() + ", " + reason(item.error());
            } else {
                fail(d.frame, reason(item.error()));
            }
        }
        return new Attempt(again, reason);
    }

    private static String reason(ErrorCause e) {
        return e.type() + ": " + e.reason()
                + (e.causedBy() != null ? " (caused by " + e.causedBy().type() + ": " + e.causedBy().reason() + ")" : "");
    }

    private synchronized void waiting(String reason, int documents) {
        if (waiting++ == 0) {
            outageStartNanos = System.nanoTime();
            log.warn("Job {}: Elasticsearch did not take {} documents ({}); retrying for up to {}", jobId, documents,
                    reason, RetryPolicy.text(retry.retryFor()));
        }
    }

    private synchronized void recovered(long waitedNanos) {
        longestWaitNanos.accumulateAndGet(waitedNanos, Math::max);
        if (--waiting == 0) {
            log.info("Job {}: Elasticsearch takes documents again, after {} ms", jobId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStartNanos));
        }
    }

    private synchronized void giveUp(String reason) {
        if (gaveUp == null) {
            gaveUp = retry.unavailable(reason);
            log.error("Job {}: {}; its remaining documents count as failed", jobId, gaveUp);
        }
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Doc(long frame, BulkOperation op) {
    }

    /** One bulk request being filled. */
    private static final class Batch {
        final List<Doc> docs = new ArrayList<>();
        long bytes;
        long startNanos;

        void add(Doc d, long size) {
            if (docs.isEmpty()) {
                startNanos = System.nanoTime();
            }
            docs.add(d);
            bytes += size;
        }
    }
}
