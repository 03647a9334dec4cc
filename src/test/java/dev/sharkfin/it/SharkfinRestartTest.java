package dev.sharkfin.it;

import static dev.sharkfin.it.Faults.await;
import static dev.sharkfin.it.Faults.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * Sharkfin itself killed (SIGKILL) in the middle of an upload job, and started again: the second instance finds the
 * job's stale record, claims it, and indexes the capture again into the same index, ending with every packet once.
 * Both instances are separate processes (the built classes and the tests' classpath) on the tests' Elasticsearch,
 * sharing a capture folder of their own.
 */
@SharkfinIT
class SharkfinRestartTest {
    static final int COPIES = 24;
    static final long PACKETS = COPIES * 2425L;
    static final Path DIR = Path.of("target/fault-captures/restart");

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopInstances() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A Sharkfin on a free port, on the tests' Elasticsearch, with the restart test's capture folder; started and answering. */
    private Api startInstance(String name) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator
                + System.getProperty("java.class.path");
        Path log = Path.of("target/fault-captures/" + name + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", classpath, "dev.sharkfin.SharkfinApplication",
                "--server.port=" + port,
                "--spring.elasticsearch.uris=" + elasticsearch.uri(),
                "--sharkfin.capture.dir=" + DIR.toAbsolutePath(),
                "--sharkfin.jobs.stale-after=5s",
                "--spring.jmx.enabled=false")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        HttpClient http = HttpClient.newHttpClient();
        URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
        await(name + " to answer on port " + port + " (its log: " + log + ")", Duration.ofSeconds(120), () -> {
            assertThat(p.isAlive()).as(name + " exited; its log: " + log).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return new Api(port, elasticsearch.uri());
    }

    @Test
    void sharkfinKilledDuringAnUploadAndStartedAgainResumesTheJobWithEveryPacketOnce() throws Exception {
        Path big = Faults.bigCapture(Path.of("target/fault-captures/lossy-x" + COPIES + ".pcap"), COPIES);
        org.springframework.util.FileSystemUtils.deleteRecursively(DIR);   // a fresh folder: earlier runs' jobs are not ours
        Api first = startInstance("sharkfin-1");
        Api.Response r = first.upload(big);
        assertThat(r.status()).isEqualTo(202);
        String id = r.body().get("id").asText();
        await("job " + id + " to index 5,000 packets", Duration.ofSeconds(90),
                () -> first.get("/api/jobs/" + id).body().path("packetsIndexed").asLong() >= 5_000);
        JsonNode before = first.get("/api/jobs/" + id).body();
        assertThat(before.get("state").asText()).isEqualTo("running");

        Process firstProcess = started.getFirst();
        long t0 = System.nanoTime();
        firstProcess.destroyForcibly();   // SIGKILL: no shutdown hook, the record stays "running"
        assertThat(firstProcess.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.es("GET", "/sharkfin-jobs/_doc/" + id, null).at("/_source/state").asText())
                .as("the killed instance's record").isEqualTo("running");

        Api second = startInstance("sharkfin-2");
        double upAfter = seconds(t0);
        await("the second instance to resume job " + id, Duration.ofSeconds(60), () -> {
            JsonNode j = second.get("/api/jobs/" + id).body();
            return j.path("warnings").toString().contains("resumed after the Sharkfin instance");
        });
        double resumedAfter = seconds(t0);
        JsonNode job = second.awaitJob(id, Duration.ofMinutes(3));
        double endedAfter = seconds(t0);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("packetsRead").asLong()).isEqualTo(PACKETS);
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(PACKETS);
        assertThat(job.get("packetsFailed").asLong()).isZero();
        assertThat(job.get("createdAt").asText()).as("the same job").isEqualTo(before.get("createdAt").asText());
        assertThat(job.get("index").asText()).isEqualTo("packets-" + id);
        Faults.Indexed ix = Faults.indexed(second, job.get("index").asText());
        Faults.assertEveryPacketOnce(ix, PACKETS);
        assertThat(second.es("GET", "/sharkfin-jobs/_doc/" + id, null).at("/_source/state").asText()).isEqualTo("succeeded");
        System.out.printf("[faults] Sharkfin killed at %d packets indexed (%d read): %d sent, %d indexed, %d twice, %d lost; "
                + "second instance answering %.1f s after SIGKILL, job resumed %.1f s, ended %.1f s after it%n",
                before.get("packetsIndexed").asLong(), before.get("packetsRead").asLong(), PACKETS, ix.count(),
                ix.framesTwice(), ix.lost(PACKETS), upAfter, resumedAfter, endedAfter);
    }
}
