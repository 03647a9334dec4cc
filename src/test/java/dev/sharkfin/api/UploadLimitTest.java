package dev.sharkfin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import dev.sharkfin.capture.DiskSpace;

/**
 * The bounds of an upload through the real server, with small ones: size (Sharkfin's own counting of the multipart
 * form and of the raw body, and the declared Content-Length), decompressed size, the disk reserve, the job queue,
 * and the shape of the form. Elasticsearch is never reached: every upload here is refused before any job exists,
 * and whatever is refused leaves nothing in the capture folder.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sharkfin.capture.max-size=64KB", "sharkfin.capture.dir=target/limit-test-captures",
        "sharkfin.capture.max-uncompressed-size=4MB", "sharkfin.capture.min-free-disk=1GB",
        "sharkfin.jobs.concurrency=1", "sharkfin.jobs.queue-capacity=0",
        "spring.elasticsearch.uris=http://127.0.0.1:9"})
class UploadLimitTest {
    static final Path DIR = Path.of("target/limit-test-captures");

    @LocalServerPort
    int port;

    @MockitoSpyBean
    DiskSpace disk;

    /** No Elasticsearch here (port 9): the shard budget, checked against a real cluster in RetentionTest, has room. */
    @org.springframework.test.context.bean.override.mockito.MockitoBean
    dev.sharkfin.index.ShardBudget shards;

    private final HttpClient http = HttpClient.newHttpClient();

    private static byte[] capture(int size) {
        byte[] b = new byte[size];
        byte[] magic = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1};
        System.arraycopy(magic, 0, b, 0, 4);
        return b;
    }

    @Test
    void multipartOverTheLimitIs413ProblemJson() throws Exception {
        String boundary = "limit" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pcap\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(capture(200 * 1024));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/captures"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("sharkfin.capture.max-size");
    }

    @Test
    void rawBodyOverTheLimitIs413AndNothingIsLeftOnDisk() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/captures?name=big.pcap"))
                .header("Content-Type", "application/vnd.tcpdump.pcap")
                .POST(HttpRequest.BodyPublishers.ofByteArray(capture(200 * 1024))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("64 KB").contains("sharkfin.capture.max-size");
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("target/limit-test-captures"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".pcap"))).isEmpty();
        }
    }

    private HttpResponse<String> raw(String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/captures?name=x.pcap.gz"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> form(String... partsAndNames) throws Exception {
        return form(capture(100), partsAndNames);
    }

    /** A multipart form with a part per (field, file name) pair, each holding {@code content}. */
    private HttpResponse<String> form(byte[] content, String... partsAndNames) throws Exception {
        String boundary = "limit" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < partsAndNames.length; i += 2) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + partsAndNames[i] + "\"; filename=\""
                    + partsAndNames[i + 1] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/captures"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long bytesInDir() {
        try (var files = Files.list(DIR)) {
            // The captures only: not the folder's id file (.sharkfin-store)
            return files.filter(f -> !f.getFileName().toString().startsWith(".")).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void assertNothingKept() throws IOException {
        Files.createDirectories(DIR);
        try (var files = Files.list(DIR)) {
            assertThat(files.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng"))).isEmpty();
        }
    }

    /** The bytes the capture folder held at most while {@code upload} ran, sampled every millisecond. */
    private static long peakBytesWritten(java.util.concurrent.Callable<HttpResponse<String>> upload, HttpResponse<String>[] answer)
            throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(bytesInDir(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        try {
            answer[0] = upload.call();
        } finally {
            sampling.set(false);
            sampler.join();
        }
        return peak.get();
    }

    /** A pcap header then {@code zeros} zero bytes, gzip-compressed: about a thousandth of its size. */
    static byte[] gzipBomb(int zeros) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(capture(24));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < zeros / chunk.length; i++) {
                out.write(chunk);
            }
        }
        return gz.toByteArray();
    }

    /** The tester sent 400 MiB before the 413 came: the declared Content-Length says it at once. */
    @Test
    void aDeclaredContentLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/captures?name=big.pcap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/vnd.tcpdump.pcap\r\n"
                    + "Content-Length: " + (400L << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(capture(24));
            out.flush();
            // Nothing more is sent: the answer must come from the headers alone (a bounded wait of 5 s).
            String answer = new String(s.getInputStream().readNBytes(2000), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json")
                    .contains("Content-Length").contains("sharkfin.capture.max-size").contains("nothing was read");
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer within 5 s to an upload declaring 400 MiB: the server waits for the body", e);
        }
        assertNothingKept();
    }

    /** "1f 8b" alone got 200 with an empty body, no job and no log line. */
    @Test
    void aGzipStreamCutShortInItsHeaderIs415SayingSo() throws Exception {
        byte[] cut = {0x1f, (byte) 0x8b};
        HttpResponse<String> r = raw("application/gzip", cut);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("gzip stream cut short").contains("header");
        HttpResponse<String> inForm = form(cut, "file", "x.pcap.gz");
        assertThat(inForm.statusCode()).isEqualTo(415);
        assertThat(inForm.body()).contains("gzip stream cut short");
        // A header whole but no compressed data after it: cut short too.
        HttpResponse<String> headerOnly = raw("application/gzip", java.util.Arrays.copyOf(gzipBomb(0), 10));
        assertThat(headerOnly.statusCode()).isEqualTo(415);
        assertThat(headerOnly.body()).contains("cut short");
        assertNothingKept();
    }

    /** A 32 KB gzip that inflates to 32 MB stops at sharkfin.capture.max-uncompressed-size (4 MB here). */
    @Test
    void aGzipBombStopsAtTheDecompressedBoundHavingWrittenNoMore() throws Exception {
        byte[] bomb = gzipBomb(32 << 20);
        assertThat(bomb.length).isLessThan(64 * 1024);
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] answer = new HttpResponse[1];
        long peak = peakBytesWritten(() -> raw("application/gzip", bomb), answer);
        System.out.printf("gzip bomb: %d bytes sent, inflating to %d; refused %d; the capture folder held at most %d bytes "
                + "(bound %d)%n", bomb.length, 24 + (32 << 20), answer[0].statusCode(), peak, 4 << 20);
        assertThat(answer[0].statusCode()).as(answer[0].body()).isEqualTo(413);
        assertThat(answer[0].body()).contains("sharkfin.capture.max-uncompressed-size").contains("4 MB");
        assertThat(peak).as("bytes written before the refusal").isLessThanOrEqualTo(4 << 20);
        assertNothingKept();
    }

    /** The disk keeps sharkfin.capture.min-free-disk: an upload that would cut into it is 507, before or while written. */
    @Test
    void theDiskReserveIsKeptBeforeAndWhileAnUploadIsWritten() throws Exception {
        long reserve = 1L << 30;
        // Before: the disk has the reserve and 10 KB more; the upload declares 30 KB.
        doReturn(reserve + 10 * 1024).when(disk).usable(any());
        HttpResponse<String> before = raw("application/vnd.tcpdump.pcap", capture(30 * 1024));
        assertThat(before.statusCode()).as(before.body()).isEqualTo(507);
        assertThat(before.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(before.body()).contains("sharkfin.capture.min-free-disk").contains("declares");
        assertNothingKept();

        // While: a disk with the reserve and 2 MB more, shrinking as the capture folder grows; a gzip stream that
        // declares 4 KB and inflates to 3 MB (under max-uncompressed-size) does not fit.
        doAnswer(i -> reserve + (2L << 20) - bytesInDir()).when(disk).usable(any());
        byte[] bomb = gzipBomb(3 << 20);
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] answer = new HttpResponse[1];
        long peak = peakBytesWritten(() -> raw("application/gzip", bomb), answer);
        System.out.printf("disk reserve: a %d-byte gzip inflating to 3 MB with 2 MB free above the reserve: %d after %d "
                + "bytes written at most%n", bomb.length, answer[0].statusCode(), peak);
        assertThat(answer[0].statusCode()).as(answer[0].body()).isEqualTo(507);
        assertThat(answer[0].body()).contains("filled up while the upload was written").contains("sharkfin.capture.min-free-disk");
        assertThat(peak).as("the reserve is never cut into").isLessThanOrEqualTo(2L << 20);
        assertNothingKept();
    }

    /** With the queue full the 429 comes before a byte is written (the tester saw 11 s and 1 GiB first). */
    @Test
    void aFullJobQueueIs429WithNothingWritten() throws Exception {
        // concurrency 1, queue 0: one place, held by an upload whose body is still arriving.
        try (Socket holder = new Socket("127.0.0.1", port)) {
            holder.getOutputStream().write(("POST /api/captures?name=held.pcap HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/vnd.tcpdump.pcap\r\nContent-Length: 60000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            holder.getOutputStream().write(capture(1000));
            holder.getOutputStream().flush();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (bytesInDir() == 0) {
                assertThat(System.nanoTime()).as("the first upload is being written within 5 s").isLessThan(deadline);
                Thread.sleep(10);
            }
            long before = bytesInDir();
            HttpResponse<String> r = raw("application/gzip", gzipBomb(2 << 20));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(r.body()).contains("queue is full");
            assertThat(bytesInDir()).as("nothing written for the refused upload").isEqualTo(before);
            try (var files = Files.list(DIR)) {
                assertThat(files.filter(f -> !f.getFileName().toString().startsWith(".")).count())
                        .as("only the held upload's file").isEqualTo(1);
            }
        }
        // The held upload's client went away: its file is deleted and its place given back.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (bytesInDir() > 0) {
            assertThat(System.nanoTime()).as("the abandoned upload's file is deleted within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** A second 'file' part was silently ignored. */
    @Test
    void aSecondFilePartIs400OneCapturePerRequest() throws Exception {
        HttpResponse<String> r = form("file", "a.pcap", "file", "b.pcap");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("second 'file' part").contains("one capture per request");
        assertNothingKept();
    }

    /** A 10 KB file name got a misleading 413 from Tomcat's part-header limit. */
    @Test
    void aTenKilobyteFileNameIs400SayingTheNameIsTooLong() throws Exception {
        HttpResponse<String> r = form("file", "a".repeat(10 * 1024) + ".pcap");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("file name is 10245 characters long").contains("at most 1024");
        assertNothingKept();
    }
}
