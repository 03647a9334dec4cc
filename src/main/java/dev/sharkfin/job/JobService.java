package dev.sharkfin.job;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
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
import dev.sharkfin.capture.LiveCapture;
import dev.sharkfin.capture.LiveCaptureSpec;
import dev.sharkfin.capture.LiveCaptures;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.JobDocuments;
import dev.sharkfin.index.PacketIndex;
import jakarta.annotation.PreDestroy;

/**
 * Accepts, runs, lists, stops and cancels jobs. Upload jobs run on a bounded executor: {@code concurrency} at
 * once, {@code queueCapacity} waiting, and a full queue is refused ({@link JobExceptions.QueueFull}). A live
 * capture never waits in that queue (its packets are arriving): its indexer gets a thread of its own at once,
 * and {@link LiveCaptures} bounds how many run.
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
    /** An upload's place among the jobs running or waiting: {@code concurrency + queueCapacity} of them. */
    private final Semaphore places;
    private final LiveCaptures captures;
    private final java.util.concurrent.ExecutorService liveExecutor;
    private final ScheduledExecutorService heartbeat;
    private final JobRecords records;
    /** The jobs this instance runs; every job's record is in the shared store. */
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** When this instance started: the records of jobs it may resume were last saved before it. */
    private final Instant startedAt = Instant.now();
    /** Set while job records cannot be saved, so that an outage is logged once, not once a second per job. */
    private final java.util.concurrent.atomic.AtomicReference<Instant> recordsFailingSince = new java.util.concurrent.atomic.AtomicReference<>();

    JobService(JobProperties props, IngestPipeline pipeline, PacketIndex packetIndex, CaptureStore store,
            JobDocuments documents, LiveCaptures captures) {
        this.props = props;
        this.captures = captures;
        AtomicInteger liveThreads = new AtomicInteger();
        this.liveExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sharkfin-live-indexer-" + liveThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pipeline = pipeline;
        this.packetIndex = packetIndex;
        this.store = store;
        this.records = new JobRecords(documents, props.staleAfter(), newInstanceId(), store.storeId());
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sharkfin-job-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, props.heartbeat().toMillis());
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        AtomicInteger n = new AtomicInteger();
        this.places = new Semaphore(props.concurrency() + Math.max(0, props.queueCapacity()));
        // Unbounded here: the places, taken before an upload is stored, are the bound.
        this.executor = new ThreadPoolExecutor(props.concurrency(), props.concurrency(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "sharkfin-job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** This instance's id on the records it saves: host, process id and a random part (a restart is a new instance). */
    private static String newInstanceId() {
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(r);
    }

    /** A new job id: UTC time then random hex, so ids sort by age and are safe in an index name. */
    public static String newId() {
        byte[] r = new byte[3];
        RANDOM.nextBytes(r);
        return ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(r);
    }

    /**
     * Takes a place in the job queue for an upload that is about to be stored, so a full queue is answered before a
     * byte is written ({@link JobExceptions.QueueFull}). The place goes to the job {@link #submit(Place, String,
     * String, StoredCapture) submitted} with it, and is given back when that job ends; closing a place that was not
     * handed to a job (the upload was refused) gives it back at once.
     */
    public Place reserve() {
        if (!places.tryAcquire()) {
            throw new JobExceptions.QueueFull(props.queueCapacity(), props.retryAfter());
        }
        return new Place(places);
    }

    /** Queues a job for a stored capture, taking a place in the queue first (see {@link #reserve()}). */
    public JobStatus submit(String id, String sourceName, StoredCapture capture) {
        Place place;
        try {
            place = reserve();
        } catch (JobExceptions.QueueFull e) {
            store.delete(capture.path());
            throw e;
        }
        try (place) {
            return submit(place, id, sourceName, capture);
        }
    }

    /** Queues a job for a stored capture in the place reserved for it; the job gives the place back when it ends. */
    public JobStatus submit(Place place, String id, String sourceName, StoredCapture capture) {
        Job job = new Job(id, sourceName, packetIndex.indexName(id), capture);
        job.place = place.handOver();
        jobs.put(id, job);
        persist(job);
        try {
            job.future = executor.submit(() -> execute(job));
        } catch (RejectedExecutionException e) {
            // Only when shutting down: the places bound the queue.
            jobs.remove(id);
            job.place.close();
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

    /** A place among the jobs running or waiting; given back once, on {@link #close()}, unless handed to a job. */
    public static final class Place implements AutoCloseable {
        private final Semaphore places;
        private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
        private volatile boolean handedOver;

        private Place(Semaphore places) {
            this.places = places;
        }

        /** A place now owned by a job: closing this one does nothing, the job's closes it when it ends. */
        Place handOver() {
            if (handedOver || !held.get()) {
                throw new IllegalStateException("this place was already used");
            }
            handedOver = true;
            Place job = new Place(places);
            held.set(false);
            return job;
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                places.release();
            }
        }
    }

    /**
     * Starts a live capture and its job: the capture is opened first (so a bad interface, filter or permission is
     * answered before anything exists), then the job's index is created with a short refresh interval, then the
     * indexer starts following the capture's spool.
     */
    public JobStatus startLive(LiveCaptureSpec spec) {
        String id = newId();
        LiveCapture live = captures.start(id, spec, store.pathFor(id, dev.sharkfin.capture.CaptureFormat.PCAPNG));
        Job job = new Job(id, packetIndex.indexName(id), live);
        try {
            packetIndex.create(id, captures.properties().refreshInterval());
        } catch (RuntimeException e) {
            live.close();
            store.delete(live.spoolPath());
            if (e instanceof java.io.UncheckedIOException u) {
                throw new dev.sharkfin.index.ElasticsearchUnavailableException(
                        "The live capture's index could not be created: " + e.getMessage(), u.getCause());
            }
            throw e;
        }
        job.startedAt = Instant.now();
        job.state = JobState.RUNNING;
        jobs.put(id, job);
        persist(job);
        job.future = liveExecutor.submit(() -> execute(job));
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
            if (job.live != null && !job.cancelRequested && job.live.error() != null) {
                finish(job, JobState.FAILED, "The capture on " + job.live.spec().interfaceName() + " stopped: "
                        + job.live.error() + ". Every packet captured before that was indexed.");
                return;
            }
            finish(job, job.cancelRequested ? JobState.CANCELLED : JobState.SUCCEEDED, null);
        } catch (IngestPipeline.JobFailure e) {
            finish(job, JobState.FAILED, e.getMessage());
        } catch (RuntimeException | Error e) {
            log.error("Job {} failed", job.id, e);
            finish(job, JobState.FAILED, "Ingestion failed: " + e.getMessage());
        }
    }

    private void finish(Job job, JobState state, String error) {
        if (job.live != null) {
            endCapture(job);
        } else if (Job.UPLOAD.equals(job.kind) && !job.superseded) {
            store.release(job.capture.path());
            if (job.place != null) {
                job.place.close();
            }
        }
        job.error = error;
        job.finishedAt = Instant.now();
        job.state = state;
        persist(job);
        if (job.endRecorded || job.superseded) {
            jobs.remove(job.id, job);
        }
        // else: Elasticsearch is away; the heartbeat saves the end record once it is back, then lets the job go.
        log.info("Job {} {}: {} packets read, {} indexed, {} failed", job.id, state.json(), job.packetsRead,
                job.packetsIndexed, job.packetsFailed);
    }

    /**
     * Ends a live job's capture and gives back its place. A cancelled job's indexer may have stopped before the
     * spool's end: the spool is cut back to what was read, so the download holds exactly the indexed frames.
     */
    private void endCapture(Job job) {
        job.live.stop(job.cancelRequested ? LiveCapture.END_CANCELLED : LiveCapture.END_STOPPED);
        job.live.close();
        if (job.cancelRequested && job.bytesRead > 0) {
            job.live.truncateSpool(job.bytesRead);
        }
    }

    public JobStatus get(String id) {
        Job job = jobs.get(id);
        if (job != null) {
            return job.snapshot();
        }
        return records.get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
    }

    /** The deepest a page may reach: Elasticsearch's default result window. */
    static final int MAX_LISTED = 10_000;

    /** A page of jobs, and how many jobs match in all. */
    public record Page(List<JobStatus> jobs, long total) {
    }

    /**
     * Jobs newest first, a page at a time, optionally only those in the given states: the shared records, with this
     * instance's running jobs as they are now.
     */
    public Page list(int page, int size, List<String> states) {
        if (page < 0 || size < 1 || size > props.listLimit()) {
            throw new JobExceptions.BadPage("'page' must be 0 or more and 'size' between 1 and " + props.listLimit()
                    + " (sharkfin.jobs.list-limit).");
        }
        if ((long) page * size + size > MAX_LISTED) {
            throw new JobExceptions.BadPage("Pages reach the " + MAX_LISTED + " newest jobs only: filter by state, or "
                    + "let retention (sharkfin.retention.*) remove old jobs.");
        }
        List<String> wanted = states.stream().map(JobService::state).toList();
        JobRecords.Page found;
        try {
            found = records.page(page * size, size, wanted, false);
        } catch (RuntimeException e) {
            // Elasticsearch out of reach: what this instance runs is still worth showing.
            recordsFailing("list job records from Elasticsearch", e);
            List<JobStatus> here = page > 0 ? List.of() : jobs.values().stream().map(Job::snapshot)
                    .filter(j -> wanted.isEmpty() || wanted.contains(j.state()))
                    .sorted(Comparator.comparing(JobStatus::createdAt).reversed()).limit(size).toList();
            return new Page(here, here.size());
        }
        List<JobStatus> out = found.jobs().stream().map(j -> {
            Job local = jobs.get(j.id());
            return local != null ? local.snapshot() : j;
        }).filter(j -> wanted.isEmpty() || wanted.contains(j.state())).toList();
        return new Page(out, found.total());
    }

    private static String state(String name) {
        try {
            return JobState.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT)).json();
        } catch (IllegalArgumentException e) {
            throw new JobExceptions.BadPage("'" + name + "' is not a job state: queued, running, succeeded, failed or cancelled.");
        }
    }

    /** All jobs, newest first, up to the list limit. */
    public List<JobStatus> list() {
        return list(0, props.listLimit(), List.of()).jobs();
    }

    /**
     * Deletes an ended job's data: its index, its kept capture and its record. A queued or running job must be
     * cancelled first (409), so that nothing is written into an index being deleted.
     */
    public void deleteData(String id) {
        Job local = jobs.get(id);
        if (local != null && !local.state.finished()) {
            throw new JobExceptions.StillRunning(id, local.state);
        }
        JobStatus job = records.get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
        JobState s = JobState.valueOf(job.state().toUpperCase(java.util.Locale.ROOT));
        if (!s.finished()) {
            throw new JobExceptions.StillRunning(id, s);
        }
        packetIndex.delete(job.index());
        store.find(id).ifPresent(store::delete);
        records.delete(id);
        log.info("Job {} deleted: its index {}, its capture and its record", id, job.index());
    }

    /** Jobs that have ended, oldest first (for retention). */
    Page ended(int from, int size) {
        JobRecords.Page p = records.page(from, size, List.of("succeeded", "failed", "cancelled"), true);
        return new Page(p.jobs(), p.total());
    }

    /**
     * Saves the job's record. Serialized per job, and nothing is written after the record of its end, so a
     * heartbeat racing the job's end can never leave a "running" record behind.
     */
    private void persist(Job job) {
        synchronized (job.recordLock) {
            if (job.endRecorded || job.superseded) {
                return;
            }
            JobStatus snapshot = job.snapshot();
            try {
                records.save(snapshot);
                job.endRecorded = JobState.valueOf(snapshot.state().toUpperCase(java.util.Locale.ROOT)).finished();
                recordsBack();
            } catch (RuntimeException e) {
                recordsFailing("save job " + job.id + " to Elasticsearch", e);
            }
        }
    }

    /** Logs the first failure to reach the job records of an outage; the rest of it only at debug level. */
    private void recordsFailing(String what, RuntimeException e) {
        if (recordsFailingSince.compareAndSet(null, Instant.now())) {
            log.warn("Could not {}: {}. Job records are saved again at each heartbeat; this is logged once until "
                    + "Elasticsearch answers", what, e.getMessage());
        } else {
            log.debug("Could not {}: {}", what, e.getMessage());
        }
    }

    private void recordsBack() {
        Instant since = recordsFailingSince.getAndSet(null);
        if (since != null) {
            log.info("Job records are saved to Elasticsearch again, after {} s", java.time.Duration.between(since, Instant.now()).toSeconds());
        }
    }

    /**
     * Saves this instance's running jobs (and the end records an outage kept from being saved), picks up
     * cancellations and stops other instances asked for, and lets go of a job another instance resumed.
     */
    private void beat() {
        for (Job job : jobs.values()) {
            if (job.superseded) {
                continue;
            }
            try {
                var record = records.get(job.id);
                if (record.isPresent() && lostTo(job, record.get())) {
                    if (job.state.finished()) {
                        jobs.remove(job.id, job);
                    }
                    continue;
                }
                if (!job.state.finished()) {
                    takeRequests(job, record);
                }
                persist(job);
                if (job.endRecorded) {
                    jobs.remove(job.id, job);
                }
            } catch (RuntimeException e) {
                recordsFailing("read job " + job.id + " from Elasticsearch", e);
            }
        }
    }

    /** A cancellation or stop another instance asked for through the record. */
    private static void takeRequests(Job job, java.util.Optional<JobRecords.Stored> record) {
        if (record.map(JobRecords.Stored::cancelRequested).orElse(false)) {
            job.cancelRequested = true;
            if (job.live != null) {
                job.live.stop(LiveCapture.END_CANCELLED);
            }
        }
        if (job.live != null && record.map(JobRecords.Stored::stopRequested).orElse(false)) {
            job.stopRequested = true;
            job.live.stop(LiveCapture.END_STOPPED);
        }
    }

    /**
     * Whether another instance claimed the job: this one was taken for stopped (it could not save its heartbeat for
     * longer than {@code stale-after}) and the job was resumed elsewhere. This instance stops it and writes no more
     * records for it; the other run indexes the same documents (same ids), so the index stays exact.
     */
    private boolean lostTo(Job job, JobRecords.Stored record) {
        if (record.owner() == null || record.owner().equals(records.owner())) {
            return false;
        }
        log.warn("Job {} was resumed by another Sharkfin instance ({}); this instance stops running it", job.id, record.owner());
        job.superseded = true;
        job.cancelRequested = true;
        if (job.live != null) {
            job.live.stop(LiveCapture.END_CANCELLED);
        }
        return true;
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
            if (job.live != null) {
                job.live.stop(LiveCapture.END_CANCELLED);
            }
            if (s == JobState.QUEUED && executor.remove((Runnable) job.future)) {
                finish(job, JobState.CANCELLED, null);
            }
        }
        return job.snapshot();
    }

    /**
     * Stops a live capture: nothing more is captured, and the job ends {@code succeeded} once every packet captured
     * is indexed. Uploads have nothing to stop ({@code DELETE} cancels them).
     */
    public JobStatus stop(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            JobStatus other = records.get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
            requireStoppable(id, other.kind(), JobState.valueOf(other.state().toUpperCase(java.util.Locale.ROOT)));
            records.requestStop(id);
            return other;
        }
        synchronized (job) {
            requireStoppable(id, job.kind, job.state);
            if (job.live == null) {
                throw new JobExceptions.NotStoppable(id, "its capture ended when the Sharkfin instance running it stopped; "
                        + "what it captured is being indexed");
            }
            job.stopRequested = true;
            job.live.stop(LiveCapture.END_STOPPED);
        }
        return job.snapshot();
    }

    private static void requireStoppable(String id, String kind, JobState state) {
        if (!Job.LIVE.equals(kind)) {
            throw new JobExceptions.NotStoppable(id, "it is an upload, which has nothing to stop; DELETE /api/jobs/" + id
                    + " cancels it");
        }
        if (state.finished()) {
            throw new JobExceptions.NotStoppable(id, "it has already ended (" + state.json() + ")");
        }
    }

    /**
     * The job's capture file for download: a live job's spool (while it runs, up to its last complete packet), or
     * an upload's stored file.
     */
    public CaptureFile captureFile(String id) {
        JobStatus status = get(id);
        Job job = jobs.get(id);
        if (job != null && job.live != null) {
            return new CaptureFile(job.live.spoolPath(), job.live.committedBytes(), fileName(status, true), true);
        }
        java.nio.file.Path path = store.find(id).orElseThrow(() -> new JobExceptions.CaptureGone(id));
        boolean pcapng = path.getFileName().toString().endsWith(".pcapng");
        try {
            return new CaptureFile(path, java.nio.file.Files.size(path), fileName(status, pcapng), pcapng);
        } catch (java.io.IOException e) {
            throw new JobExceptions.CaptureGone(id);
        }
    }

    /** A capture file to send: its first {@code length} bytes, under {@code fileName}. */
    public record CaptureFile(java.nio.file.Path path, long length, String fileName, boolean pcapng) {
    }

    private static String fileName(JobStatus job, boolean pcapng) {
        String ext = pcapng ? ".pcapng" : ".pcap";
        if ("live".equals(job.kind())) {
            return "sharkfin-" + job.id() + "-" + job.source().substring("live:".length()).replaceAll("[^A-Za-z0-9._-]", "_") + ext;
        }
        String base = job.source().replaceAll("(?i)\\.gz$", "").replaceAll("(?i)\\.(pcapng|pcap|cap)$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_");
        return (base.isBlank() ? "capture-" + job.id() : base) + ext;
    }

    /**
     * Runs a job this instance claimed from a stopped instance's record ({@link JobResumer}): queued like an upload;
     * false when the queue is full (the job is then recorded failed, saying so).
     */
    boolean adopt(Job job) {
        jobs.put(job.id, job);
        persist(job);
        try {
            job.future = executor.submit(() -> execute(job));
            return true;
        } catch (RejectedExecutionException e) {
            finish(job, JobState.FAILED, "Could not be resumed: the job queue is full (sharkfin.jobs.queue-capacity="
                    + props.queueCapacity() + ").");
            return false;
        }
    }

    /** Whether a resumed job can be queued now without being refused. */
    boolean hasRoom() {
        return executor.getQueue().remainingCapacity() > 0;
    }

    boolean runs(String id) {
        return jobs.containsKey(id);
    }

    Instant startedAt() {
        return startedAt;
    }

    JobRecords records() {
        return records;
    }

    @PreDestroy
    void shutdown() {
        heartbeat.shutdownNow();
        jobs.values().forEach(j -> {
            j.cancelRequested = true;
            if (j.live != null) {
                j.live.stop(LiveCapture.END_CANCELLED);
            }
        });
        executor.shutdown();
        liveExecutor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
