package dev.sharkfin.it;

import static dev.sharkfin.it.Faults.await;
import static dev.sharkfin.it.Faults.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sharkfin.SharkfinApplication;
import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * Elasticsearch stalling, dying and staying away during an upload job, for real: the tests' embedded Elasticsearch is
 * paused (SIGSTOP) or killed (SIGKILL) while a job indexes a capture of 58,200 packets, and the index is counted
 * exactly afterwards. Each prints its figures.
 */
@SharkfinIT
class ElasticsearchFaultsTest {
    static final int COPIES = 24;
    static final long PACKETS = COPIES * 2425L;
    static Path big;

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @BeforeAll
    static void capture() throws Exception {
        big = Faults.bigCapture(Path.of("target/fault-captures/lossy-x" + COPIES + ".pcap"), COPIES);
    }

    Api api() {
        return new Api(port, elasticsearch.uri());
    }

    /** Uploads the big capture and returns its job id once the job has read {@code packets} packets. */
    static String uploadAndAwaitProgress(Api api, long packets) {
        return uploadAndAwait(api, "packetsRead", packets);
    }

    /** Uploads the big capture and returns its job id once the job's {@code counter} has reached {@code packets}. */
    static String uploadAndAwait(Api api, String counter, long packets) {
        Api.Response r = api.upload(big);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        String id = r.body().get("id").asText();
        await("job " + id + "'s " + counter + " to reach " + packets, Duration.ofSeconds(90),
                () -> api.get("/api/jobs/" + id).body().path(counter).asLong() >= packets);
        JsonNode job = api.get("/api/jobs/" + id).body();
        assertThat(job.get("state").asText()).as("still running when the fault comes: " + job).isEqualTo("running");
        return id;
    }

    static int retries(JsonNode job) {
        for (JsonNode w : job.get("warnings")) {
            var m = java.util.regex.Pattern.compile("(\\d+) bulk requests? (was|were) retried").matcher(w.asText());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    @Test
    void elasticsearchPausedFor45SecondsDuringAnUploadLosesAndDuplicatesNothing() {
        Api api = api();
        long pid = elasticsearch.pid();
        assertThat(pid).isPositive();
        String id = uploadAndAwaitProgress(api, 6_000);
        long t0 = System.nanoTime();
        long readAtPause;
        Faults.signal("STOP", pid);
        try {
            readAtPause = api.get("/api/jobs/" + id).body().get("packetsRead").asLong();
            assertThat(answers(elasticsearch.uri(), Duration.ofSeconds(2))).as("Elasticsearch is really paused").isFalse();
            Faults.sleep(45_000);
        } finally {
            Faults.signal("CONT", pid);
        }
        long resumed = System.nanoTime();
        JsonNode job = api.awaitJob(id, Duration.ofMinutes(3));
        double recovery = seconds(resumed);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("packetsRead").asLong()).isEqualTo(PACKETS);
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(PACKETS);
        assertThat(job.get("packetsFailed").asLong()).isZero();
        Faults.Indexed ix = Faults.indexed(api, job.get("index").asText());
        Faults.assertEveryPacketOnce(ix, PACKETS);
        System.out.printf("[faults] Elasticsearch paused 45 s at packet %d: %d sent, %d indexed, %d twice, %d lost, "
                + "%d bulk retries; job ended %.1f s after SIGCONT (%.1f s after the pause began)%n", readAtPause, PACKETS,
                ix.count(), ix.framesTwice(), ix.lost(PACKETS), retries(job), recovery, seconds(t0));
    }

    @Test
    void elasticsearchKilledDuringAnUploadIsRestartedAndTheJobSucceedsWithEveryPacketOnce() {
        Api api = api();
        long pid = elasticsearch.pid();
        int restartsBefore = elasticsearch.restartCount();
        String id = uploadAndAwaitProgress(api, 6_000);
        long readAtKill = api.get("/api/jobs/" + id).body().get("packetsRead").asLong();
        long t0 = System.nanoTime();
        Faults.signal("KILL", pid);
        await("the supervisor to notice and restart Elasticsearch", Duration.ofSeconds(180),
                () -> elasticsearch.restartCount() > restartsBefore);
        double restart = seconds(t0);
        assertThat(elasticsearch.pid()).as("a new node process").isNotEqualTo(pid).isPositive();
        JsonNode health = api.get("/actuator/health").body().at("/components/embeddedElasticsearch");
        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("UP");
        assertThat(health.at("/details/restarts").asInt()).isEqualTo(restartsBefore + 1);
        assertThat(health.at("/details/detail").asText()).contains("restarted").contains("exited with code");
        assertThat(health.at("/details/uri").asText()).isEqualTo(elasticsearch.uri().toString());

        JsonNode job = api.awaitJob(id, Duration.ofMinutes(3));
        double total = seconds(t0);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("packetsRead").asLong()).isEqualTo(PACKETS);
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(PACKETS);
        assertThat(job.get("packetsFailed").asLong()).isZero();
        int retries = retries(job);
        assertThat(retries).as("requests failed while Elasticsearch was down, and were retried: " + job.get("warnings")).isPositive();
        Faults.Indexed ix = Faults.indexed(api, job.get("index").asText());
        Faults.assertEveryPacketOnce(ix, PACKETS);
        System.out.printf("[faults] Elasticsearch killed at packet %d: %d sent, %d indexed, %d twice, %d lost, "
                + "%d bulk retries; restarted and healthy %.1f s after SIGKILL, job ended %.1f s after it%n", readAtKill,
                PACKETS, ix.count(), ix.framesTwice(), ix.lost(PACKETS), retries, restart, total);
    }

    @Test
    void elasticsearchAwayLongerThanRetryForFailsTheJobWithTheReasonAndExactCounts() {
        // A Sharkfin of its own on the tests' Elasticsearch, giving up after 5 s, with 2 s socket timeouts.
        // Command-line arguments: they outrank application.yml (default properties would not).
        ConfigurableApplicationContext other = new SpringApplicationBuilder(SharkfinApplication.class).run(
                "--server.port=0",
                "--spring.elasticsearch.uris=" + elasticsearch.uri(),
                "--spring.elasticsearch.socket-timeout=2s",
                "--sharkfin.index.retry-for=5s",
                "--sharkfin.index.retry-initial-backoff=200ms",
                "--sharkfin.index.retry-max-backoff=1s",
                "--sharkfin.capture.dir=target/fault-captures/away",
                "--sharkfin.jobs.resume=false",
                "--spring.jmx.enabled=false");
        long pid = elasticsearch.pid();
        boolean paused = false;
        try {
            int otherPort = ((WebServerApplicationContext) other).getWebServer().getPort();
            Api api = new Api(otherPort, elasticsearch.uri());
            String id = uploadAndAwait(api, "packetsIndexed", 5_000);
            long t0 = System.nanoTime();
            Faults.signal("STOP", pid);
            paused = true;
            JsonNode job = api.awaitJob(id, Duration.ofSeconds(60));
            double failedAfter = seconds(t0);
            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("failed");
            assertThat(job.get("error").asText())
                    .startsWith("Elasticsearch unavailable for 5s (sharkfin.index.retry-for): ")
                    .contains("Timeout");
            long read = job.get("packetsRead").asLong();
            long indexed = job.get("packetsIndexed").asLong();
            long failed = job.get("packetsFailed").asLong();
            assertThat(read).as("the reader stopped when the sink gave up").isLessThan(PACKETS);
            assertThat(indexed + failed).as("packetsRead == packetsIndexed + packetsFailed").isEqualTo(read);
            assertThat(failed).isPositive();
            assertThat(indexed).as("indexed before the pause").isPositive();
            assertThat(job.get("failures")).isNotEmpty().allSatisfy(f ->
                    assertThat(f.get("reason").asText()).isEqualTo(job.get("error").asText()));
            assertThat(failedAfter).as("failed once retry-for was up, while Elasticsearch was still paused").isLessThan(40);
            Faults.signal("CONT", pid);
            paused = false;
            // The end record could not be saved while Elasticsearch was paused; the heartbeat saves it once it is back.
            await("the job's end record saved", Duration.ofSeconds(60), () -> "failed".equals(api.es("GET",
                    "/sharkfin-jobs/_doc/" + id, null).at("/_source/state").asText()));
            // A request that timed out may still be applied once Elasticsearch runs again: its documents are counted
            // failed (Sharkfin cannot know) and may be in the index too. Never more than were read, never twice.
            Faults.Indexed ix = Faults.indexed(api, job.get("index").asText());
            long inIndex = ix.count();
            assertThat(inIndex).as("what was counted indexed is in the index").isBetween(indexed, read);
            assertThat(ix.framesTwice()).isZero();
            System.out.printf("[faults] Elasticsearch paused past retry-for 5s: job failed %.1f s after SIGSTOP; %d read, "
                    + "%d indexed (%d in the index), %d failed, %d bulk retries; error: %s%n", failedAfter, read, indexed,
                    inIndex, failed, retries(job), job.get("error").asText());
        } finally {
            if (paused) {
                Faults.signal("CONT", pid);
            }
            other.close();
        }
    }

    static boolean answers(URI es, Duration timeout) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            return http.send(HttpRequest.newBuilder(URI.create(es + "/_cluster/health")).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
