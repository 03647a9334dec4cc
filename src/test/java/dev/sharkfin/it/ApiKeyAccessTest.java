package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * Sharkfin with API keys, over real HTTP and in a real Chromium: one full key, one read key. Its own context
 * (other properties than {@link SharkfinIT}'s), so its own embedded Elasticsearch, in a data folder of its own.
 */
@Integration
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sharkfin.security.api-key=" + ApiKeyAccessTest.FULL,
        "sharkfin.security.keys[0].key=" + ApiKeyAccessTest.READ,
        "sharkfin.security.keys[0].role=read",
        "sharkfin.elasticsearch.embedded.data-dir=target/test-elasticsearch-keys",
        "sharkfin.elasticsearch.embedded.heap=512MB",
        "sharkfin.capture.dir=target/test-captures-keys"})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyAccessTest {
    static final String FULL = "full-4f1c2a9e7b3d5680c1e2";
    static final String READ = "read-9a8b7c6d5e4f30211fed";
    static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    Requests http;
    byte[] capture;
    /** A succeeded upload, made with the full key. */
    String id;

    @BeforeAll
    void uploadWithTheFullKey() throws IOException {
        http = new Requests(port);
        capture = Files.readAllBytes(OpenAccessTest.SMALL);
        HttpResponse<String> r = http.upload("keyed.pcap", capture, "X-API-Key", FULL);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        id = Requests.json(r).get("id").asText();
        awaitEnded(id, "X-API-Key", FULL);
    }

    @Test
    void withoutAKeyEveryApiAnswers401SayingHowToSendOne() {
        for (String path : List.of("/api/jobs", "/api/jobs/" + id, "/api/captures", "/api/interfaces", "/v3/api-docs",
                "/v3/api-docs/swagger-config", "/actuator/info")) {
            assertNoKey(http.get(path), "GET " + path);
        }
        assertNoKey(http.upload("nokey.pcap", capture), "POST /api/captures");
        assertNoKey(http.send("DELETE", "/api/jobs/" + id, null), "DELETE /api/jobs/{id}");
        assertNoKey(http.send("POST", "/api/captures/live", "{}".getBytes(), "Content-Type", "application/json"), "POST live");
        assertNoKey(http.send("POST", "/jobs", null), "POST to a page");
    }

    @Test
    void aWrongKeyIs401Too() {
        for (String[] h : List.of(new String[] {"X-API-Key", FULL + "0"}, new String[] {"X-API-Key", "nope"},
                new String[] {"Authorization", "ApiKey " + FULL.substring(1)})) {
            HttpResponse<String> r = http.get("/api/jobs", h);
            assertThat(r.statusCode()).as(h[0] + ": " + h[1]).isEqualTo(401);
            assertThat(Requests.header(r, "WWW-Authenticate")).startsWith("ApiKey");
            assertThat(Requests.json(r).get("title").asText()).isEqualTo("Unknown API key");
            assertThat(Requests.json(r).get("detail").asText()).contains("X-API-Key: <key>").doesNotContain(FULL);
        }
        // A key sent with a page is a script's request: a wrong one is 401, never the login page.
        assertThat(http.get("/", "X-API-Key", "nope").statusCode()).isEqualTo(401);
        HttpResponse<String> bearer = http.get("/api/jobs", "Authorization", "Bearer " + FULL);
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(Requests.json(bearer).get("detail").asText()).contains("Bearer is not accepted: use ApiKey");
    }

    @Test
    void bothHeadersCarryTheKey() {
        assertThat(http.get("/api/jobs", "X-API-Key", FULL).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/jobs", "Authorization", "ApiKey " + FULL).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/jobs", "Authorization", "apikey " + READ).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/interfaces", "X-API-Key", FULL).statusCode()).isNotIn(401, 403);
        HttpResponse<String> docs = http.get("/v3/api-docs", "X-API-Key", FULL);
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode scheme = Requests.json(docs).at("/components/securitySchemes/apiKey");
        assertThat(scheme.get("type").asText()).isEqualTo("apiKey");
        assertThat(scheme.get("in").asText()).isEqualTo("header");
        assertThat(scheme.get("name").asText()).isEqualTo("X-API-Key");
        assertThat(Requests.json(docs).at("/security/0").has("apiKey")).as("Swagger UI sends it on every call").isTrue();
    }

    @Test
    void aReadKeyReadsButChangesNothing() {
        assertThat(http.get("/api/jobs", "X-API-Key", READ).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/jobs/" + id, "X-API-Key", READ).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/jobs/" + id + "/pcap", "X-API-Key", READ).statusCode()).isEqualTo(200);
        assertThat(http.send("HEAD", "/api/jobs/" + id, null, "X-API-Key", READ).statusCode()).isEqualTo(200);
        Set<String> before = ids();
        HttpResponse<String> upload = http.upload("read.pcap", capture, "X-API-Key", READ);
        assertReadOnly(upload, "POST /api/captures");
        assertReadOnly(http.send("DELETE", "/api/jobs/" + id, null, "X-API-Key", READ), "DELETE /api/jobs/{id}");
        assertReadOnly(http.send("POST", "/api/jobs/" + id + "/stop", null, "Authorization", "ApiKey " + READ), "POST stop");
        assertThat(ids()).as("the read key made no job").isEqualTo(before);
    }

    @Test
    void aPageWithoutAuthLeadsToTheLoginWhoseCookieThenOpensPagesAndApi() {
        HttpResponse<String> page = http.get("/jobs/" + id + "?stream=0");
        assertThat(page.statusCode()).isEqualTo(302);
        String login = Requests.header(page, "Location");
        assertThat(login).isEqualTo("/login?next=" + URLEncoder.encode("/jobs/" + id + "?stream=0", StandardCharsets.UTF_8));
        assertThat(Requests.header(http.get("/"), "Location")).isEqualTo("/login?next=%2F");

        HttpResponse<String> form = http.get(login);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<form method=\"post\" action=\"/login\"").contains("name=\"key\"")
                .contains("value=\"/jobs/" + id + "?stream=0\"");
        OpenAccessTest.assertSecurityHeaders(form, "the login page");

        HttpResponse<String> wrong = loginWith("not-" + FULL, "/jobs/" + id);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That key is none of Sharkfin&#39;s keys");
        assertThat(Requests.header(wrong, "Set-Cookie")).isNull();

        HttpResponse<String> ok = loginWith(FULL, "/jobs/" + id);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(Requests.header(ok, "Location")).isEqualTo("/jobs/" + id);
        String setCookie = Requests.header(ok, "Set-Cookie");
        assertThat(setCookie).startsWith("sharkfin_login=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/")
                .as("plain HTTP here").doesNotContain("Secure").doesNotContain(FULL);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> jobPage = http.get("/jobs/" + id, "Cookie", cookie);
        assertThat(jobPage.statusCode()).isEqualTo(200);
        assertThat(jobPage.body()).contains("TCP congestion control");
        OpenAccessTest.assertSecurityHeaders(jobPage, "/jobs/{id}");
        HttpResponse<String> home = http.get("/", "Cookie", cookie);
        assertThat(home.statusCode()).isEqualTo(200);
        OpenAccessTest.assertSecurityHeaders(home, "/");
        assertThat(http.get("/api/jobs/" + id, "Cookie", cookie).statusCode()).isEqualTo(200);
        HttpResponse<String> upload = http.upload("cookie.pcap", capture, "Cookie", cookie, "Origin", http.base);
        assertThat(upload.statusCode()).as("the home page's upload: cookie and its own origin").isEqualTo(202);
        awaitEnded(Requests.json(upload).get("id").asText(), "Cookie", cookie);

        HttpResponse<String> logout = http.send("POST", "/logout", null, "Cookie", cookie, "Origin", http.base);
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(Requests.header(logout, "Location")).isEqualTo("/login?out");
        assertThat(Requests.header(logout, "Set-Cookie")).startsWith("sharkfin_login=;").contains("Max-Age=0");
        HttpResponse<String> after = http.get("/api/jobs", "Cookie", cookie);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(Requests.json(after).get("title").asText()).isEqualTo("Login ended");
        assertThat(http.get("/jobs/" + id, "Cookie", cookie).statusCode()).isEqualTo(302);
    }

    @Test
    void aReadKeysLoginReadsButCannotUpload() {
        String setCookie = Requests.header(loginWith(READ, "/"), "Set-Cookie");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(http.get("/api/jobs", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertReadOnly(http.upload("read-cookie.pcap", capture, "Cookie", cookie, "Origin", http.base), "upload with a read login");
    }

    @Test
    void theLoginLeadsNowhereElse() {
        for (String next : List.of("https://evil.example/", "//evil.example/x", "/\\evil.example")) {
            HttpResponse<String> ok = loginWith(FULL, next);
            assertThat(ok.statusCode()).isEqualTo(303);
            assertThat(Requests.header(ok, "Location")).as(next).isEqualTo("/");
        }
        HttpResponse<String> crossSite = http.send("POST", "/login", ("key=" + FULL).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "http://evil.example");
        assertThat(crossSite.statusCode()).as("a login forced from another site").isEqualTo(403);
        assertThat(Requests.header(crossSite, "Set-Cookie")).isNull();
    }

    @Test
    void crossOriginWritesAreRefusedEvenWithAKey() {
        Set<String> before = ids();
        HttpResponse<String> evil = http.upload("evil.pcap", capture, "X-API-Key", FULL, "Origin", "http://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(Requests.json(evil).get("title").asText()).isEqualTo("Cross-origin request refused");
        assertThat(ids()).as("no job").isEqualTo(before);
        HttpResponse<String> own = http.upload("own.pcap", capture, "X-API-Key", FULL, "Origin", http.base);
        assertThat(own.statusCode()).isEqualTo(202);
        awaitEnded(Requests.json(own).get("id").asText(), "X-API-Key", FULL);
    }

    @Test
    void healthIsOpenButItsDetailsNeedAKey() {
        HttpResponse<String> open = http.get("/actuator/health");
        assertThat(open.statusCode()).isEqualTo(200);
        JsonNode h = Requests.json(open);
        assertThat(h.get("status").asText()).isEqualTo("UP");
        assertThat(h.has("components")).as(open.body()).isFalse();
        assertThat(open.body()).doesNotContain("diskSpace").doesNotContain("cluster_name").doesNotContain("path");
        assertThat(http.get("/actuator/health/diskSpace").statusCode()).as("a component without a key").isEqualTo(404);

        JsonNode full = Requests.json(http.get("/actuator/health", "X-API-Key", READ));
        assertThat(full.at("/components/diskSpace/details/path").isMissingNode()).as(full.toString()).isFalse();
        assertThat(full.at("/components/elasticsearch/details").isMissingNode()).as(full.toString()).isFalse();
    }

    @Test
    void inChromiumTheLoginOpensTheHomeAndJobPagesAndAnEndedLoginAsksForANewOne() throws Exception {
        String chromium = JobPageBrowserTest.chromium();
        if (System.getenv("CI") != null) {
            assertThat(chromium).as("CI must run the browser test: .ci/run installs Debian's chromium").isNotNull();
        }
        assumeTrue(chromium != null, "Debian's chromium is not installed (apt-get install chromium; .ci/run does)");
        try (Cdp cdp = Cdp.launch(chromium)) {
            cdp.viewport(1280, 1000);
            cdp.send("Page.navigate", Cdp.params().put("url", http.base + "/jobs/" + id));
            cdp.await("the login page, in place of the job page", "location.pathname === '/login' && document.readyState === 'complete'"
                    + " && !!document.getElementById('key')", WAIT);
            Files.createDirectories(JobPageBrowserTest.SCREENSHOTS);
            Files.write(JobPageBrowserTest.SCREENSHOTS.resolve("login-page.png"), cdp.screenshot());
            cdp.eval("document.getElementById('key').value = " + HomePageBrowserTest.js(FULL) + ";"
                    + " document.getElementById('login').requestSubmit()");
            cdp.await("the job page drawn after the login", "location.pathname === '/jobs/" + id + "' && document.body.dataset.state === 'drawn'",
                    WAIT, "document.body.dataset.state + ': ' + document.getElementById('error')?.textContent");

            cdp.navigate(http.base + "/");
            cdp.await("the home page ready, listing the job", "document.body.dataset.state === 'ready' && !!document.querySelector("
                    + "'#jobs tbody tr[data-job=\"" + id + "\"]')", WAIT, HomePageBrowserTest.PAGE_STATE);

            cdp.navigate(http.base + "/swagger-ui/index.html");
            cdp.await("Swagger UI listing the operations, with its Authorize button", "document.querySelectorAll('.opblock').length > 5"
                    + " && !!document.querySelector('.btn.authorize')", WAIT, "document.body.innerText.slice(0, 500)");
            assertThat(cdp.cspViolations()).as("what the Content-Security-Policy blocked").isEmpty();

            // The login ends (cookies gone, as after a restart or the lifetime): the home page says so, with a link.
            cdp.navigate(http.base + "/");
            cdp.await("the home page ready", "document.body.dataset.state === 'ready'", WAIT, HomePageBrowserTest.PAGE_STATE);
            cdp.send("Network.clearBrowserCookies", null);
            String link = cdp.await("the home page asking for a login", "!document.getElementById('error').hidden"
                    + " && document.getElementById('login-link')?.getAttribute('href')", WAIT, HomePageBrowserTest.PAGE_STATE).asText();
            assertThat(link).isEqualTo("/login?next=%2F");
            assertThat(cdp.evalString("document.getElementById('error').textContent")).startsWith("Sharkfin needs an API key: log in");

            // The log-out button, after a new login.
            cdp.navigate(http.base + "/login?next=%2F");
            cdp.eval("document.getElementById('key').value = " + HomePageBrowserTest.js(READ) + ";"
                    + " document.getElementById('login').requestSubmit()");
            cdp.await("the home page ready after a second login", "location.pathname === '/' && document.body.dataset.state === 'ready'",
                    WAIT, HomePageBrowserTest.PAGE_STATE);
            cdp.eval("document.getElementById('logout').click()");
            cdp.await("the login page after the log-out", "location.pathname === '/login' && document.getElementById('message')?.textContent"
                    + " === 'Logged out.'", WAIT);
            assertThat(cdp.cspViolations()).as("what the Content-Security-Policy blocked").isEmpty();
        }
    }

    // ---- helpers ----

    HttpResponse<String> loginWith(String key, String next) {
        String form = "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
        return http.send("POST", "/login", form.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-www-form-urlencoded");
    }

    static void assertNoKey(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(401);
        assertThat(Requests.header(r, "Content-Type")).as(what).startsWith("application/problem+json");
        assertThat(Requests.header(r, "WWW-Authenticate")).as(what).startsWith("ApiKey");
        JsonNode p = Requests.json(r);
        assertThat(p.get("status").asInt()).isEqualTo(401);
        assertThat(p.get("title").asText()).as(what).isEqualTo("API key required");
        assertThat(p.get("detail").asText()).as(what).contains("X-API-Key: <key>").contains("Authorization: ApiKey <key>")
                .contains("/login");
        OpenAccessTest.assertSecurityHeaders(r, what);
    }

    static void assertReadOnly(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(403);
        assertThat(Requests.header(r, "Content-Type")).as(what).startsWith("application/problem+json");
        JsonNode p = Requests.json(r);
        assertThat(p.get("title").asText()).isEqualTo("Read-only key");
        assertThat(p.get("role").asText()).isEqualTo("read");
        assertThat(p.get("detail").asText()).contains("GET and HEAD only").contains("role full");
    }

    Set<String> ids() {
        Set<String> s = new HashSet<>();
        Requests.json(http.get("/api/jobs", "X-API-Key", FULL)).forEach(j -> s.add(j.get("id").asText()));
        return s;
    }

    JsonNode awaitEnded(String job, String... auth) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode j = Requests.json(http.get("/api/jobs/" + job, auth));
            if (Set.of("succeeded", "failed", "cancelled").contains(j.path("state").asText())) {
                assertThat(j.get("state").asText()).as(j.toString()).isEqualTo("succeeded");
                return j;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + job + " did not end within " + WAIT.toSeconds() + " s: " + j);
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
