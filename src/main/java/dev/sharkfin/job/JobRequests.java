package dev.sharkfin.job;

import java.util.Locale;
import java.util.Map;

import dev.sharkfin.capture.LiveCapture;

/**
 * Cancel and stop requests. A job this instance runs is asked directly (a queued upload is taken out of the queue and
 * ends {@code cancelled} at once); a job another instance runs is asked through its shared record, which that
 * instance's heartbeat reads. An unknown job is {@link JobExceptions.NotFound}; a job that cannot be cancelled or
 * stopped says why ({@link JobExceptions.NotCancellable}, {@link JobExceptions.NotStoppable}).
 */
final class JobRequests {
    private final Map<String, Job> jobs;
    private final JobRecords records;
    private final JobExecutors executors;
    private final JobExecution execution;

    JobRequests(Map<String, Job> jobs, JobRecords records, JobExecutors executors, JobExecution execution) {
        this.jobs = jobs;
        this.records = records;
        this.executors = executors;
        this.execution = execution;
    }

    /** Cancels a queued or running job: a running job stops at the next packet; what it indexed stays and is counted. */
    JobStatus cancel(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            JobStatus other = recorded(id);
            JobState s = stateOf(other);
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
            if (s == JobState.QUEUED && executors.unqueue(job.future)) {
                execution.finish(job, JobState.CANCELLED, null);
            }
        }
        return job.snapshot();
    }

    /** Stops a live capture: nothing more is captured, and the job ends once every packet captured is indexed. */
    JobStatus stop(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            JobStatus other = recorded(id);
            requireStoppable(id, other.kind(), stateOf(other));
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

    private JobStatus recorded(String id) {
        return records.get(id).map(JobRecords.Stored::job).orElseThrow(() -> new JobExceptions.NotFound(id));
    }

    static JobState stateOf(JobStatus job) {
        return JobState.valueOf(job.state().toUpperCase(Locale.ROOT));
    }

    static void requireStoppable(String id, String kind, JobState state) {
        if (!Job.LIVE.equals(kind)) {
            throw new JobExceptions.NotStoppable(id, "it is an upload, which has nothing to stop; DELETE /api/jobs/" + id
                    + " cancels it");
        }
        if (state.finished()) {
            throw new JobExceptions.NotStoppable(id, "it has already ended (" + state.json() + ")");
        }
    }
}
