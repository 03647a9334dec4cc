package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * The built-in view for a lossy capture: the JSON endpoints agree with Elasticsearch's own counts, and the page,
 * opened in a real headless Chromium, draws bytes in flight and duplicate ACKs (points Chart.js laid out, read
 * back from the page), with a screenshot kept under target/screenshots.
 */
@SharkfinIT
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class JobPageBrowserTest {
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    Api api;
    String id;
    String index;

    @BeforeAll
    void uploadALossyCapture() {
        api = new Api(port, elasticsearch.uri());
        Api.Response r = api.upload(UploadEndToEndTest.LOSSY);
        id = r.body().get("id").asText();
        assertThat(r.body().get("viewUrl").asText()).isEqualTo("/jobs/" + id);
        JsonNode job = api.awaitJob(id, Duration.ofMinutes(2));
        assertThat(job.get("state").asText()).isEqualTo("succeeded");
        assertThat(job.get("viewUrl").asText()).isEqualTo("/jobs/" + id);
        assertThat(job.get("dashboardUrl").isNull()).as("no Kibana in these tests").isTrue();
        index = job.get("index").asText();
    }

    long esCount(String query) {
        return api.es("POST", "/" + index + "/_count", "{\"query\": " + query + "}").get("count").asLong();
    }

    @Test
    void streamsAgreeWithElasticsearch() {
        Api.Response r = api.get("/api/jobs/" + id + "/tcp/streams");
        assertThat(r.status()).isEqualTo(200);
        JsonNode streams = r.body();
        assertThat(streams.size()).isGreaterThanOrEqualTo(1);
        long packets = 0;
        for (JsonNode s : streams) {
            long n = s.get("stream").asLong();
            String inStream = "{\"term\": {\"tcp.tcp_stream\": " + n + "}}";
            assertThat(s.get("packets").asLong()).isEqualTo(esCount(inStream));
            assertThat(s.get("retransmissions").asLong()).isEqualTo(esCount("{\"bool\": {\"filter\": [" + inStream
                    + ", {\"term\": {\"tcp.tcp_analysis_retransmission\": true}}]}}"));
            assertThat(s.get("duplicateAcks").asLong()).isEqualTo(esCount("{\"bool\": {\"filter\": [" + inStream
                    + ", {\"term\": {\"tcp.tcp_analysis_duplicate_ack\": true}}]}}"));
            assertThat(s.get("client").asText()).matches("[0-9.]+:\\d+");
            assertThat(s.get("server").asText()).matches("[0-9.]+:\\d+");
            assertThat(s.get("durationSeconds").asDouble()).isGreaterThanOrEqualTo(0);
            packets += s.get("packets").asLong();
        }
        assertThat(packets).isEqualTo(esCount("{\"exists\": {\"field\": \"tcp.tcp_stream\"}}"));
        JsonNode busiest = busiest(streams);
        assertThat(busiest.get("duplicateAcks").asLong()).isPositive();
        assertThat(busiest.get("retransmissions").asLong()).isPositive();
        assertThat(busiest.get("maxBytesInFlight").asLong()).isPositive();
        assertThat(api.get("/api/jobs/nope/tcp/streams").status()).isEqualTo(404);
    }

    @Test
    void theTimelineSumsToTheStreamsTotals() {
        JsonNode s = busiest(api.get("/api/jobs/" + id + "/tcp/streams").body());
        long n = s.get("stream").asLong();
        for (String interval : new String[] {null, "100ms", "1s"}) {
            Api.Response r = api.get("/api/jobs/" + id + "/tcp/streams/" + n + "/timeline" + (interval == null ? "" : "?interval=" + interval));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            JsonNode t = r.body();
            if (interval != null) {
                assertThat(t.get("interval").asText()).isEqualTo(interval);
            }
            long packets = 0, dup = 0, retrans = 0, bytes = 0, maxFlight = 0;
            boolean window = false;
            for (JsonNode p : t.get("points")) {
                packets += p.get("packets").asLong();
                dup += p.get("duplicateAcks").asLong();
                retrans += p.get("retransmissions").asLong();
                bytes += p.get("bytes").asLong();
                maxFlight = Math.max(maxFlight, p.get("bytesInFlight").asLong(0));
                window |= p.get("advertisedWindow").asLong(0) > 0;
            }
            assertThat(packets).isEqualTo(s.get("packets").asLong());
            assertThat(dup).isEqualTo(s.get("duplicateAcks").asLong());
            assertThat(retrans).isEqualTo(s.get("retransmissions").asLong());
            assertThat(bytes).isEqualTo(s.get("bytes").asLong());
            assertThat(maxFlight).isEqualTo(s.get("maxBytesInFlight").asLong());
            assertThat(window).as("the receiver's advertised window").isTrue();
        }
        assertThat(api.get("/api/jobs/" + id + "/tcp/streams/999999/timeline").status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + id + "/tcp/streams/" + n + "/timeline?interval=fast").status()).isEqualTo(400);
        assertThat(api.get("/api/jobs/" + id + "/tcp/streams/" + n + "/timeline?interval=1ms").status()).isIn(200, 400);
    }

    @Test
    void thePageServesItsOwnChartingLibrary() {
        Api.Response page = api.getText("/jobs/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.raw().body());
        while (m.find()) {
            assertThat(m.group(1)).as("nothing from the internet").doesNotStartWith("http").doesNotStartWith("//");
        }
        Api.Response chartJs = api.getText("/webjars/chart.js/dist/chart.umd.js");
        assertThat(chartJs.status()).isEqualTo(200);
        assertThat(chartJs.raw().body()).contains("Chart.js");
        assertThat(api.getText("/jobs/nope").status()).isEqualTo(404);
    }

    @Test
    void swaggerDescribesTheNewEndpoints() {
        JsonNode paths = api.get("/v3/api-docs").body().get("paths");
        assertThat(paths.has("/api/jobs/{id}/tcp/streams")).isTrue();
        assertThat(paths.has("/api/jobs/{id}/tcp/streams/{stream}/timeline")).isTrue();
        assertThat(paths.at("/~1api~1kibana~1import/post/responses/502").isMissingNode()).isFalse();
        assertThat(paths.has("/jobs/{id}")).as("the HTML page is not an API").isFalse();
    }

    @Test
    void chromiumDrawsBytesInFlightAndDuplicateAcks() throws Exception {
        String chromium = chromium();
        if (System.getenv("CI") != null) {
            assertThat(chromium).as("CI must run the browser test: .ci/run installs Debian's chromium").isNotNull();
        }
        assumeTrue(chromium != null, "Debian's chromium is not installed (apt-get install chromium; .ci/run does)");
        String url = "http://127.0.0.1:" + port + "/jobs/" + id;
        String dom = run(chromium, List.of("--dump-dom", url));
        Matcher state = Pattern.compile("<body[^>]*data-state=\"(\\w+)\"").matcher(dom);
        assertThat(state.find()).as(dom).isTrue();
        assertThat(state.group(1)).as(errorOf(dom)).isEqualTo("drawn");
        Matcher status = Pattern.compile("<pre id=\"chart-status\"[^>]*>([^<]+)</pre>").matcher(dom);
        assertThat(status.find()).as(dom).isTrue();
        JsonNode drawn = Api.JSON.readTree(status.group(1).replace("&quot;", "\""));
        System.out.println("Chart.js drew: " + drawn);
        assertThat(drawnPoints(drawn, "bytes in flight (max)")).isGreaterThan(20);
        assertThat(drawnPoints(drawn, "duplicate ACKs")).isGreaterThan(0);
        assertThat(drawnPoints(drawn, "retransmissions")).isGreaterThan(0);
        assertThat(drawnPoints(drawn, "advertised window (receiver)")).isGreaterThan(0);
        assertThat(drawnPoints(drawn, "throughput (bits/s)")).isGreaterThan(20);
        assertThat(dom).contains("lossy-bulk-ipv4.pcap");
        for (JsonNode d : drawn.get("datasets")) {
            if (d.get("label").asText().startsWith("bytes in flight") || d.get("label").asText().startsWith("advertised window")) {
                assertThat(d.get("chart").asText()).as("the receiver's window and bytes in flight on one chart").isEqualTo("flight");
            }
        }
        // One time axis: the moment of the first retransmission is at one page x on the three charts.
        JsonNode x = drawn.at("/axis/x");
        assertThat(drawn.at("/axis/t").asDouble()).isPositive();
        assertThat(x.size()).isEqualTo(3);
        double flight = x.get("flight").asDouble();
        assertThat(flight).isPositive();
        assertThat(x.get("events").asDouble()).as("events chart x of t=" + drawn.at("/axis/t")).isCloseTo(flight, within(0.5));
        assertThat(x.get("throughput").asDouble()).as("throughput chart x").isCloseTo(flight, within(0.5));

        Files.createDirectories(SCREENSHOTS);
        Path png = SCREENSHOTS.resolve("job-page.png").toAbsolutePath();
        Files.deleteIfExists(png);
        run(chromium, List.of("--screenshot=" + png, "--window-size=1280,1500", "--hide-scrollbars", url));
        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    /** A click on a stream's row in the table draws that stream: the select, the highlighted row and the charts follow. */
    @Test
    void aClickOnAStreamInTheTableSelectsIt() throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "Debian's chromium is not installed (apt-get install chromium; .ci/run does)");
        Api.Response r = api.upload(Path.of("src/test/resources/captures/mixed-small.pcap"));
        String two = r.body().get("id").asText();
        assertThat(api.awaitJob(two, Duration.ofMinutes(2)).get("state").asText()).isEqualTo("succeeded");
        String script = """
                (async () => {
                  const wait = s => new Promise(r => { const t = () => document.body.dataset.state === s ? r() : setTimeout(t, 50); t(); });
                  const status = () => JSON.parse(document.getElementById("chart-status").textContent);
                  await wait("drawn");
                  const before = String(status().stream);
                  const row = [...document.querySelectorAll("#streams tbody tr")].find(tr => tr.dataset.stream !== before);
                  document.body.dataset.state = "clicked";
                  row.cells[1].click();
                  await wait("drawn");
                  return JSON.stringify({before, clicked: row.dataset.stream, drawn: String(status().stream),
                      select: document.getElementById("stream").value,
                      highlighted: [...document.querySelectorAll("#streams tr.selected")].map(tr => tr.dataset.stream)});
                })()""";
        JsonNode result = Api.JSON.readTree(DevTools.evaluate(chromium, "http://127.0.0.1:" + port + "/jobs/" + two, script));
        assertThat(result.get("clicked").asText()).isNotEqualTo(result.get("before").asText());
        assertThat(result.get("drawn").asText()).isEqualTo(result.get("clicked").asText());
        assertThat(result.get("select").asText()).isEqualTo(result.get("clicked").asText());
        assertThat(result.get("highlighted")).containsExactly(result.get("clicked"));
    }

    static long drawnPoints(JsonNode status, String label) {
        for (JsonNode d : status.get("datasets")) {
            if (d.get("label").asText().equals(label)) {
                return d.get("drawn").asLong();
            }
        }
        throw new AssertionError("no dataset " + label + " in " + status);
    }

    static String errorOf(String dom) {
        Matcher m = Pattern.compile("<div id=\"error\">([^<]*)</div>").matcher(dom);
        return m.find() ? m.group(1) : dom;
    }

    static JsonNode busiest(JsonNode streams) {
        JsonNode best = null;
        for (JsonNode s : streams) {
            if (best == null || s.get("packets").asLong() > best.get("packets").asLong()) {
                best = s;
            }
        }
        return best;
    }

    public static String chromium() {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    /** Runs headless Chromium with a fresh profile and no background traffic; answers its standard output. */
    public static String run(String chromium, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("sharkfin-chromium");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=20000"));
        cmd.addAll(args);
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(err));
            }
            assertThat(p.exitValue()).as(Files.readString(err)).isZero();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
