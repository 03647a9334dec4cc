package dev.sharkfin.job;

import java.time.Duration;

/** What the job API can answer besides a job. */
public final class JobExceptions {
    public static final class NotFound extends RuntimeException {
        public NotFound(String id) {
            super("No job with id '" + id + "'.");
        }
    }

    public static final class QueueFull extends RuntimeException {
        private final Duration retryAfter;

        public QueueFull(int capacity, Duration retryAfter) {
            super("The job queue is full (" + capacity + " jobs waiting). Try again later.");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    public static final class NotCancellable extends RuntimeException {
        public NotCancellable(String id, JobState state) {
            super("Job '" + id + "' has already ended (" + state.json() + "); only queued or running jobs can be cancelled.");
        }
    }

    public static final class NotStoppable extends RuntimeException {
        public NotStoppable(String id, String why) {
            super("Job '" + id + "' cannot be stopped: " + why + ". Only running live captures can be stopped.");
        }
    }

    /** The job's capture file is not on this instance's disk (not kept, or removed). */
    public static final class CaptureGone extends RuntimeException {
        public CaptureGone(String id) {
            super("The capture file of job '" + id + "' is not kept on this Sharkfin instance: uploads are kept only with "
                    + "sharkfin.capture.keep-files=true, and a file removed from sharkfin.capture.dir is gone.");
        }
    }

    /** A page of the job list out of bounds, or an unknown state. */
    public static final class BadPage extends RuntimeException {
        public BadPage(String message) {
            super(message);
        }
    }

    /** Data of a job that has not ended cannot be deleted. */
    public static final class StillRunning extends RuntimeException {
        public StillRunning(String id, JobState state) {
            super("Job '" + id + "' is " + state.json() + ": cancel it first (DELETE /api/jobs/" + id + "), then delete its data.");
        }
    }

    private JobExceptions() {
    }
}
