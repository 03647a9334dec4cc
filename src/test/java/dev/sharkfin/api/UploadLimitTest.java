package dev.sharkfin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The size limit through the real server (Tomcat's multipart parsing and Sharkfin's raw-body counting), with
 * a small limit. Elasticsearch is never reached: an upload over the limit is refused before any job exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sharkfin.capture.max-size=64KB", "sharkfin.capture.dir=target/limit-test-captures",
        "spring.elasticsearch.uris=http://127.0.0.1:9"})
class UploadLimitTest {
    @LocalServerPort
    int port;

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
}
