package dev.sharkfin.job;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.IndexFailure;

/**
 * One ingestion job's live state. The pipeline thread writes the counters; API threads read snapshots.
 */
final class Job {
    final String id;
    final String source;
    final String index;
    final Instant createdAt = Instant.now();
    final StoredCapture capture;
    final List<String> warnings = new CopyOnWriteArrayList<>();

    volatile JobState state = JobState.QUEUED;
    volatile Instant startedAt;
    volatile Instant finishedAt;
    volatile long packetsRead;
    volatile long packetsIndexed;
    volatile long packetsFailed;
    volatile long bytesRead;
    volatile long firstPacketNanos = Long.MIN_VALUE;
    volatile long lastPacketNanos = Long.MIN_VALUE;
    volatile String error;
    volatile List<IndexFailure> failures = List.of();
    volatile boolean cancelRequested;
    volatile Future<?> future;
    final Object recordLock = new Object();
    /** Guarded by recordLock: the record of the job's end is written. */
    boolean endRecorded;

    Job(String id, String source, String index, StoredCapture capture) {
        this.id = id;
        this.source = source;
        this.index = index;
        this.capture = capture;
        if (capture.warning() != null) {
            warnings.add(capture.warning());
        }
    }

    JobStatus snapshot() {
        long total = capture.size();
        JobState s = state;
        double progress = s.finished() ? (s == JobState.SUCCEEDED ? 1.0 : Math.min(1.0, total == 0 ? 0 : (double) bytesRead / total))
                : total == 0 ? 0 : Math.min(0.99, (double) bytesRead / total);
        return new JobStatus(id, "upload", s.json(), source, index, packetsRead, packetsIndexed, packetsFailed,
                Math.min(bytesRead, total), total, progress, createdAt, startedAt, finishedAt,
                time(firstPacketNanos), time(lastPacketNanos), error, List.copyOf(warnings), failures);
    }

    private static Instant time(long nanos) {
        return nanos == Long.MIN_VALUE ? null : Instant.ofEpochSecond(0, nanos);
    }
}
