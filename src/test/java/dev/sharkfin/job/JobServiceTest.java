package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.CaptureProperties;
import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.LiveCaptureProperties;
import dev.sharkfin.capture.LiveCaptures;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.IndexProperties;
import dev.sharkfin.index.PacketIndex;

/** The executor's contract: bounded concurrency, a bounded queue refused when full, cancellation by state. */
class JobServiceTest {
    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private final MemoryJobDocuments documents = new MemoryJobDocuments();
    private JobService service;

    /** A pipeline that holds its job until released, then stops like the real one when cancelled. */
    private final class HeldPipeline extends IngestPipeline {
        HeldPipeline() {
            super(null, null);
        }

        @Override
        void run(Job job) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (job.id.startsWith("oom")) {
                job.packetsRead = 5;
                throw new OutOfMemoryError("Java heap space");
            }
            job.packetsRead = job.cancelRequested ? 3 : 10;
            job.packetsIndexed = job.packetsRead;
        }
    }

    private JobService service(int concurrency, int queue) {
        IndexProperties ip = new IndexProperties("packets-", 10, DataSize.ofMegabytes(1), 1, Duration.ofSeconds(1), 5,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
        CaptureStore store = new CaptureStore(new CaptureProperties(dir, DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), false));
        service = new JobService(new JobProperties(concurrency, queue, Duration.ofSeconds(7), Duration.ofMillis(100), 100, 0,
                Duration.ofSeconds(60), true, 1),
                new HeldPipeline(), new PacketIndex(null, ip), store, documents, new LiveCaptures(liveProperties()));
        return service;
    }

    static LiveCaptureProperties liveProperties() {
        return new LiveCaptureProperties(true, List.of(), 2, Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofHours(24),
                0, 100_000_000, DataSize.ofGigabytes(1), DataSize.ofGigabytes(16), 262144, DataSize.ofMegabytes(32),
                Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    private StoredCapture capture(String id) {
        return new StoredCapture(dir.resolve(id + ".pcap"), CaptureFormat.PCAP, false, 24, 24, null);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (service != null) {
            service.shutdown();
        }
    }

    @Test
    void aJobOutOfHeapFailsAloneNamingTheBoundsAndTheNextOneRuns() {
        JobService s = service(1, 4);
        s.submit("oom", "o.pcap", capture("oom"));
        s.submit("next", "n.pcap", capture("next"));
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("next").state().equals("succeeded"));
        JobStatus oom = s.get("oom");
        assertThat(oom.state()).isEqualTo("failed");
        assertThat(oom.error()).contains("ran out of Java heap (Java heap space", "-Xmx",
                "sharkfin.tcp.max-conversations", "sharkfin.jobs.concurrency");
        assertThat(oom.packetsRead()).isEqualTo(5);
    }

    @Test
    void fullQueueIsRefusedWithRetryAfter() {
        JobService s = service(1, 1);
        JobStatus running = s.submit("a", "a.pcap", capture("a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("a").state().equals("running"));
        JobStatus queued = s.submit("b", "b.pcap", capture("b"));
        assertThat(queued.state()).isEqualTo("queued");
        assertThatThrownBy(() -> s.submit("c", "c.pcap", capture("c")))
                .isInstanceOfSatisfying(JobExceptions.QueueFull.class, e -> assertThat(e.retryAfter()).hasSeconds(7));
        assertThatThrownBy(() -> s.get("c")).isInstanceOf(JobExceptions.NotFound.class);
        assertThat(s.list()).extracting(JobStatus::id).containsExactly("b", "a");
        assertThat(running.index()).isEqualTo("packets-a");
    }

    @Test
    void cancellingQueuedAndRunningJobsAndRefusingEndedOnes() {
        JobService s = service(1, 4);
        s.submit("run", "r.pcap", capture("run"));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("run").state().equals("running"));
        s.submit("wait", "w.pcap", capture("wait"));

        assertThat(s.cancel("wait").state()).isEqualTo("cancelled");
        s.cancel("run");
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("run").state().equals("cancelled"));
        JobStatus run = s.get("run");
        assertThat(run.packetsRead()).isEqualTo(3);
        assertThat(run.packetsIndexed()).isEqualTo(3);
        assertThat(run.finishedAt()).isNotNull();

        assertThatThrownBy(() -> s.cancel("run")).isInstanceOf(JobExceptions.NotCancellable.class);
        assertThatThrownBy(() -> s.cancel("nope")).isInstanceOf(JobExceptions.NotFound.class);
    }

    @Test
    void endedJobsAreAnsweredFromTheSharedRecordsAndAnotherInstanceCanCancel() {
        JobService s = service(1, 4);
        s.submit("one", "1.pcap", capture("one"));
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("one").state().equals("succeeded"));
        assertThat(documents.json("one")).contains("\"state\":\"succeeded\"").contains("\"packetsRead\":10");

        // A job another instance runs: its record says running and its heartbeat is fresh.
        documents.save("elsewhere", ("{\"id\":\"elsewhere\",\"kind\":\"upload\",\"state\":\"running\",\"createdAt\":\""
                + java.time.Instant.now() + "\",\"updatedAt\":\"" + java.time.Instant.now() + "\",\"warnings\":[],\"failures\":[]}").getBytes());
        assertThat(s.get("elsewhere").state()).isEqualTo("running");
        s.cancel("elsewhere");
        assertThat(documents.json("elsewhere")).contains("\"cancelRequested\":true");
        assertThat(s.list()).extracting(JobStatus::id).containsExactly("elsewhere", "one");

        // An instance that stopped: its job's heartbeat is old, so the job shows as failed, with why.
        documents.save("orphan", ("{\"id\":\"orphan\",\"kind\":\"upload\",\"state\":\"running\",\"createdAt\":\"2020-01-01T00:00:00Z\","
                + "\"updatedAt\":\"2020-01-01T00:00:00Z\",\"warnings\":[],\"failures\":[]}").getBytes());
        assertThat(s.get("orphan").state()).isEqualTo("failed");
        assertThat(s.get("orphan").error()).contains("stopped before it ended");
    }

    /** The place in the queue is taken before an upload is stored, so a full queue writes nothing. */
    @Test
    void aPlaceIsReservedBeforeStoringAndGivenBackWhenRefusedOrEnded() {
        JobService s = service(1, 1);
        JobService.Place first = s.reserve();
        JobService.Place second = s.reserve();
        assertThatThrownBy(s::reserve).isInstanceOf(JobExceptions.QueueFull.class);
        second.close();
        second.close(); // once only
        JobService.Place again = s.reserve();
        assertThatThrownBy(s::reserve).isInstanceOf(JobExceptions.QueueFull.class);
        again.close();
        s.submit(first, "p", "p.pcap", capture("p"));
        first.close(); // handed to the job: closing it gives nothing back
        JobService.Place third = s.reserve();
        assertThatThrownBy(s::reserve).as("the job holds its place while it runs").isInstanceOf(JobExceptions.QueueFull.class);
        third.close();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.get("p").state().equals("succeeded"));
        s.reserve().close();
        s.reserve().close();
        JobService.Place a = s.reserve();
        JobService.Place b = s.reserve();
        assertThatThrownBy(s::reserve).isInstanceOf(JobExceptions.QueueFull.class);
        a.close();
        b.close();
    }

    @Test
    void idsAreLowercaseSafeInIndexNamesAndSortByAge() {
        String id = JobService.newId();
        assertThat(id).matches("[0-9]{8}-[0-9]{6}-[0-9a-f]{6}");
    }
}
