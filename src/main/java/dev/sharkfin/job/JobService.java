package dev.sharkfin.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.LiveCapture;
import dev.sharkfin.capture.LiveCaptureSpec;
import dev.sharkfin.capture.LiveCaptures;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.ElasticsearchUnavailableException;
import dev.sharkfin.index.JobDocuments;
import dev.sharkfin.index.PacketIndex;
import jakarta.annotation.PreDestroy;

/**
 * Accepts, runs, lists, stops and cancels jobs. Upload jobs run on a bounded executor: {@code concurrency} at
 * once, {@code queueCapacity} waiting, and a full queue is refused ({@link JobExceptions.QueueFull}). A live
 * capture never waits in that queue (its packets are arriving): its indexer gets a thread of its own at once,
 * and {@link LiveCaptures} bounds how many run.
 *
 * <p>This class is the submission (places in the queue, new jobs) and the entry to the rest, each a class of its own:
 * ids ({@link JobIds}), threads ({@link JobExecutors}), running a job ({@link JobExecution}), the heartbeat ({@link
 * JobHeartbeat}), saving records ({@link JobRecordKeeper}), listing ({@link JobListing}), cancel and stop requests
 * ({@link JobRequests}) and download names ({@link CaptureFileNames}).
 */
@Service
@EnableConfigurationProperties(JobProperties.class)
public class JobService {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobProperties props;
    private final PacketIndex packetIndex;
    private final CaptureStore store;
    private final LiveCaptures captures;
    /** An upload's place among the jobs running or waiting: {@code concurrency + queueCapacity} of them. */
    private final Semaphore places;
    private final JobExecutors executors;
    private final JobRecordKeeper keeper;
    private final JobExecution execution;
    private final JobListing listing;
    private final JobRequests requests;
    /** The jobs this instance runs; every job's record is in the shared store. */
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** When this instance started: the records of jobs it may resume were last saved before it. */
    private final Instant startedAt = Instant.now();

    JobService(JobProperties props, IngestPipeline pipeline, PacketIndex packetIndex, CaptureStore store,
            JobDocuments documents, LiveCaptures captures) {
        this.props = props;
        this.packetIndex = packetIndex;
        this.store = store;
        this.captures = captures;
        this.places = new Semaphore(props.concurrency() + Math.max(0, props.queueCapacity()));
        this.executors = new JobExecutors(props.concurrency());
        this.keeper = new JobRecordKeeper(new JobRecords(documents, props.staleAfter(), JobIds.newInstanceId(), store.storeId()));
        this.execution = new JobExecution(pipeline, store, jobs, keeper);
        this.listing = new JobListing(jobs, keeper, props.listLimit());
        this.requests = new JobRequests(jobs, keeper.records(), executors, execution);
        executors.everyHeartbeat(new JobHeartbeat(jobs, keeper), props.heartbeat());
    }

    /** A new job id: UTC time then random hex, so ids sort by age and are safe in an index name. */
    public static String newId() {
        return JobIds.newJobId();
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
        keeper.save(job);
        try {
            job.future = executors.queueUpload(() -> execution.execute(job));
        } catch (RejectedExecutionException e) {
            // Only when shutting down: the places bound the queue.
            jobs.remove(id);
            job.place.close();
            try {
                keeper.records().delete(id);
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
        private final AtomicBoolean held = new AtomicBoolean(true);
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
        LiveCapture live = captures.start(id, spec, store.pathFor(id, CaptureFormat.PCAPNG));
        Job job = new Job(id, packetIndex.indexName(id), live);
        try {
            packetIndex.create(id, captures.properties().refreshInterval());
        } catch (RuntimeException e) {
            live.close();
            store.delete(live.spoolPath());
            if (e instanceof UncheckedIOException u) {
                throw new ElasticsearchUnavailableException(
                        "The live capture's index could not be created: " + e.getMessage(), u.getCause());
            }
            throw e;
        }
        job.startedAt = Instant.now();
        job.state = JobState.RUNNING;
        jobs.put(id, job);
        keeper.save(job);
        job.future = executors.startLive(() -> execution.execute(job));
        return job.snapshot();
    }

    public JobStatus get(String id) {
        Job job = jobs.get(id);
        if (job != null) {
            return job.snapshot();
        }
        return keeper.records().get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
    }

    /** A page of jobs, and how many jobs match in all. */
    public record Page(List<JobStatus> jobs, long total) {
    }

    /**
     * Jobs newest first, a page at a time, optionally only those in the given states: the shared records, with this
     * instance's running jobs as they are now.
     */
    public Page list(int page, int size, List<String> states) {
        return listing.page(page, size, states);
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
        JobRecords records = keeper.records();
        JobStatus job = records.get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
        JobState s = JobRequests.stateOf(job);
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
        JobRecords.Page p = keeper.records().page(from, size, List.of("succeeded", "failed", "cancelled"), true);
        return new Page(p.jobs(), p.total());
    }

    /**
     * Cancels a queued or running job. A running job stops at the next packet; what it indexed stays
     * and is counted.
     */
    public JobStatus cancel(String id) {
        return requests.cancel(id);
    }

    /**
     * Stops a live capture: nothing more is captured, and the job ends {@code succeeded} once every packet captured
     * is indexed. Uploads have nothing to stop ({@code DELETE} cancels them).
     */
    public JobStatus stop(String id) {
        return requests.stop(id);
    }

    /**
     * The job's capture file for download: a live job's spool (while it runs, up to its last complete packet), or
     * an upload's stored file.
     */
    public CaptureFile captureFile(String id) {
        JobStatus status = get(id);
        Job job = jobs.get(id);
        if (job != null && job.live != null) {
            return new CaptureFile(job.live.spoolPath(), job.live.committedBytes(), CaptureFileNames.of(status, true), true);
        }
        Path path = store.find(id).orElseThrow(() -> new JobExceptions.CaptureGone(id));
        boolean pcapng = path.getFileName().toString().endsWith(".pcapng");
        try {
            return new CaptureFile(path, Files.size(path), CaptureFileNames.of(status, pcapng), pcapng);
        } catch (IOException e) {
            throw new JobExceptions.CaptureGone(id);
        }
    }

    /** A capture file to send: its first {@code length} bytes, under {@code fileName}. */
    public record CaptureFile(Path path, long length, String fileName, boolean pcapng) {
    }

    /**
     * Runs a job this instance claimed from a stopped instance's record ({@link JobResumer}): queued like an upload;
     * false when the queue is full (the job is then recorded failed, saying so).
     */
    boolean adopt(Job job) {
        jobs.put(job.id, job);
        keeper.save(job);
        try {
            job.future = executors.queueUpload(() -> execution.execute(job));
            return true;
        } catch (RejectedExecutionException e) {
            execution.finish(job, JobState.FAILED, "Could not be resumed: the job queue is full (sharkfin.jobs.queue-capacity="
                    + props.queueCapacity() + ").");
            return false;
        }
    }

    /** Whether a resumed job can be queued now without being refused. */
    boolean hasRoom() {
        return executors.hasRoom();
    }

    boolean runs(String id) {
        return jobs.containsKey(id);
    }

    Instant startedAt() {
        return startedAt;
    }

    JobRecords records() {
        return keeper.records();
    }

    @PreDestroy
    void shutdown() {
        executors.stopHeartbeat();
        jobs.values().forEach(j -> {
            j.cancelRequested = true;
            if (j.live != null) {
                j.live.stop(LiveCapture.END_CANCELLED);
            }
        });
        executors.shutdown();
    }
}
