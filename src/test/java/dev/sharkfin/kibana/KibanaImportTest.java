package dev.sharkfin.kibana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The import endpoint and auto-provisioning against a stub Kibana (a JDK HttpServer): the exact request Kibana
 * gets, and what Sharkfin answers for Kibana's success, partial errors, 4xx, 5xx and silence. No Elasticsearch
 * is needed here: the service runs with an unreachable one, which nothing in these paths touches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sharkfin.elasticsearch.embedded.enabled=false",
        "spring.elasticsearch.uris=http://127.0.0.1:9",
        "sharkfin.capture.dir=target/kibana-test-captures",
        "sharkfin.kibana.username=elastic",
        "sharkfin.kibana.password=s3cret:pw",
        "sharkfin.kibana.public-url=https://kibana.example.org/",
        "sharkfin.kibana.timeout=2s",
        "sharkfin.kibana.backoff=50ms",
        "sharkfin.kibana.max-backoff=200ms",
        "sharkfin.kibana.wait-for=1m"})
class KibanaImportTest {
    static final KibanaStub KIBANA;
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        try {
            KIBANA = new KibanaStub();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void kibana(DynamicPropertyRegistry registry) {
        registry.add("sharkfin.kibana.url", KIBANA::url);
    }

    @AfterAll
    static void stop() {
        KIBANA.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KibanaProvisioner provisioner;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void provisionedFirst() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (provisioner.state() == KibanaProvisioner.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void autoProvisioningWaitsUntilKibanaIsAvailableThenImportsOnce() {
        assertThat(provisioner.state()).as(provisioner.detail()).isEqualTo(KibanaProvisioner.State.IMPORTED);
        assertThat(KIBANA.statusPolls.get()).isGreaterThanOrEqualTo(3);
        List<KibanaStub.Request> first = KIBANA.requests.stream().filter(r -> !r.pathAndQuery().contains("_import")
                || KIBANA.imports().indexOf(r) == 0).toList();
        // Every poll before the import, the import after the first "available".
        KibanaStub.Request imp = KIBANA.imports().get(0);
        assertThat(KIBANA.requests.indexOf(imp)).isEqualTo(3);
        assertThat(first.subList(0, 3)).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.pathAndQuery()).isEqualTo("/api/status");
            assertThat(r.header("authorization")).isEqualTo(basic());
        });
        assertExactImportRequest(imp, "/api/saved_objects/_import?overwrite=true");
        assertThat(KIBANA.imports().stream().filter(r -> KIBANA.requests.indexOf(r) < KIBANA.requests.indexOf(imp) + 1)).hasSize(1);
    }

    @Test
    void importIntoTheDefaultSpaceSendsTheSavedObjectsAndAnswersKibanasSummary() throws Exception {
        KIBANA.imports = r -> KibanaStub.Answer.json(200, KibanaStub.SUCCESS);
        int before = KIBANA.imports().size();
        HttpResponse<String> r = post("/api/kibana/import");
        assertThat(r.statusCode()).isEqualTo(200);
        ObjectNode expected = (ObjectNode) JSON.readTree(KibanaStub.SUCCESS);
        expected.put("dashboardUrl", "https://kibana.example.org/app/dashboards#/view/sharkfin-tcp-congestion");
        assertThat(JSON.readTree(r.body())).as("Kibana's summary and the dashboard's URL").isEqualTo(expected);
        assertThat(KIBANA.imports()).hasSize(before + 1);
        assertExactImportRequest(KIBANA.imports().get(before), "/api/saved_objects/_import?overwrite=true");
    }

    @Test
    void importIntoASpaceUsesTheSpacePathAndTheIdsOfThatSpace() throws Exception {
        KIBANA.imports = r -> KibanaStub.Answer.json(200, KibanaStub.SUCCESS);
        int before = KIBANA.imports().size();
        HttpResponse<String> r = post("/api/kibana/import?space=network-ops");
        assertThat(r.statusCode()).isEqualTo(200);
        assertExactImportRequest(KIBANA.imports().get(before), "/s/network-ops/api/saved_objects/_import?overwrite=true",
                SavedObjects.ndjson("network-ops"));
        assertThat(JSON.readTree(r.body()).get("dashboardUrl").asText())
                .isEqualTo("https://kibana.example.org/s/network-ops/app/dashboards#/view/sharkfin-tcp-congestion--network-ops");
    }

    /**
     * Kibana gives an imported object a random id when its id exists in another space (dashboards, Lens objects and
     * data views are multiple-isolated): the objects of two spaces must share no id, and each space's references
     * must name its own objects, so that every space keeps fixed ids and the link of each finds its dashboard.
     */
    @Test
    void twoSpacesShareNoIdAndEachSpacesReferencesResolveInIt() throws IOException {
        List<JsonNode> file = objects(SavedObjects.ndjson());
        List<JsonNode> ops = objects(SavedObjects.ndjson("ops"));
        List<JsonNode> lab = objects(SavedObjects.ndjson("lab"));
        assertThat(objects(SavedObjects.ndjson(null))).isEqualTo(file);
        assertThat(objects(SavedObjects.ndjson("default"))).isEqualTo(file);
        assertThat(ops).hasSameSizeAs(file);
        java.util.Set<String> all = new java.util.HashSet<>();
        for (List<JsonNode> space : List.of(file, ops, lab)) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            space.forEach(o -> ids.add(o.get("id").asText()));
            for (JsonNode o : space) {
                assertThat(all.add(o.get("id").asText())).as("id shared by two spaces: " + o.get("id")).isTrue();
                o.get("references").forEach(ref -> assertThat(ids).as(o.get("id") + " references " + ref).contains(ref.get("id").asText()));
            }
        }
        assertThat(ops).extracting(o -> o.get("id").asText()).contains(SavedObjects.id(SavedObjects.DASHBOARD_ID, "ops"));
        for (int i = 0; i < file.size(); i++) {
            ObjectNode expected = file.get(i).deepCopy();
            ObjectNode actual = ops.get(i).deepCopy();
            expected.remove(List.of("id", "references"));
            actual.remove(List.of("id", "references"));
            assertThat(actual).as("only ids change").isEqualTo(expected);
        }
    }

    private static List<JsonNode> objects(byte[] ndjson) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void aSpaceThatIsNotASpaceIdIsRefusedBeforeKibanaIsCalled() throws Exception {
        int before = KIBANA.requests.size();
        HttpResponse<String> r = post("/api/kibana/import?space=..%2Fapi");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(KIBANA.requests).hasSize(before);
    }

    @Test
    void partialErrorsAreKibanasSummaryWithTheErrorsPerObject() throws Exception {
        String partial = "{\"success\":false,\"successCount\":8,\"errors\":[{\"id\":\"sharkfin-tcp-rtt\",\"type\":\"lens\","
                + "\"meta\":{\"title\":\"ACK round-trip time\"},\"error\":{\"type\":\"unknown\",\"message\":\"boom\"}}]}";
        KIBANA.imports = r -> KibanaStub.Answer.json(200, partial);
        HttpResponse<String> r = post("/api/kibana/import");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("successCount").asInt()).isEqualTo(8);
        assertThat(body.at("/errors/0/id").asText()).isEqualTo("sharkfin-tcp-rtt");
        assertThat(body.at("/errors/0/error/message").asText()).isEqualTo("boom");
    }

    @Test
    void a4xxFromKibanaIsA502ThatNamesTheUrl() throws Exception {
        KIBANA.imports = r -> KibanaStub.Answer.json(401, "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"bad credentials\"}");
        HttpResponse<String> r = post("/api/kibana/import");
        JsonNode p = problem(r, 502);
        assertThat(p.get("kibanaUrl").asText()).isEqualTo(KIBANA.url() + "/api/saved_objects/_import?overwrite=true");
        assertThat(p.get("detail").asText()).contains(KIBANA.url()).contains("401");
        assertThat(p.get("kibanaStatus").asInt()).isEqualTo(401);
        assertThat(p.get("kibanaAnswer").asText()).contains("bad credentials");
    }

    @Test
    void a5xxFromKibanaIsA502ThatNamesTheUrl() throws Exception {
        KIBANA.imports = r -> KibanaStub.Answer.json(500, "{\"statusCode\":500,\"error\":\"Internal Server Error\"}");
        JsonNode p = problem(post("/api/kibana/import?space=ops"), 502);
        assertThat(p.get("kibanaUrl").asText()).isEqualTo(KIBANA.url() + "/s/ops/api/saved_objects/_import?overwrite=true");
        assertThat(p.get("kibanaStatus").asInt()).isEqualTo(500);
        assertThat(p.get("title").asText()).isEqualTo("Kibana answered with an error");
    }

    @Test
    void noAnswerWithinTheTimeoutIsA502() throws Exception {
        KIBANA.imports = r -> new KibanaStub.Answer(200, KibanaStub.SUCCESS, 6_000);
        long start = System.nanoTime();
        JsonNode p = problem(post("/api/kibana/import"), 502);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(p.get("title").asText()).isEqualTo("Kibana cannot be reached");
        assertThat(p.get("detail").asText()).contains(KIBANA.url()).contains("did not answer within 2s");
        assertThat(p.has("kibanaStatus")).isFalse();
    }

    @Test
    void aKibanaThatIsNotThereIsAKibanaExceptionNamingTheUrl() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        KibanaClient client = new KibanaClient(props("http://127.0.0.1:" + closed, null, null, null));
        assertThatThrownBy(() -> client.importSavedObjects(null)).isInstanceOfSatisfying(KibanaException.class, e -> {
            assertThat(e.kibanaStatus()).isZero();
            assertThat(e.url()).isEqualTo("http://127.0.0.1:" + closed + "/api/saved_objects/_import?overwrite=true");
            assertThat(e.getMessage()).contains("cannot be reached").contains(e.url());
        });
    }

    @Test
    void anApiKeyIsSentAsApiKeyAuthorization() {
        KIBANA.imports = r -> KibanaStub.Answer.json(200, KibanaStub.SUCCESS);
        KibanaClient client = new KibanaClient(props(KIBANA.url() + "/", null, null, "a2V5aWQ6c2VjcmV0"));
        assertThat(client.importSavedObjects("ops").success()).isTrue();
        KibanaStub.Request r = KIBANA.imports().get(KIBANA.imports().size() - 1);
        assertThat(r.pathAndQuery()).isEqualTo("/s/ops/api/saved_objects/_import?overwrite=true");
        assertThat(r.header("authorization")).isEqualTo("ApiKey a2V5aWQ6c2VjcmV0");
    }

    @Test
    void withoutKibanaTheImportIs503AndNothingIsProvisioned() {
        KibanaClient client = new KibanaClient(props(null, null, null, null));
        assertThatThrownBy(() -> client.importSavedObjects(null)).isInstanceOf(KibanaException.NotConfigured.class);
    }

    static KibanaProperties props(String url, String user, String password, String apiKey) {
        return new KibanaProperties(url == null ? null : URI.create(url), null, user, password, apiKey, null, true,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private void assertExactImportRequest(KibanaStub.Request r, String pathAndQuery) {
        assertExactImportRequest(r, pathAndQuery, SavedObjects.ndjson());
    }

    private void assertExactImportRequest(KibanaStub.Request r, String pathAndQuery, byte[] ndjson) {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.pathAndQuery()).isEqualTo(pathAndQuery);
        assertThat(r.header("kbn-xsrf")).isNotBlank();
        assertThat(r.header("authorization")).isEqualTo(basic());
        String contentType = r.header("content-type");
        Matcher m = Pattern.compile("multipart/form-data; boundary=(\\S+)").matcher(contentType);
        assertThat(m.matches()).as(contentType).isTrue();
        List<Part> parts = parts(r.body(), m.group(1));
        assertThat(parts).hasSize(1);
        Part part = parts.get(0);
        assertThat(part.headers()).containsPattern("(?i)content-disposition: form-data; name=\"file\"; filename=\"[^\"]+\\.ndjson\"");
        assertThat(part.body()).isEqualTo(ndjson);
        String[] lines = new String(part.body(), StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(9);
        for (String line : lines) {
            try {
                JsonNode o = JSON.readTree(line);
                assertThat(o.has("id") && o.has("type") && o.has("attributes")).as(line).isTrue();
            } catch (IOException e) {
                throw new AssertionError("not one JSON object per line: " + line, e);
            }
        }
    }

    record Part(String headers, byte[] body) {
    }

    /** A strict multipart/form-data reader: CRLF delimiters, headers, blank line, body. */
    static List<Part> parts(byte[] body, String boundary) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        assertThat(s).startsWith(delimiter + "\r\n").endsWith("\r\n" + delimiter + "--\r\n");
        List<Part> out = new ArrayList<>();
        String inner = s.substring(delimiter.length() + 2, s.length() - (delimiter.length() + 6));
        for (String p : inner.split("\r\n" + Pattern.quote(delimiter) + "\r\n")) {
            int sep = p.indexOf("\r\n\r\n");
            out.add(new Part(p.substring(0, sep), p.substring(sep + 4).getBytes(StandardCharsets.ISO_8859_1)));
        }
        return out;
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString("elastic:s3cret:pw".getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        return JSON.readTree(r.body());
    }
}
