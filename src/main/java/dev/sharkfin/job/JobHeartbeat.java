package dev.sharkfin.job;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sharkfin.capture.LiveCapture;

/**
 * The heartbeat over this instance's jobs: saves each running job's record (its {@code updatedAt} tells other
 * instances this one is alive) and the end records an outage kept from being saved; picks up the cancellations and
 * stops other instances asked for through the records; and lets go of a job another instance resumed. A record that
 * cannot be read is skipped until the next beat.
 */
final class JobHeartbeat implements Runnable {
    /** JobService's logger: these lines are the job service's, wherever its work is done. */
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final Map<String, Job> jobs;
    private final JobRecordKeeper keeper;

    JobHeartbeat(Map<String, Job> jobs, JobRecordKeeper keeper) {
        this.jobs = jobs;
        this.keeper = keeper;
    }

    @Override
    public void run() {
        for (Job job : jobs.values()) {
            if (!job.superseded) {
                beat(job);
            }
        }
    }

    private void beat(Job job) {
        try {
            var record = keeper.records().get(job.id);
            if (record.isPresent() && lostTo(job, record.get())) {
                if (job.state.finished()) {
                    jobs.remove(job.id, job);
                }
                return;
            }
            if (!job.state.finished()) {
                takeRequests(job, record);
            }
            keeper.save(job);
            if (job.endRecorded) {
                jobs.remove(job.id, job);
            }
        } catch (RuntimeException e) {
            keeper.failing("read job " + job.id + " from Elasticsearch", e);
        }
    }

    /** A cancellation or stop another instance asked for through the record. */
    private static void takeRequests(Job job, Optional<JobRecords.Stored> record) {
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
        if (record.owner() == null || record.owner().equals(keeper.records().owner())) {
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
}
