package dev.sharkfin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import dev.sharkfin.it.Integration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

/**
 * Slow clients against the real server over raw sockets (the tester's attack: connections trickling a byte at a
 * time took every Tomcat thread, and health checks timed out). With a bound of 4 uploads at once and a 2 s grace
 * period: the extra uploads get 429 at once, the admitted slow ones are cut with 408, the health check answers
 * meanwhile, and no more than 4 threads are ever busy on uploads. Elasticsearch is never reached (no upload gets as
 * far as a job), and its health indicator is off so that health answers UP.
 */
@Integration
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sharkfin.capture.max-concurrent-uploads=4", "sharkfin.capture.busy-retry-after=7s",
        "sharkfin.capture.min-upload-rate=16KB", "sharkfin.capture.min-upload-rate-grace=2s",
        "sharkfin.capture.upload-timeout=3s", "sharkfin.capture.dir=target/slow-test-captures",
        "spring.elasticsearch.uris=http://127.0.0.1:9", "management.health.elasticsearch.enabled=false"})
class SlowUploadsTest {
    static final int CLIENTS = 20;
    static final int BOUND = 4;
    static final byte[] PCAP_HEADER = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 0, 0};

    /** No Elasticsearch here (port 9): the shard budget, checked against a real cluster in RetentionTest, has room. */
    @org.springframework.test.context.bean.override.mockito.MockitoBean
    dev.sharkfin.index.ShardBudget shards;

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    @Autowired
    MeterRegistry meters;

    /** What one raw client saw: the status line's code (0: the connection closed without an answer), when, and the body. */
    record Outcome(int status, long millis, String head, String body) {
    }

    /**
     * Sends the headers of a raw upload declaring {@code length} bytes, then the pcap header, then one byte every
     * {@code trickleMillis} (0: nothing more) until an answer comes or {@code deadline} passes.
     */
    Outcome trickle(int length, long trickleMillis, Duration deadline) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(50);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/captures?name=slow.pcap HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/vnd.tcpdump.pcap\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (trickleMillis > 0) {
                out.write(PCAP_HEADER);
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            long nextByte = System.nanoTime();
            byte[] buf = new byte[4096];
            while (System.nanoTime() - start < deadline.toNanos()) {
                if (trickleMillis > 0 && System.nanoTime() >= nextByte && answer.size() == 0) {
                    try {
                        out.write(0);
                        out.flush();
                    } catch (IOException closed) {
                        // the server closed the connection after its answer: read it below
                    }
                    nextByte = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(trickleMillis);
                }
                try {
                    int r = in.read(buf);
                    if (r < 0) {
                        break;
                    }
                    answer.write(buf, 0, r);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet
                } catch (IOException reset) {
                    break;
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            String text = answer.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
                return new Outcome(0, millis, text, "");
            }
            return new Outcome(Integer.parseInt(text.substring(9, 12)), millis, text.substring(0, headEnd), text.substring(headEnd + 4));
        }
    }

    /** An answer is whole once its headers and its (chunked or Content-Length) body have arrived. */
    private static boolean complete(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = text.substring(0, headEnd).toLowerCase();
        if (head.contains("transfer-encoding: chunked")) {
            return text.endsWith("0\r\n\r\n");
        }
        int cl = head.indexOf("content-length: ");
        if (cl >= 0) {
            int len = Integer.parseInt(head.substring(cl + 16).split("\r\n")[0].trim());
            return text.length() - headEnd - 4 >= len;
        }
        return false;
    }

    @Test
    void slowClientsCannotTakeTheServerAndAreCut() throws Exception {
        var tomcatPool = (org.apache.tomcat.util.threads.ThreadPoolExecutor) ((TomcatWebServer) context.getWebServer())
                .getTomcat().getConnector().getProtocolHandler().getExecutor();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxTomcatBusy = new AtomicInteger();
        // After the first second, once the refused clients have had their 429: the threads the slow uploads hold.
        AtomicInteger maxTomcatBusyTrickling = new AtomicInteger();
        long started = System.nanoTime();
        AtomicInteger maxUploadsActive = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                int busyNow = tomcatPool.getActiveCount();
                maxTomcatBusy.accumulateAndGet(busyNow, Math::max);
                if (System.nanoTime() - started > 1_000_000_000L) {
                    maxTomcatBusyTrickling.accumulateAndGet(busyNow, Math::max);
                }
                maxUploadsActive.accumulateAndGet((int) meters.get("sharkfin.uploads.active").gauge().value(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                // 5 bytes/s: far under 16 KB/s; 1 MB declared, so a client would trickle for days.
                outcomes.add(clients.submit(() -> trickle(1_000_000, 200, Duration.ofSeconds(15))));
            }
            // Health answers while the slow clients trickle (a functional bound: 2 s, the tester saw it time out).
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            List<Long> healthMillis = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(300);
                long t = System.nanoTime();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                healthMillis.add((System.nanoTime() - t) / 1_000_000);
                assertThat(health.statusCode()).as("health while %d slow uploads trickle", CLIENTS).isEqualTo(200);
            }

            ConcurrentHashMap<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
            List<Outcome> all = new ArrayList<>();
            for (Future<Outcome> f : outcomes) {
                Outcome o = f.get(30, TimeUnit.SECONDS);
                all.add(o);
                byStatus.computeIfAbsent(o.status(), k -> new AtomicInteger()).incrementAndGet();
            }
            sampling.set(false);
            sampler.join();
            System.out.printf("slow uploads: %d clients, bound %d: answers %s; Tomcat threads busy at most %d (%d after "
                            + "the first second, while the slow uploads trickle), uploads "
                            + "received at once at most %d (gauge), peak %s; health answered in %s ms; admitted %s, refused %s%n",
                    CLIENTS, BOUND, byStatus, maxTomcatBusy.get(), maxTomcatBusyTrickling.get(), maxUploadsActive.get(),
                    meters.get("sharkfin.uploads.peak").gauge().value(), healthMillis,
                    meters.get("sharkfin.uploads.admitted").functionCounter().count(),
                    meters.get("sharkfin.uploads.refused").functionCounter().count());

            List<Outcome> busy = all.stream().filter(o -> o.status() == 429).toList();
            List<Outcome> cut = all.stream().filter(o -> o.status() == 408 || o.status() == 0).toList();
            assertThat(busy).as("all but %d refused at once: %s", BOUND, all).hasSize(CLIENTS - BOUND);
            assertThat(cut).as("the admitted slow uploads are cut: %s", all).hasSize(BOUND);
            for (Outcome o : busy) {
                assertThat(o.millis()).as("a 429 comes before the body is read, not after it: %s", o).isLessThan(2000);
                assertThat(o.head()).containsIgnoringCase("Retry-After: 7").containsIgnoringCase("application/problem+json");
                assertThat(o.body()).contains("sharkfin.capture.max-concurrent-uploads");
            }
            for (Outcome o : cut) {
                // The grace period is 2 s and a read waits 3 s at most: cut within 2 + 3 s, with a margin for the machine.
                assertThat(o.millis()).as("cut within the grace period and a read timeout: %s", o).isLessThan(8000);
                if (o.status() == 408) {
                    assertThat(o.body()).contains("sharkfin.capture.min-upload-rate");
                }
            }
            assertThat(meters.get("sharkfin.uploads.peak").gauge().value()).as("uploads received at once").isLessThanOrEqualTo(BOUND);
            assertThat(maxUploadsActive.get()).isLessThanOrEqualTo(BOUND);
            // Tomcat's own count: the uploads, plus a health check or two in flight, never the refused clients' threads.
            assertThat(maxTomcatBusyTrickling.get()).as("Tomcat threads busy while the slow uploads trickle").isLessThanOrEqualTo(BOUND + 2);
            assertThat(meters.get("sharkfin.uploads.active").gauge().value()).as("every place given back").isZero();
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of("target/slow-test-captures"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".pcap"))).as("nothing of a cut upload is kept").isEmpty();
            }
        } finally {
            sampling.set(false);
            clients.shutdownNow();
        }
    }

    @Test
    void aClientThatSendsNothingAfterItsHeadersIsCutByTheUploadTimeout() throws Exception {
        Outcome o = trickle(1_000_000, 0, Duration.ofSeconds(15));
        System.out.println("silent upload: " + o.status() + " after " + o.millis() + " ms");
        assertThat(o.status()).as("408 or the connection closed: %s", o).isIn(408, 0);
        assertThat(o.millis()).as("cut by the 3 s upload timeout (not the 15 s this client waits): %s", o).isLessThan(10_000);
        if (o.status() == 408) {
            assertThat(o.body()).contains("sharkfin.capture.upload-timeout");
        }
        assertThat(meters.get("sharkfin.uploads.active").gauge().value()).isZero();
    }
}
