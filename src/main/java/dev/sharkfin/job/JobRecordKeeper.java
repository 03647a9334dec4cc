package dev.sharkfin.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves this instance's jobs to the shared {@link JobRecords}. Saves are serialized per job, and nothing is written
 * after the record of a job's end or once another instance took the job over, so a heartbeat racing the job's end can
 * never leave a "running" record behind. A save that fails is not thrown: it is retried at the next heartbeat, and an
 * outage of the records is logged once (when it starts and when it ends), not once a second per job.
 */
final class JobRecordKeeper {
    /** JobService's logger: these lines are the job service's, wherever its work is done. */
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobRecords records;
    /** Set while job records cannot be saved. */
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();

    JobRecordKeeper(JobRecords records) {
        this.records = records;
    }

    JobRecords records() {
        return records;
    }

    /** Saves the job's record, and marks it {@code endRecorded} once the record of its end is saved. */
    void save(Job job) {
        synchronized (job.recordLock) {
            if (job.endRecorded || job.superseded) {
                return;
            }
            JobStatus snapshot = job.snapshot();
            try {
                records.save(snapshot);
                job.endRecorded = JobState.valueOf(snapshot.state().toUpperCase(Locale.ROOT)).finished();
                back();
            } catch (RuntimeException e) {
                failing("save job " + job.id + " to Elasticsearch", e);
            }
        }
    }

    /** Logs the first failure to reach the job records of an outage; the rest of it only at debug level. */
    void failing(String what, RuntimeException e) {
        if (failingSince.compareAndSet(null, Instant.now())) {
            log.warn("Could not {}: {}. Job records are saved again at each heartbeat; this is logged once until "
                    + "Elasticsearch answers", what, e.getMessage());
        } else {
            log.debug("Could not {}: {}", what, e.getMessage());
        }
    }

    private void back() {
        Instant since = failingSince.getAndSet(null);
        if (since != null) {
            log.info("Job records are saved to Elasticsearch again, after {} s", Duration.between(since, Instant.now()).toSeconds());
        }
    }
}
