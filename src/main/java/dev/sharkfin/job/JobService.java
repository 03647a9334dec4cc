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
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.JobDocuments;
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
    private final ScheduledExecutorService heartbeat;
    private final JobRecords records;
    /** The jobs this instance runs; every job's record is in the shared store. */
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    JobService(JobProperties props, IngestPipeline pipeline, PacketIndex packetIndex, CaptureStore store,
            JobDocuments documents) {
        this.props = props;
        this.pipeline = pipeline;
        this.packetIndex = packetIndex;
        this.store = store;
        this.records = new JobRecords(documents);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sharkfin-job-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, props.heartbeat().toMillis());
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
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
        persist(job);
        try {
            job.future = executor.submit(() -> execute(job));
        } catch (RejectedExecutionException e) {
            jobs.remove(id);
            try {
                records.delete(id);
            } catch (RuntimeException ignored) {
                // the record of a refused upload; harmless if it stays
            }
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
        persist(job);
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
        persist(job);
        jobs.remove(job.id, job);
        log.info("Job {} {}: {} packets read, {} indexed, {} failed", job.id, state.json(), job.packetsRead,
                job.packetsIndexed, job.packetsFailed);
    }

    public JobStatus get(String id) {
        Job job = jobs.get(id);
        if (job != null) {
            return job.snapshot();
        }
        return records.get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
    }

    /** All jobs, newest first: the shared records, with this instance's running jobs as they are now. */
    public List<JobStatus> list() {
        Map<String, JobStatus> all = new java.util.LinkedHashMap<>();
        try {
            records.newest(props.listLimit()).forEach(j -> all.put(j.id(), j));
        } catch (RuntimeException e) {
            // Elasticsearch out of reach: what this instance runs is still worth showing.
            log.warn("Could not list job records: {}", e.getMessage());
        }
        jobs.values().forEach(j -> all.put(j.id, j.snapshot()));
        return all.values().stream()
                .sorted(Comparator.comparing(JobStatus::createdAt).thenComparing(JobStatus::id).reversed())
                .toList();
    }

    /**
     * Saves the job's record. Serialized per job, and nothing is written after the record of its end, so a
     * heartbeat racing the job's end can never leave a "running" record behind.
     */
    private void persist(Job job) {
        synchronized (job.recordLock) {
            if (job.endRecorded) {
                return;
            }
            JobStatus snapshot = job.snapshot();
            try {
                records.save(snapshot);
                job.endRecorded = JobState.valueOf(snapshot.state().toUpperCase(java.util.Locale.ROOT)).finished();
            } catch (RuntimeException e) {
                log.warn("Could not save job {} to Elasticsearch: {}", job.id, e.getMessage());
            }
        }
    }

    /** Saves this instance's live jobs, and picks up cancellations other instances asked for. */
    private void beat() {
        for (Job job : jobs.values()) {
            try {
                boolean cancel = records.get(job.id).map(JobRecords.Stored::cancelRequested).orElse(false);
                if (cancel) {
                    job.cancelRequested = true;
                }
                if (!job.state.finished()) {
                    persist(job);
                }
            } catch (RuntimeException e) {
                log.warn("Heartbeat for job {} failed: {}", job.id, e.getMessage());
            }
        }
    }

    /**
     * Cancels a queued or running job. A running job stops at the next packet; what it indexed stays
     * and is counted.
     */
    public JobStatus cancel(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            // Another instance runs it (or ran it): ask through the shared record.
            JobStatus other = records.get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
            JobState s = JobState.valueOf(other.state().toUpperCase(java.util.Locale.ROOT));
            if (s.finished()) {
                throw new JobExceptions.NotCancellable(id, s);
            }
            records.requestCancel(id);
            return other;
        }
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

    @PreDestroy
    void shutdown() {
        heartbeat.shutdownNow();
        jobs.values().forEach(j -> j.cancelRequested = true);
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
