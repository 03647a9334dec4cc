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

    private JobExceptions() {
    }
}
