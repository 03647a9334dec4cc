package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

/**
 * The sink's retries over real HTTP against a stub that answers {@code _bulk} the way Elasticsearch does when it is
 * busy, failing or gone: what is retried, what fails at once, the counts, the give-up reason, and that the reading
 * thread waits (bounded memory) while Elasticsearch does not answer.
 */
class PacketSinkRetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private ElasticsearchClient client;
    /** Per document id: how many times it was indexed (answered 201). */
    private final Map<String, AtomicInteger> indexedTimes = new ConcurrentHashMap<>();
    private final AtomicInteger bulkRequests = new AtomicInteger();

    /** How the stub answers one bulk request (numbered from 1): per document, a status and error type, or the whole request. */
    interface Script {
        /** Null: answer per document; else the whole request's HTTP status. */
        default Integer whole(int request) {
            return null;
        }

        /** For a document: 201, or an error status. */
        int status(int request, String id, int attempt);

        default String type(int status) {
            return switch (status) {
                case 429 -> "es_rejected_execution_exception";
                case 503 -> "unavailable_shards_exception";
                default -> "mapper_parsing_exception";
            };
        }
    }

    private void start(Script script, CountDownLatch hold) throws IOException {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            try {
                if (hold != null) {
                    hold.await(30, TimeUnit.SECONDS);
                }
                int request = bulkRequests.incrementAndGet();
                String[] lines = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n");
                Integer whole = script.whole(request);
                if (whole != null) {
                    answer(ex, whole, "{\"error\": {\"type\": \"stub\", \"reason\": \"status " + whole + "\"}, \"status\": " + whole + "}");
                    return;
                }
                List<String> items = new ArrayList<>();
                for (int i = 0; i + 1 < lines.length; i += 2) {
                    JsonNode action = JSON.readTree(lines[i]).get("index");
                    String id = action.get("_id").asText();
                    int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    int status = script.status(request, id, attempt);
                    if (status == 201) {
                        indexedTimes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        items.add("{\"index\": {\"_index\": \"packets-t\", \"_id\": \"" + id + "\", \"_version\": 1, \"result\": \"created\", "
                                + "\"_shards\": {\"total\": 1, \"successful\": 1, \"failed\": 0}, \"_seq_no\": 0, \"_primary_term\": 1, \"status\": 201}}");
                    } else {
                        items.add("{\"index\": {\"_index\": \"packets-t\", \"_id\": \"" + id + "\", \"status\": " + status
                                + ", \"error\": {\"type\": \"" + script.type(status) + "\", \"reason\": \"stub " + status + "\"}}}");
                    }
                }
                answer(ex, 200, "{\"took\": 1, \"errors\": true, \"items\": [" + String.join(",", items) + "]}");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        client = ElasticsearchClient.of(b -> b.host("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client._transport().close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static IndexProperties props(int bulkActions, int concurrent, Duration retryFor) {
        return new IndexProperties("packets-", bulkActions, DataSize.ofMegabytes(8), concurrent, Duration.ofMillis(200), 20,
                retryFor, Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private static byte[] doc(long frame) {
        return ("{\"frame\": {\"frame_number\": " + frame + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void documentsRefusedForNowAreRetriedAndMappingErrorsFailAtOnce() throws Exception {
        // Every third document is rejected (429) twice, frame 7 once with 503 unavailable_shards; frame 10 is a mapping error.
        start((request, id, attempt) -> {
            long frame = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
            if (frame == 10) {
                return 400;
            }
            if (frame == 7 && attempt == 1) {
                return 503;
            }
            return frame % 3 == 0 && attempt <= 2 ? 429 : 201;
        }, null);
        PacketSink sink = new PacketSink(client, props(25, 2, Duration.ofSeconds(30)), "packets-t", "t");
        for (long f = 1; f <= 100; f++) {
            sink.add(f, doc(f));
        }
        sink.close();
        assertThat(sink.indexed()).isEqualTo(99);
        assertThat(sink.failed()).isEqualTo(1);
        assertThat(sink.failures()).singleElement().satisfies(f -> {
            assertThat(f.frame()).isEqualTo(10);
            assertThat(f.reason()).startsWith("mapper_parsing_exception: stub 400");
        });
        assertThat(sink.gaveUp()).isNull();
        assertThat(indexedTimes).hasSize(99);
        assertThat(indexedTimes.values()).allSatisfy(n -> assertThat(n.get()).as("indexed once").isEqualTo(1));
        // 4 requests of 25; each holds multiples of 3, rejected twice: 2 retries each; the first also holds frame 7.
        assertThat(sink.retriedRequests()).isEqualTo(8);
        assertThat(sink.retrySummary()).startsWith("Elasticsearch was unavailable or busy: 8 bulk requests were retried");
    }

    @Test
    void wholeRequestsAnswered429Or5xxAreSentAgain() throws Exception {
        start(new Script() {
            @Override
            public Integer whole(int request) {
                return request == 1 ? Integer.valueOf(503) : request == 2 ? Integer.valueOf(429) : request == 3 ? Integer.valueOf(502) : null;
            }

            @Override
            public int status(int request, String id, int attempt) {
                return 201;
            }
        }, null);
        PacketSink sink = new PacketSink(client, props(50, 1, Duration.ofSeconds(30)), "packets-t", "t");
        for (long f = 1; f <= 120; f++) {
            sink.add(f, doc(f));
        }
        sink.close();
        assertThat(sink.indexed()).isEqualTo(120);
        assertThat(sink.failed()).isZero();
        assertThat(sink.retriedRequests()).isEqualTo(3);
        assertThat(indexedTimes).hasSize(120);
        assertThat(indexedTimes.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void aRequestRefusedForGoodIsNotRetried() throws Exception {
        start(new Script() {
            @Override
            public Integer whole(int request) {
                return 400;
            }

            @Override
            public int status(int request, String id, int attempt) {
                return 201;
            }
        }, null);
        PacketSink sink = new PacketSink(client, props(10, 1, Duration.ofSeconds(30)), "packets-t", "t");
        for (long f = 1; f <= 30; f++) {
            sink.add(f, doc(f));
        }
        sink.close();
        assertThat(sink.failed()).isEqualTo(30);
        assertThat(sink.retriedRequests()).isZero();
        assertThat(bulkRequests.get()).isEqualTo(3);
        assertThat(sink.gaveUp()).isNull();
        assertThat(sink.failures().getFirst().reason()).startsWith("bulk request failed: ");
    }

    @Test
    void elasticsearchGoneLongerThanRetryForFailsTheRestWithTheReasonAndExactCounts() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        client = ElasticsearchClient.of(b -> b.host("http://127.0.0.1:" + closedPort));
        PacketSink sink = new PacketSink(client, props(10, 2, Duration.ofSeconds(1)), "packets-t", "t");
        long added = 0;
        long t0 = System.nanoTime();
        for (long f = 1; f <= 1000 && sink.gaveUp() == null; f++) {
            sink.add(f, doc(f));
            added++;
        }
        sink.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(sink.gaveUp()).startsWith("Elasticsearch unavailable for 1s (sharkfin.index.retry-for): ")
                .contains("Connect");
        assertThat(sink.indexed()).isZero();
        assertThat(sink.failed()).isEqualTo(added);
        assertThat(added).as("the reader waited, then stopped: it did not queue the whole capture").isLessThan(1000);
        assertThat(sink.failures()).hasSize(20).allSatisfy(f -> assertThat(f.reason()).isEqualTo(sink.gaveUp()));
        assertThat(sink.retriedRequests()).isPositive();
        assertThat(tookMs).as("gave up once retry-for was up, not much later").isLessThan(15_000);
        System.out.printf("[sink retry] closed port: %d added, %d failed, %d retries, gave up after %d ms%n", added,
                sink.failed(), sink.retriedRequests(), tookMs);
    }

    @Test
    void theReadingThreadWaitsWhileElasticsearchDoesNotAnswer() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        start((request, id, attempt) -> 201, hold);
        PacketSink sink = new PacketSink(client, props(10, 2, Duration.ofSeconds(30)), "packets-t", "t");
        AtomicLong added = new AtomicLong();
        Thread reader = new Thread(() -> {
            for (long f = 1; f <= 1000; f++) {
                sink.add(f, doc(f));
                added.set(f);
            }
        });
        reader.start();
        Thread.sleep(1500);
        // Two requests at the senders, one being handed over, one being filled: at most 4 × 10 documents held.
        assertThat(added.get()).as("documents accepted while Elasticsearch does not answer").isLessThanOrEqualTo(40);
        assertThat(reader.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        hold.countDown();
        reader.join(30_000);
        assertThat(reader.isAlive()).as("the reader went on once Elasticsearch answered").isFalse();
        sink.close();
        assertThat(sink.indexed()).isEqualTo(1000);
        assertThat(indexedTimes).hasSize(1000);
    }

    /**
     * The request is the NDJSON Elasticsearch takes, the response is asked for filtered, and an answer that says nothing
     * failed is believed without items (what filter_path leaves is not read past "errors": false).
     */
    @Test
    void bodiesAreNdjsonAndAnAnswerWithoutErrorsCountsEveryDocument() throws Exception {
        List<String> uris = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", ex -> {
            uris.add(ex.getRequestURI().toString());
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(ex, 200, "{\"errors\":false}");
        });
        server.start();
        client = ElasticsearchClient.of(b -> b.host("http://127.0.0.1:" + server.getAddress().getPort()));
        PacketSink sink = new PacketSink(client, props(50, 2, Duration.ofSeconds(30)), "packets-t", "t");
        for (long f = 1; f <= 120; f++) {
            byte[] d = doc(f);
            byte[] padded = java.util.Arrays.copyOf(d, d.length + 7); // only the first d.length bytes are the document
            sink.add(f, padded, d.length);
        }
        sink.close();
        assertThat(sink.indexed()).isEqualTo(120);
        assertThat(sink.failed()).isZero();
        assertThat(uris).hasSize(3).allSatisfy(u -> assertThat(java.net.URLDecoder.decode(u, StandardCharsets.UTF_8))
                .isEqualTo("/packets-t/_bulk?filter_path=" + PacketSink.FILTER_PATH));
        StringBuilder expected = new StringBuilder();
        for (long f = 1; f <= 120; f++) {
            expected.append("{\"index\":{\"_id\":\"t-").append(f).append("\"}}\n").append(new String(doc(f), StandardCharsets.UTF_8))
                    .append('\n');
        }
        List<String> sorted = new ArrayList<>(bodies);
        sorted.sort(java.util.Comparator.comparingInt(b -> Integer.parseInt(b.substring(b.indexOf("t-") + 2, b.indexOf("\"}}")))));
        assertThat(String.join("", sorted)).isEqualTo(expected.toString());
    }
}
