package dev.sharkfin.job;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.PacketIndex;
import jakarta.annotation.PreDestroy;

/**
 * Accepts, runs, lists and cancels jobs. Jobs run on a bounded executor: {@code concurrency} at once,
 * {@code queueCapacity} waiting, and a full queue is refused ({@link JobExceptions.QueueFull}).
 */
@Service
@EnableConfigurationProperties(JobProperties.class)
public class JobService {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JobProperties props;
    private final IngestPipeline pipeline;
    private final PacketIndex packetIndex;
    private final CaptureStore store;
    private final ThreadPoolExecutor executor;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    JobService(JobProperties props, IngestPipeline pipeline, PacketIndex packetIndex, CaptureStore store) {
        this.props = props;
        this.pipeline = pipeline;
        this.packetIndex = packetIndex;
        this.store = store;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(props.concurrency(), props.concurrency(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, props.queueCapacity())),
                r -> {
                    Thread t = new Thread(r, "sharkfin-job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A new job id: UTC time then random hex, so ids sort by age and are safe in an index name. */
    public static String newId() {
        byte[] r = new byte[3];
        RANDOM.nextBytes(r);
        return ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(r);
    }

    /** Queues a job for a stored capture. */
    public JobStatus submit(String id, String sourceName, StoredCapture capture) {
        Job job = new Job(id, sourceName, packetIndex.indexName(id), capture);
        jobs.put(id, job);
        try {
            job.future = executor.submit(() -> execute(job));
        } catch (RejectedExecutionException e) {
            jobs.remove(id);
            store.delete(capture.path());
            throw new JobExceptions.QueueFull(props.queueCapacity(), props.retryAfter());
        }
        return job.snapshot();
    }

    private void execute(Job job) {
        if (job.cancelRequested) {
            finish(job, JobState.CANCELLED, null);
            return;
        }
        job.startedAt = Instant.now();
        job.state = JobState.RUNNING;
        try {
            pipeline.run(job);
            finish(job, job.cancelRequested ? JobState.CANCELLED : JobState.SUCCEEDED, null);
        } catch (IngestPipeline.JobFailure e) {
            finish(job, JobState.FAILED, e.getMessage());
        } catch (RuntimeException | Error e) {
            log.error("Job {} failed", job.id, e);
            finish(job, JobState.FAILED, "Ingestion failed: " + e.getMessage());
        }
    }

    private void finish(Job job, JobState state, String error) {
        job.error = error;
        job.finishedAt = Instant.now();
        job.state = state;
        store.delete(job.capture.path());
        log.info("Job {} {}: {} packets read, {} indexed, {} failed", job.id, state.json(), job.packetsRead,
                job.packetsIndexed, job.packetsFailed);
    }

    public JobStatus get(String id) {
        return find(id).snapshot();
    }

    /** All jobs, newest first. */
    public List<JobStatus> list() {
        return jobs.values().stream()
                .sorted(Comparator.comparing((Job j) -> j.createdAt).thenComparing(j -> j.id).reversed())
                .map(Job::snapshot)
                .toList();
    }

    /**
     * Cancels a queued or running job. A running job stops at the next packet; what it indexed stays
     * and is counted.
     */
    public JobStatus cancel(String id) {
        Job job = find(id);
        synchronized (job) {
            JobState s = job.state;
            if (s.finished()) {
                throw new JobExceptions.NotCancellable(id, s);
            }
            job.cancelRequested = true;
            if (s == JobState.QUEUED && executor.remove((Runnable) job.future)) {
                finish(job, JobState.CANCELLED, null);
            }
        }
        return job.snapshot();
    }

    private Job find(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new JobExceptions.NotFound(id);
        }
        return job;
    }

    @PreDestroy
    void shutdown() {
        jobs.values().forEach(j -> j.cancelRequested = true);
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
