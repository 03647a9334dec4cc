package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * Without any API key (the shared test context): everything is open, as before keys existed, but a request that
 * changes something from another site's page is still refused, and every answer carries the security headers.
 */
@SharkfinIT
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAccessTest {
    static final Path SMALL = Path.of("src/test/resources/captures/mixed-small.pcap");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    Requests http;
    Api api;
    byte[] capture;

    @BeforeAll
    void setUp() throws IOException {
        http = new Requests(port);
        api = new Api(port, elasticsearch.uri());
        capture = Files.readAllBytes(SMALL);
    }

    @Test
    void aCrossOriginUploadIsRefusedAndMakesNoJob() {
        String name = "cross-origin-" + System.nanoTime() + ".pcap";
        HttpResponse<String> r = http.upload(name, capture, "Origin", "http://evil.example");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(Requests.header(r, "Content-Type")).startsWith("application/problem+json");
        JsonNode p = Requests.json(r);
        assertThat(p.get("title").asText()).isEqualTo("Cross-origin request refused");
        assertThat(p.get("detail").asText()).contains("http://evil.example").contains("sharkfin.security.allowed-origins");

        // A page of another site that hides its Origin still says cross-site (Sec-Fetch-Site, set by the browser).
        assertThat(http.upload(name, capture, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
        assertThat(sources()).as("no job for a refused upload").doesNotContain(name);

        // Sharkfin's own page (same origin) and curl (no Origin) are accepted.
        HttpResponse<String> own = http.upload(name, capture, "Origin", http.base, "Sec-Fetch-Site", "same-origin");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
        String id = Requests.json(own).get("id").asText();
        assertThat(http.upload(name, capture).statusCode()).isEqualTo(202);
        assertThat(api.awaitJob(id, Duration.ofMinutes(1)).get("state").asText()).isEqualTo("succeeded");
    }

    @Test
    void otherWritesFromAnotherOriginAreRefusedToo() {
        String id = Requests.json(http.upload("for-delete.pcap", capture)).get("id").asText();
        api.awaitJob(id, Duration.ofMinutes(1));
        HttpResponse<String> delete = http.send("DELETE", "/api/jobs/" + id, null, "Origin", "http://evil.example");
        assertThat(delete.statusCode()).isEqualTo(403);
        HttpResponse<String> live = http.send("POST", "/api/captures/live", "{\"interface\": \"lo\"}".getBytes(),
                "Content-Type", "application/json", "Origin", "https://evil.example");
        assertThat(live.statusCode()).isEqualTo(403);
        assertThat(Requests.json(live).get("title").asText()).isEqualTo("Cross-origin request refused");
        // Reading is not refused: a GET changes nothing (and the browser does not let the other page read the answer).
        assertThat(http.get("/api/jobs/" + id, "Origin", "http://evil.example").statusCode()).isEqualTo(200);
    }

    @Test
    void theSecurityHeadersAreOnThePagesAndEverywhere() {
        String id = Requests.json(http.upload("headers.pcap", capture)).get("id").asText();
        for (String path : new String[] {"/", "/jobs", "/jobs/" + id, "/api/jobs", "/api/jobs/nope"}) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isIn(200, 404);
            assertSecurityHeaders(r, path);
        }
        assertThat(api.awaitJob(id, Duration.ofMinutes(1)).get("state").asText()).isEqualTo("succeeded");
        // Swagger UI's bundle adds <style> elements: inline styles are allowed there, never inline scripts.
        HttpResponse<String> swagger = http.get("/swagger-ui/index.html");
        assertThat(swagger.statusCode()).isEqualTo(200);
        assertThat(Requests.header(swagger, "Content-Security-Policy")).contains("script-src 'self';")
                .contains("style-src 'self' 'unsafe-inline';").contains("frame-ancestors 'none'");
        assertThat(Requests.header(swagger, "X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void healthShowsItsDetailsWhenNoKeyIsConfigured() {
        JsonNode health = Requests.json(http.get("/actuator/health"));
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/elasticsearch/details").isMissingNode()).as(health.toString()).isFalse();
    }

    @Test
    void withoutKeysTheLoginLeadsStraightOn() {
        HttpResponse<String> r = http.get("/login?next=%2Fjobs");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Requests.header(r, "Location")).isEqualTo("/jobs");
        assertThat(http.get("/api/jobs").statusCode()).as("no key needed").isEqualTo(200);
    }

    static void assertSecurityHeaders(HttpResponse<?> r, String what) {
        String csp = Requests.header(r, "Content-Security-Policy");
        assertThat(csp).as(what).isNotNull().startsWith("default-src 'self'").contains("script-src 'self' 'sha256-")
                .contains("style-src 'self' 'sha256-").contains("object-src 'none'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(Requests.header(r, "X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(Requests.header(r, "X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(Requests.header(r, "Referrer-Policy")).as(what).isEqualTo("same-origin");
    }

    private Set<String> sources() {
        Set<String> s = new HashSet<>();
        api.get("/api/jobs").body().forEach(j -> s.add(j.get("source").asText()));
        return s;
    }
}
