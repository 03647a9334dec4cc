package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * The home page in a real headless Chromium, driven over the DevTools protocol: an upload from the file chooser
 * followed to its job page, a live capture on loopback started, fed and stopped from the page, a filter that does
 * not compile shown in words, a file name that is HTML shown as text, and a screenshot under target/screenshots.
 */
@SharkfinIT
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomePageBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String LOSSY_NAME = "lossy-bulk-ipv4.pcap";
    /** As capinfos and src/test/resources/captures/README.md count them; {@link #pcapPackets} counts them too. */
    static final int LOSSY_PACKETS = 2425;
    static final int DATAGRAMS = 50;
    /** What a failure message shows of the page. */
    static final String PAGE_STATE = "({state: document.body.dataset.state, error: document.getElementById('error').hidden ? null "
            + ": document.getElementById('error').textContent, live: document.getElementById('live-problem').textContent, "
            + "rows: [...document.querySelectorAll('#jobs tbody tr')].slice(0, 5).map(tr => tr.dataset.state + ': ' + tr.innerText)})";

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    Api api;
    Cdp cdp;
    String base;
    String uploadId;
    String liveId;

    @BeforeAll
    void startChromium() throws Exception {
        api = new Api(port, elasticsearch.uri());
        base = "http://127.0.0.1:" + port;
        String chromium = JobPageBrowserTest.chromium();
        if (System.getenv("CI") != null) {
            assertThat(chromium).as("CI must run the browser test: .ci/run installs Debian's chromium").isNotNull();
        }
        assumeTrue(chromium != null, "Debian's chromium is not installed (apt-get install chromium; .ci/run does)");
        cdp = Cdp.launch(chromium);
        cdp.viewport(1280, 1000);
    }

    @AfterAll
    void stopChromium() {
        try {
            if (liveId != null && api.get("/api/jobs/" + liveId).body().path("live").path("capturing").asBoolean()) {
                api.delete("/api/jobs/" + liveId);
            }
        } finally {
            if (cdp != null) {
                cdp.close();
            }
        }
    }

    @Test
    @Order(1)
    void uploadsFromTheFileChooserAndOpensTheJobPage() throws IOException {
        assertThat(pcapPackets(UploadEndToEndTest.LOSSY)).as("records in " + LOSSY_NAME).isEqualTo(LOSSY_PACKETS);
        openHome();
        Set<String> before = rowIds();
        cdp.setFiles("#file", UploadEndToEndTest.LOSSY);
        cdp.await("the Upload button enabled by the chosen file", "!document.getElementById('upload-button').disabled", WAIT);
        cdp.eval("document.getElementById('upload-button').click()");
        uploadId = newRow(LOSSY_NAME, before);

        cdp.await("the row of " + LOSSY_NAME + " succeeded, " + LOSSY_PACKETS + " packets indexed",
                row(uploadId) + "?.dataset.state === 'succeeded' && " + shown(uploadId, "indexed") + " === '" + LOSSY_PACKETS + "'",
                WAIT, PAGE_STATE);
        assertThat(cdp.evalString(shown(uploadId, "read"))).isEqualTo(String.valueOf(LOSSY_PACKETS));
        assertThat(cdp.evalString(row(uploadId) + ".querySelector('.col-progress').textContent")).contains("100 %");
        JsonNode job = api.get("/api/jobs/" + uploadId).body();
        assertThat(job.get("state").asText()).isEqualTo("succeeded");
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(LOSSY_PACKETS);
        assertThat(job.get("packetsRead").asLong()).isEqualTo(LOSSY_PACKETS);

        // what the upload showed on its way: the progress bar full, the job named
        assertThat(cdp.eval("document.getElementById('upload-progress').value").asDouble()).isEqualTo(1.0);
        assertThat(cdp.evalString("document.getElementById('upload-status').textContent")).startsWith("100 %").contains(LOSSY_NAME);
        assertThat(cdp.evalString("document.getElementById('notice').textContent")).contains(uploadId);
        assertThat(cdp.eval("document.getElementById('error').hidden").asBoolean())
                .as(cdp.evalString("document.getElementById('error').textContent")).isTrue();

        // links, and no Stop or Cancel on an ended upload
        assertThat(href(uploadId, "a.view")).isEqualTo("/jobs/" + uploadId);
        assertThat(href(uploadId, "a.pcap")).isEqualTo("/api/jobs/" + uploadId + "/pcap");
        assertThat(href(uploadId, "a.json")).isEqualTo("/api/jobs/" + uploadId);
        assertThat(href(uploadId, "a.dashboard")).as("no Kibana in these tests").isNull();
        assertThat(cdp.eval(row(uploadId) + ".querySelectorAll('button.stop, button.cancel').length").asInt()).isZero();

        String view = href(uploadId, "a.view");
        cdp.navigate(base + view);
        cdp.await("the job page drawn", "document.body.dataset.state === 'drawn'", WAIT,
                "document.body.dataset.state + ': ' + document.getElementById('error').textContent");
        assertThat(cdp.evalString("document.getElementById('source').textContent")).isEqualTo(LOSSY_NAME);
    }

    @Test
    @Order(2)
    void capturesOnLoopbackStartedAndStoppedFromThePage() throws Exception {
        assumeLoopbackCapture();
        openHome();
        awaitLoopbackInThePicker();
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int udpPort = receiver.getLocalPort();
            Set<String> before = rowIds();
            fillLiveForm("lo", "udp port " + udpPort, "", "2m");
            JsonNode started;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                cdp.eval("document.getElementById('start').click()");
                started = cdp.await("a new live:lo row, or an error", "(() => { const id = " + newRowExpression("live:lo", before)
                        + "; if (id) return {id}; const e = document.getElementById('error');"
                        + " return e.hidden ? null : {error: e.textContent}; })()", WAIT, PAGE_STATE);
                // Another test's captures may still hold every place (429): wait for one, as a user would.
                if (!started.path("error").asText().startsWith("Too many live captures") || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(1000);
                cdp.eval("document.getElementById('error').click()");
            }
            if (started.has("error")) {
                String error = started.get("error").asText();
                assumeFalse(error.startsWith("No permission to capture"), "live capture needs root or CAP_NET_RAW: " + error);
                fail("the page could not start a capture on lo: " + error);
            }
            liveId = started.get("id").asText();
            cdp.await("the live:lo row running and capturing, with Stop and Cancel",
                    row(liveId) + "?.dataset.state === 'running' && !!" + row(liveId) + ".querySelector('button.stop')"
                            + " && !!" + row(liveId) + ".querySelector('button.cancel')", WAIT, PAGE_STATE);
            JsonNode live = api.get("/api/jobs/" + liveId).body();
            assertThat(live.get("kind").asText()).isEqualTo("live");
            assertThat(live.at("/live/filter").asText()).isEqualTo("udp port " + udpPort);
            assertThat(live.at("/live/maxPackets").asLong()).as("no packet limit").isZero();
            assertThat(live.at("/live/maxDuration").asText()).isEqualTo("PT2M");

            try (DatagramSocket sender = new DatagramSocket()) {
                for (int i = 0; i < DATAGRAMS; i++) {
                    byte[] payload = ("sharkfin home page " + i).getBytes(StandardCharsets.US_ASCII);
                    sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), udpPort));
                }
            }
            cdp.await("the live row showing " + DATAGRAMS + " packets indexed and captured",
                    shown(liveId, "indexed") + " === '" + DATAGRAMS + "' && " + shown(liveId, "captured") + " === '" + DATAGRAMS + "'",
                    WAIT, PAGE_STATE);
            awaitJob(liveId, "packetsIndexed == " + DATAGRAMS, j -> j.get("packetsIndexed").asLong() == DATAGRAMS);
            assertThat(cdp.evalString(row(liveId) + ".querySelector('.col-drops').textContent")).isEqualTo("0");
            assertThat(cdp.evalString(row(liveId) + ".querySelector('.col-rate').textContent")).endsWith("/s");

            cdp.eval(row(liveId) + ".querySelector('button.stop').click()");
            cdp.await("the live row succeeded after Stop", row(liveId) + ".dataset.state === 'succeeded'", WAIT, PAGE_STATE);
            JsonNode job = api.get("/api/jobs/" + liveId).body();
            assertThat(job.get("state").asText()).isEqualTo("succeeded");
            assertThat(job.at("/live/endReason").asText()).isEqualTo("stopped");
            assertThat(job.at("/live/capturing").asBoolean()).isFalse();
            assertThat(job.get("packetsIndexed").asLong()).isEqualTo(DATAGRAMS);
            assertThat(job.at("/live/packetsCaptured").asLong()).isEqualTo(DATAGRAMS);
            assertThat(cdp.evalString(row(liveId) + ".querySelector('.col-state').textContent")).contains("stopped");
            assertThat(cdp.eval(row(liveId) + ".querySelectorAll('button.stop, button.cancel').length").asInt()).isZero();
            assertThat(href(liveId, "a.pcap")).isEqualTo("/api/jobs/" + liveId + "/pcap");
        }
    }

    @Test
    @Order(3)
    void screenshotWithAFinishedUploadAndLiveCapture() throws IOException {
        openHome();
        if (uploadId != null) {
            cdp.await("the upload's row", row(uploadId) + "?.dataset.state === 'succeeded'", WAIT, PAGE_STATE);
        }
        if (liveId != null) {
            cdp.await("the live capture's row", row(liveId) + "?.dataset.state === 'succeeded'", WAIT, PAGE_STATE);
        }
        byte[] png = cdp.screenshot();
        Files.createDirectories(JobPageBrowserTest.SCREENSHOTS);
        Path file = JobPageBrowserTest.SCREENSHOTS.resolve("home-page.png");
        Files.write(file, png);
        assertThat(png.length).as(file + " is a real picture").isGreaterThan(20_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    @Order(4)
    void showsAFilterThatDoesNotCompileInWords() {
        assumeLoopbackCapture();
        openHome();
        awaitLoopbackInThePicker();
        Set<String> before = rowIds();
        fillLiveForm("lo", "tcp port nope", "", "");
        cdp.eval("document.getElementById('start').click()");
        String error = cdp.await("the error area showing the problem",
                "!document.getElementById('error').hidden && document.getElementById('error').textContent", WAIT, PAGE_STATE).asText();
        assumeFalse(error.startsWith("No permission to capture"), "live capture needs root or CAP_NET_RAW: " + error);
        assertThat(error).startsWith("Capture filter does not compile: ").contains("does not compile").contains("nope")
                .as("in words, not JSON").doesNotContain("{").doesNotContain("\"detail\"");
        assertThat(cdp.eval("document.getElementById('error').getBoundingClientRect().height").asDouble())
                .as("the error area is visible").isPositive();
        assertThat(rowIds()).as("no job for a filter that does not compile").isEqualTo(before);
        assertThat(cdp.eval("document.getElementById('start').disabled").asBoolean()).as("the form is usable again").isFalse();
    }

    @Test
    @Order(5)
    void aDroppedFileWhoseNameIsHtmlIsShownAsText() throws Exception {
        openHome();
        Set<String> before = rowIds();
        String name = "<img src=x onerror=window.pwned=1>.pcap";
        Path dir = Files.createTempDirectory("sharkfin-drop");
        Path file = dir.resolve(name);
        try {
            Files.copy(Path.of("src/test/resources/captures/mixed-small.pcap"), file);
            dropOnto("#dropzone", file);
            String id = newRow(name, before);
            cdp.await("the dropped file's job ended", "['succeeded', 'failed', 'cancelled'].includes(" + row(id) + ".dataset.state)",
                    WAIT, PAGE_STATE);
            assertThat(cdp.evalString(row(id) + ".dataset.state")).isEqualTo("succeeded");
            assertThat(api.get("/api/jobs/" + id).body().get("source").asText()).isEqualTo(name);
            assertThat(cdp.evalString(row(id) + ".querySelector('.col-source .name').textContent")).isEqualTo(name);
            assertThat(cdp.eval("document.querySelectorAll('#jobs img, #jobs script').length").asInt()).isZero();
            assertThat(cdp.eval("window.pwned === undefined").asBoolean()).as("the name ran as HTML").isTrue();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @Order(6)
    void theContentSecurityPolicyBlockedNothingOnTheWay() {
        openHome();
        assertThat(cdp.cspViolations()).as("what the Content-Security-Policy blocked on the home and job pages").isEmpty();
    }

    // ---- the page ----

    void openHome() {
        cdp.navigate(base + "/");
        cdp.await("the home page ready", "document.body.dataset.state === 'ready'", WAIT, PAGE_STATE);
    }

    static String row(String id) {
        return "document.querySelector('#jobs tbody tr[data-job=\"' + CSS.escape(" + js(id) + ") + '\"]')";
    }

    /** A number in the row's packets cell, without thousands separators. */
    static String shown(String id, String what) {
        return row(id) + "?.querySelector('.col-packets ." + what + "')?.textContent.replace(/,/g, '')";
    }

    String href(String id, String selector) {
        return cdp.evalString(row(id) + ".querySelector(" + js(selector) + ")?.getAttribute('href') ?? null");
    }

    Set<String> rowIds() {
        Set<String> ids = new HashSet<>();
        cdp.eval("[...document.querySelectorAll('#jobs tbody tr[data-job]')].map(tr => tr.dataset.job)")
                .forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** A JS expression: the id of a row for {@code source} that was not in {@code before}, or null. */
    static String newRowExpression(String source, Set<String> before) {
        return "(() => { const before = new Set(" + Api.JSON.valueToTree(before) + ");"
                + " for (const tr of document.querySelectorAll('#jobs tbody tr[data-job]')) {"
                + " if (!before.has(tr.dataset.job) && tr.querySelector('.col-source .name')?.textContent === " + js(source) + ")"
                + " return tr.dataset.job; } return null; })()";
    }

    String newRow(String source, Set<String> before) {
        return cdp.await("a new row for " + source, newRowExpression(source, before), WAIT, PAGE_STATE).asText();
    }

    void awaitLoopbackInThePicker() {
        cdp.await("lo in the interface picker, the form enabled",
                "[...document.getElementById('iface').options].some(o => o.value === 'lo')"
                        + " && !document.getElementById('live-fields').disabled", WAIT, PAGE_STATE);
    }

    void fillLiveForm(String iface, String filter, String maxPackets, String maxDuration) {
        cdp.eval("(() => { const set = (id, v) => { const e = document.getElementById(id); e.value = v;"
                + " e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); };"
                + " set('iface', " + js(iface) + "); set('filter', " + js(filter) + "); set('maxPackets', " + js(maxPackets) + ");"
                + " set('maxDuration', " + js(maxDuration) + "); set('maxBytes', ''); set('snaplen', '');"
                + " document.getElementById('promiscuous').checked = false; })()");
        assertThat(cdp.evalString("document.getElementById('iface').value")).isEqualTo(iface);
    }

    /** Drags a file from outside the browser and drops it on the element, as a user would. */
    void dropOnto(String selector, Path file) {
        JsonNode box = cdp.eval("(() => { const r = document.querySelector(" + js(selector) + ").getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        for (String type : new String[] {"dragEnter", "dragOver", "drop"}) {
            var p = Cdp.params().put("type", type).put("x", box.get("x").asDouble()).put("y", box.get("y").asDouble());
            var data = p.putObject("data");
            data.putArray("items");
            data.putArray("files").add(file.toAbsolutePath().toString());
            data.put("dragOperationsMask", 1);
            cdp.send("Input.dispatchDragEvent", p);
        }
    }

    static String js(String s) {
        return Api.JSON.valueToTree(s).toString();
    }

    /** Counts the records of a classic pcap file (either byte order) by walking their headers. */
    static int pcapPackets(Path pcap) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(pcap));
        int magic = b.getInt(0);
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        } else {
            assertThat(magic).as("a classic pcap").isIn(0xa1b2c3d4, 0xa1b23c4d);
        }
        int packets = 0;
        for (int at = 24; at + 16 <= b.limit(); packets++) {
            at += 16 + b.getInt(at + 8);
        }
        return packets;
    }

    // ---- the API ----

    void assumeLoopbackCapture() {
        Api.Response r = api.get("/api/interfaces");
        assumeTrue(r.status() == 200, "live capture is unavailable here: GET /api/interfaces answered " + r.status() + " "
                + r.body().path("title").asText() + ": " + r.body().path("detail").asText());
        assumeTrue(r.body().findValuesAsText("name").contains("lo"), "no loopback interface 'lo' to capture on: " + r.body());
    }

    JsonNode awaitJob(String id, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode job = api.get("/api/jobs/" + id).body();
            if (condition.test(job)) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not reach " + what + " within " + WAIT.toSeconds() + " s: " + job);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
