package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.capture.CaptureProperties;
import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.LiveCaptures;
import dev.sharkfin.index.IndexProperties;
import dev.sharkfin.index.PacketIndex;

/**
 * Which records a starting instance resumes, how it claims them, and what a resumed job looks like, over the job
 * store's contract in memory (the real store and real processes: {@code SharkfinRestartTest}).
 */
class JobResumerTest {
    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final Duration STALE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final MemoryJobDocuments documents = new MemoryJobDocuments();
    private final AtomicInteger runs = new AtomicInteger();
    private final List<JobService> services = new ArrayList<>();
    private CaptureStore store;

    /** Indexes "10 packets" of whatever capture it is given; a held job waits for its cancellation. */
    private final class CountingPipeline extends IngestPipeline {
        private final boolean hold;

        CountingPipeline(boolean hold) {
            super(null, null);
            this.hold = hold;
        }

        @Override
        void run(Job job) {
            runs.incrementAndGet();
            assertThat(Files.exists(job.capture.path())).isTrue();
            while (hold && !job.cancelRequested) {
                Thread.onSpinWait();
            }
            job.packetsRead = 10;
            job.packetsIndexed = 10;
        }
    }

    private CaptureStore store() {
        if (store == null) {
            store = new CaptureStore(new CaptureProperties(dir, DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), false));
        }
        return store;
    }

    private JobService service(boolean hold) {
        IndexProperties ip = new IndexProperties("packets-", 10, DataSize.ofMegabytes(1), 1, Duration.ofSeconds(1), 5,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
        JobService s = new JobService(new JobProperties(2, 8, Duration.ofSeconds(7), Duration.ofMillis(100), 100, 0, STALE, true, 1),
                new CountingPipeline(hold), new PacketIndex(null, ip), store(), documents,
                new LiveCaptures(JobServiceTest.liveProperties()));
        services.add(s);
        return s;
    }

    private JobResumer resumer(JobService s) {
        return new JobResumer(s, new JobProperties(2, 8, Duration.ofSeconds(7), Duration.ofMillis(100), 100, 0, STALE, true, 1), store());
    }

    @AfterEach
    void stop() {
        services.forEach(JobService::shutdown);
    }

    /** A record as an instance that stopped left it: running, last saved {@code ago}. */
    private void leftRunning(String id, String kind, Duration ago, String storeId) throws Exception {
        JobStatus.LiveStatus live = "live".equals(kind) ? new JobStatus.LiveStatus("eth0", "udp", 262144, true, 0, "PT10M",
                1 << 30, true, 500, 40_000, 0, 0, null) : null;
        JobStatus job = new JobStatus(id, kind, "running", "live".equals(kind) ? "live:eth0" : id + ".pcap", "packets-" + id,
                300, 200, 0, 1000, 2000, 0.5, Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:06Z"),
                null, null, null, null, List.of("an earlier warning"), List.of(), live, null, null, null);
        ObjectNode doc = JSON.valueToTree(job);
        doc.put("updatedAt", Instant.now().minus(ago).toString());
        doc.put("owner", "stopped-instance");
        doc.put("store", storeId);
        doc.put("cancelRequested", false);
        documents.save(id, JSON.writeValueAsBytes(doc));
    }

    private Path file(String name) throws Exception {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), "capture");
    }

    private String storeId() {
        return store().storeId();
    }

    @Test
    void aStaleUploadWithItsCaptureIsClaimedAndRunAgainAsTheSameJob() throws Exception {
        leftRunning("up", "upload", Duration.ofSeconds(10), storeId());
        file("up.pcap");
        JobService s = service(false);
        JobResumer r = resumer(s);
        r.start();
        assertThat(r.awaitDone(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("up").state().equals("succeeded"));
        JobStatus job = s.get("up");
        assertThat(job.packetsRead()).isEqualTo(10);
        assertThat(job.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(job.index()).isEqualTo("packets-up");
        assertThat(job.warnings()).contains("an earlier warning")
                .anySatisfy(w -> assertThat(w).startsWith("resumed after the Sharkfin instance running it stopped"));
        assertThat(documents.json("up")).contains("\"state\":\"succeeded\"").doesNotContain("stopped-instance");
        assertThat(runs.get()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("up.pcap"))).as("released after the job, as keep-files=false says").isFalse();
    }

    @Test
    void aJobWhoseCaptureIsGoneIsRecordedFailedWithTheReason() throws Exception {
        leftRunning("gone", "upload", Duration.ofSeconds(10), storeId());
        JobService s = service(false);
        JobResumer r = resumer(s);
        r.start();
        assertThat(r.awaitDone(Duration.ofSeconds(10))).isTrue();
        JobStatus job = s.get("gone");
        assertThat(job.state()).isEqualTo("failed");
        assertThat(job.error()).contains("stopped before it ended").contains("gone.pcap").contains("is gone, so it cannot be resumed");
        assertThat(documents.json("gone")).contains("\"state\":\"failed\"");
        assertThat(runs.get()).isZero();
    }

    @Test
    void aJobCancelledWhileNoInstanceRanItIsRecordedCancelledNotRun() throws Exception {
        leftRunning("stop-it", "upload", Duration.ofSeconds(10), storeId());
        file("stop-it.pcap");
        documents.requestCancel("stop-it");
        JobService s = service(false);
        JobResumer r = resumer(s);
        r.start();
        assertThat(r.awaitDone(Duration.ofSeconds(10))).isTrue();
        assertThat(s.get("stop-it").state()).isEqualTo("cancelled");
        assertThat(s.get("stop-it").finishedAt()).isNotNull();
        assertThat(runs.get()).isZero();
    }

    @Test
    void anotherCaptureFoldersJobIsLeftAlone() throws Exception {
        leftRunning("theirs", "upload", Duration.ofSeconds(10), "another-folder");
        file("theirs.pcap");
        String before = documents.json("theirs");
        JobService s = service(false);
        JobResumer r = resumer(s);
        r.start();
        assertThat(r.awaitDone(Duration.ofSeconds(10))).isTrue();
        assertThat(documents.json("theirs")).isEqualTo(before);
        assertThat(runs.get()).isZero();
    }

    @Test
    void aRecordNotStaleYetIsResumedWhenItBecomesStaleUnlessItsInstanceBeatsAgain() throws Exception {
        leftRunning("dead", "upload", Duration.ofMillis(200), storeId());
        leftRunning("alive", "upload", Duration.ofMillis(200), storeId());
        file("dead.pcap");
        file("alive.pcap");
        JobService s = service(false);
        JobResumer r = resumer(s);
        long t0 = System.nanoTime();
        r.start();
        Thread.sleep(1000);
        assertThat(runs.get()).as("nothing is stale yet").isZero();
        leftRunning("alive", "upload", Duration.ZERO, storeId());   // its instance saves a heartbeat: it lives
        assertThat(r.awaitDone(Duration.ofSeconds(10))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("looked again once the record was stale").isGreaterThan(STALE.minusMillis(300));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("dead").state().equals("succeeded"));
        assertThat(runs.get()).isEqualTo(1);
        assertThat(documents.json("alive")).contains("stopped-instance").contains("\"state\":\"running\"");
    }

    @Test
    void twoInstancesStartingTogetherNeverResumeTheSameJob() throws Exception {
        for (int i = 0; i < 6; i++) {
            leftRunning("j" + i, "upload", Duration.ofSeconds(10), storeId());
            file("j" + i + ".pcap");
        }
        JobService a = service(false);
        JobService b = service(false);
        JobResumer ra = resumer(a);
        JobResumer rb = resumer(b);
        ra.start();
        rb.start();
        assertThat(ra.awaitDone(Duration.ofSeconds(10))).isTrue();
        assertThat(rb.awaitDone(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> documents.unfinished(100).isEmpty());
        assertThat(runs.get()).as("each of the 6 jobs run once, by one instance or the other").isEqualTo(6);
    }

    @Test
    void anInterruptedLiveCaptureIsIndexedFromItsSpoolAndSucceedsSayingWhere() throws Exception {
        leftRunning("cap", "live", Duration.ofSeconds(10), storeId());
        file("cap.pcapng");
        JobService s = service(false);
        JobResumer r = resumer(s);
        r.start();
        assertThat(r.awaitDone(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("cap").state().equals("succeeded"));
        JobStatus job = s.get("cap");
        assertThat(job.kind()).isEqualTo("live");
        assertThat(job.source()).isEqualTo("live:eth0");
        assertThat(job.live().capturing()).isFalse();
        assertThat(job.live().endReason()).isEqualTo("interrupted");
        assertThat(job.live().packetsCaptured()).isEqualTo(500);
        assertThat(job.warnings()).anySatisfy(w -> assertThat(w).startsWith("the live capture was interrupted when the Sharkfin "
                + "instance running it stopped (last seen"));
        assertThat(Files.exists(dir.resolve("cap.pcapng"))).as("a spool is always kept").isTrue();
        assertThat(s.captureFile("cap").path()).isEqualTo(dir.resolve("cap.pcapng"));
    }

    @Test
    void anInstanceThatFindsItsJobResumedElsewhereStopsItAndWritesNoMore() throws Exception {
        JobService s = service(true);
        file("mine.pcap");
        s.submit("mine", "mine.pcap", new dev.sharkfin.capture.StoredCapture(dir.resolve("mine.pcap"),
                dev.sharkfin.capture.CaptureFormat.PCAP, false, 7, 7, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("mine").state().equals("running"));
        await().atMost(Duration.ofSeconds(5)).until(() -> documents.json("mine").contains("\"state\":\"running\""));
        // Another instance took this one for stopped, claimed the job, and saves its heartbeats.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ObjectNode claimed = (ObjectNode) JSON.readTree(documents.json("mine"));
            claimed.put("owner", "the-other-instance");
            documents.save("mine", JSON.writeValueAsBytes(claimed));
            return !s.runs("mine");
        });
        Thread.sleep(300);
        assertThat(documents.json("mine")).contains("the-other-instance").contains("\"state\":\"running\"");
        assertThat(new String(Files.readAllBytes(dir.resolve("mine.pcap")), StandardCharsets.UTF_8))
                .as("the capture stays for the instance that resumed the job").isEqualTo("capture");
    }
}
