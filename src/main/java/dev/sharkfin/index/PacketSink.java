package dev.sharkfin.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

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
 *
 * <p>Cost (issue 10): a request is one NDJSON byte buffer, filled as documents come (no object per document), sent
 * through the client's low-level transport; the response is asked for with {@code filter_path} down to
 * {@code errors} and each item's status and error, and read no further than {@code "errors": false} when nothing
 * failed, which is the common case.
 */
public final class PacketSink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketSink.class);
    private static final BulkBody END = new BulkBody(new byte[0], 0);
    /** What of the bulk response is read: whether anything failed, and per item its status and error. */
    static final String FILTER_PATH = "errors,items.*.status,items.*.error.type,items.*.error.reason,"
            + "items.*.error.caused_by.type,items.*.error.caused_by.reason";
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    /** Reads the items array in the middle of the response (which goes on after it). */
    private static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final Rest5Client client;
    private final String endpoint;
    /** The start of every action line, up to the frame number: index, id and the job id (the index is in the endpoint). */
    private final byte[] actionStart;
    private final String index;
    private final String jobId;
    private final String idPrefix;
    private final RetryPolicy retry;
    private final int maxActions;
    private final long maxBytes;
    private final long flushNanos;
    private final int maxFailuresKept;
    private final SynchronousQueue<BulkBody> handOff = new SynchronousQueue<>();
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
    private final java.util.concurrent.ConcurrentLinkedQueue<BulkBody> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile int largest;
    /** Guarded by this: the request being filled. */
    private BulkBody building;

    PacketSink(ElasticsearchClient client, IndexProperties props, String index, String jobId) {
        if (!(client._transport() instanceof Rest5ClientTransport transport)) {
            throw new IllegalStateException("bulk requests need the Rest5Client transport, not " + client._transport().getClass());
        }
        this.client = transport.restClient();
        this.endpoint = "/" + index + "/_bulk";
        this.actionStart = ("{\"index\":{\"_id\":\"" + jobId + "-").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.index = index;
        this.jobId = jobId;
        this.idPrefix = jobId + "-";
        this.retry = props.retryPolicy();
        this.maxActions = Math.max(1, props.bulkActions());
        this.maxBytes = Math.max(1, props.bulkSize().toBytes());
        this.flushNanos = props.flushInterval().toNanos();
        this.maxFailuresKept = props.maxFailuresKept();
        this.building = newBulkBody();
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
        add(frame, json, json.length);
    }

    /** As {@link #add(long, byte[])}, with the document in {@code json[0, length)}, copied before this returns. */
    public void add(long frame, byte[] json, int length) {
        String stop = gaveUp;
        if (stop != null) {
            fail(frame, stop);
            return;
        }
        BulkBody full = null;
        synchronized (this) {
            building.add(frame, json, length);
            if (building.count() >= maxActions || building.length() >= maxBytes) {
                full = building;
                building = newBulkBody();
            }
        }
        if (full != null) {
            handOff(full);
        }
    }

    /**
     * An empty body: one a sender is done with, or a new one as large as the largest so far, so that neither growing
     * a body nor allocating one is paid per request once the job runs.
     */
    private BulkBody newBulkBody() {
        BulkBody b = free.poll();
        return b != null ? b : new BulkBody(actionStart, Math.max(largest, 1 << 16));
    }

    /** Keeps a delivered body for the next request, as many as can be in use at once. */
    private void recycle(BulkBody b) {
        largest = Math.max(largest, b.capacity());
        if (free.size() < senders.size() + 2) {
            b.clear();
            free.offer(b);
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

    private void failAll(BulkBody docs, String reason) {
        for (int i = 0; i < docs.count(); i++) {
            fail(docs.frame(i), reason);
        }
    }

    /** Sends what is queued and waits until every request is answered or given up. */
    @Override
    public void close() {
        BulkBody last;
        synchronized (this) {
            last = building;
            building = newBulkBody();
        }
        if (last.count() > 0) {
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
    private void handOff(BulkBody batch) {
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
            BulkBody b;
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
                    deliver(b);
                } catch (RuntimeException | Error e) {
                    log.error("Job {}: indexing a bulk request failed", jobId, e);
                    failAll(b, "bulk request failed: " + RetryPolicy.describe(e));
                }
                recycle(b);
            }
        }
    }

    /** The request being filled, when its first document waited {@code flush-interval}. */
    private synchronized BulkBody takeIfDue() {
        if (building.count() == 0 || System.nanoTime() - building.startNanos() < flushNanos) {
            return null;
        }
        BulkBody b = building;
        building = newBulkBody();
        return b;
    }

    /** Sends one request until every document in it is indexed or failed. */
    private void deliver(BulkBody docs) {
        BulkBody pending = docs;
        long firstFailure = 0;
        for (int attempt = 0; ; attempt++) {
            String stop = gaveUp;
            if (stop != null) {
                failAll(pending, stop);
                return;
            }
            Attempt a = send(pending);
            long now = System.nanoTime();
            if (a.again.count() == 0) {
                if (attempt > 0) {
                    recovered(now - firstFailure);
                }
                return;
            }
            if (attempt == 0) {
                firstFailure = now;
                waiting(a.reason, a.again.count());
            }
            var pause = retry.pause(attempt, Duration.ofNanos(now - firstFailure));
            if (pause.isEmpty()) {
                giveUp(a.reason);
                failAll(a.again, gaveUp);
                return;
            }
            retriedRequests.incrementAndGet();
            retriedDocuments.addAndGet(a.again.count());
            if (!sleep(pause.get())) {
                giveUp("interrupted while waiting to retry: " + a.reason);
                failAll(a.again, gaveUp);
                return;
            }
            pending = a.again;
        }
    }

    /** The documents to send again (none when done) and why. */
    private record Attempt(BulkBody again, String reason) {
    }

    private static final Attempt DONE = new Attempt(new BulkBody(new byte[0], 0), null);

    private Attempt send(BulkBody docs) {
        Request request = new Request("POST", endpoint);
        request.addParameter("filter_path", FILTER_PATH);
        request.setEntity(new ByteArrayEntity(docs.bytes(), 0, docs.length(), NDJSON));
        byte[] body;
        int status;
        try {
            Response response;
            try {
                response = client.performRequest(request);
            } catch (ResponseException e) {
                response = e.getResponse();
            }
            status = response.getStatusCode();
            body = EntityUtils.toByteArray(response.getEntity());
        } catch (Exception e) {
            if (RetryPolicy.transientFailure(e)) {
                return new Attempt(docs, RetryPolicy.describe(e));
            }
            failAll(docs, "bulk request failed: " + RetryPolicy.describe(e));
            return DONE;
        }
        if (status < 200 || status > 299) {
            String why = "HTTP " + status + ": " + new String(body, 0, Math.min(body.length, 500), java.nio.charset.StandardCharsets.UTF_8);
            if (RetryPolicy.transientStatus(status)) {
                return new Attempt(docs, why);
            }
            failAll(docs, "bulk request failed: " + why);
            return DONE;
        }
        return answered(docs, body);
    }

    /** Counts what the (filtered) response says of each document; reads the items only when something failed. */
    private Attempt answered(BulkBody docs, byte[] body) {
        JsonNode items = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                failAll(docs, "the bulk response is not a JSON object");
                return DONE;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("errors") && value == JsonToken.VALUE_FALSE) {
                    indexed.addAndGet(docs.count());
                    return DONE;
                }
                if (name.equals("items")) {
                    items = JSON.readTree(p);
                } else {
                    p.skipChildren();
                }
            }
        } catch (RuntimeException e) {
            failAll(docs, "the bulk response cannot be read: " + RetryPolicy.describe(e));
            return DONE;
        }
        return items(docs, items);
    }

    private Attempt items(BulkBody docs, JsonNode items) {
        BulkBody again = null;
        String reason = null;
        for (int i = 0; i < docs.count(); i++) {
            long frame = docs.frame(i);
            JsonNode item = items != null && i < items.size() ? items.get(i).get("index") : null;
            JsonNode error = item == null ? null : item.get("error");
            int status = item == null ? 0 : item.path("status").asInt();
            if (item == null) {
                fail(frame, "the bulk response has no answer for this document");
            } else if (error == null || error.isNull()) {
                indexed.incrementAndGet();
            } else if (RetryPolicy.transientItem(status, error.path("type").asString(null))) {
                if (again == null) {
                    again = new BulkBody(actionStart, docs.length());
                }
                again.copy(docs, i);
                reason = "status " + status + ", " + reason(error);
            } else {
                fail(frame, reason(error));
            }
        }
        return again == null ? DONE : new Attempt(again, reason);
    }

    private static String reason(JsonNode e) {
        JsonNode cause = e.get("caused_by");
        return e.path("type").asString(null) + ": " + e.path("reason").asString(null) + (cause != null && !cause.isNull()
                ? " (caused by " + cause.path("type").asString(null) + ": " + cause.path("reason").asString(null) + ")" : "");
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
}
