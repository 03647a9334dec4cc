package dev.sharkfin.job;

import java.time.Instant;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.LiveCapture;

/**
 * Runs a job through the {@link IngestPipeline} and ends it: {@code succeeded}, {@code cancelled} or {@code failed}
 * with a message saying why, the end saved to the records. Ending gives back what the job held: an upload's stored
 * capture and its place in the queue, a live job's capture. A job whose end record could not be saved stays in
 * {@code jobs} for the heartbeat to save it; every other job leaves it when it ends. Never throws.
 */
final class JobExecution {
    /** JobService's logger: these lines are the job service's, wherever its work is done. */
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final IngestPipeline pipeline;
    private final CaptureStore store;
    private final Map<String, Job> jobs;
    private final JobRecordKeeper keeper;

    JobExecution(IngestPipeline pipeline, CaptureStore store, Map<String, Job> jobs, JobRecordKeeper keeper) {
        this.pipeline = pipeline;
        this.store = store;
        this.jobs = jobs;
        this.keeper = keeper;
    }

    /** Runs the job, unless it was cancelled while it waited. */
    void execute(Job job) {
        if (job.cancelRequested) {
            finish(job, JobState.CANCELLED, null);
            return;
        }
        job.startedAt = Instant.now();
        job.state = JobState.RUNNING;
        keeper.save(job);
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
        } catch (OutOfMemoryError e) {
            // The job's state (its conversations, its bulk requests) is let go as the stack unwinds: the service and
            // the other jobs go on. Said in words, with the bounds that decide what a job holds.
            log.error("Job {} ran out of heap", job.id, e);
            finish(job, JobState.FAILED, outOfMemory(e));
        } catch (RuntimeException | Error e) {
            log.error("Job {} failed", job.id, e);
            finish(job, JobState.FAILED, "Ingestion failed: " + e.getMessage());
        }
    }

    /** Why a job that ran out of heap failed, and the bounds that decide what a job holds. */
    static String outOfMemory(OutOfMemoryError e) {
        return "The job ran out of Java heap (" + e.getMessage() + "; the service's -Xmx is "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB) and was stopped; what it indexed is kept. What "
                + "a job holds is bounded by sharkfin.tcp.max-conversations, sharkfin.tcp.max-unacked-state and "
                + "sharkfin.index.bulk-size x concurrent-requests, and sharkfin.jobs.concurrency jobs run at once: lower "
                + "those, or give the service more heap.";
    }

    /** Ends the job in {@code state}, with {@code error} (null unless failed). */
    void finish(Job job, JobState state, String error) {
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
        keeper.save(job);
        if (job.endRecorded || job.superseded) {
            jobs.remove(job.id, job);
        }
        // else: Elasticsearch is away; the heartbeat saves the end record once it is back, then lets the job go.
        log.info("Job {} {}: {} packets read, {} indexed, {} failed", job.id, state.json(), job.packetsRead,
                job.packetsIndexed, job.packetsFailed);
    }

    /**
     * Ends a live job's capture. A cancelled job's indexer may have stopped before the spool's end: the spool is cut
     * back to what was read, so the download holds exactly the indexed frames.
     */
    private static void endCapture(Job job) {
        job.live.stop(job.cancelRequested ? LiveCapture.END_CANCELLED : LiveCapture.END_STOPPED);
        job.live.close();
        if (job.cancelRequested && job.bytesRead > 0) {
            job.live.truncateSpool(job.bytesRead);
        }
    }
}
