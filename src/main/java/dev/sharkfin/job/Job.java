package dev.sharkfin.job;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

import dev.sharkfin.capture.LiveCapture;
import dev.sharkfin.capture.LiveCaptureSpec;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.IndexFailure;
import dev.sharkfin.index.PacketSink;

/**
 * One ingestion job's live state: an upload ({@link #capture}) or a live capture ({@link #live}). The pipeline
 * thread writes the counters; API threads read snapshots.
 */
final class Job {
    static final String UPLOAD = "upload", LIVE = "live";

    final String id;
    final String kind;
    final String source;
    final String index;
    final Instant createdAt;
    /** The stored upload, or a resumed live capture's spool; null for a running live capture. */
    final StoredCapture capture;
    /** The running capture; null for an upload, and for a live capture resumed after a restart. */
    final LiveCapture live;
    /** A live capture resumed after a restart: its capture's last status, ended; else null. */
    final JobStatus.LiveStatus liveRecord;
    final CopyOnWriteArrayList<String> warnings = new CopyOnWriteArrayList<>();

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
    /** A live capture asked to end and index what it captured. */
    volatile boolean stopRequested;
    /** The sink while the job indexes, so that snapshots show what Elasticsearch has acknowledged so far. */
    volatile PacketSink sink;
    volatile Future<?> future;
    /** An upload's place in the job queue, given back when the job ends. */
    volatile JobService.Place place;
    final Object recordLock = new Object();
    /** Guarded by recordLock: the record of the job's end is written. */
    boolean endRecorded;
    /** Another instance claimed this job (this one was taken for stopped): it stops, and writes no record again. */
    volatile boolean superseded;

    Job(String id, String source, String index, StoredCapture capture) {
        this.id = id;
        this.kind = UPLOAD;
        this.source = source;
        this.index = index;
        this.createdAt = Instant.now();
        this.capture = capture;
        this.live = null;
        this.liveRecord = null;
        if (capture.warning() != null) {
            warnings.add(capture.warning());
        }
    }

    Job(String id, String index, LiveCapture live) {
        this.id = id;
        this.kind = LIVE;
        this.source = "live:" + live.spec().interfaceName();
        this.index = index;
        this.createdAt = Instant.now();
        this.capture = null;
        this.live = live;
        this.liveRecord = null;
    }

    /**
     * A job resumed from the record a stopped instance left: the same id, kind, source, index and creation time, run
     * again from the start over {@code capture} (the stored upload, or a live capture's spool), with the record's
     * warnings and {@code warning} saying why.
     */
    Job(JobStatus record, StoredCapture capture, String warning) {
        this.id = record.id();
        this.kind = record.kind();
        this.source = record.source();
        this.index = record.index();
        this.createdAt = record.createdAt();
        this.capture = capture;
        this.live = null;
        this.liveRecord = record.live() == null ? null : record.live().interrupted();
        warnings.addAll(record.warnings());
        warnings.addIfAbsent(warning);
    }

    /** Adds a warning once: a resumed job runs its pipeline again over warnings it already has. */
    void warn(String warning) {
        warnings.addIfAbsent(warning);
    }

    JobStatus snapshot() {
        JobState s = state;
        PacketSink indexing = sink;
        long indexed = indexing != null ? indexing.indexed() : packetsIndexed;
        long failed = indexing != null ? indexing.failed() : packetsFailed;
        long total = live != null ? live.bytes() : capture.size();
        double progress;
        if (s == JobState.SUCCEEDED) {
            progress = 1.0;
        } else if (live != null) {
            long captured = live.packets();
            progress = captured == 0 ? 0 : Math.min(0.99, (double) (indexed + failed) / captured);
        } else {
            progress = total == 0 ? 0 : Math.min(s.finished() ? 1.0 : 0.99, (double) bytesRead / total);
        }
        return new JobStatus(id, kind, s.json(), source, index, packetsRead, indexed, failed,
                Math.min(bytesRead, total), total, progress, createdAt, startedAt, finishedAt,
                time(firstPacketNanos), time(lastPacketNanos), error, List.copyOf(warnings), failures, liveStatus(),
                null, null, null);
    }

    private JobStatus.LiveStatus liveStatus() {
        if (live == null) {
            return liveRecord;
        }
        LiveCaptureSpec spec = live.spec();
        return new JobStatus.LiveStatus(spec.interfaceName(), spec.filter(), spec.snaplen(), spec.promiscuous(),
                spec.maxPackets(), spec.maxDuration().toString(), spec.maxBytes(), live.capturing(), live.packets(),
                live.bytes(), live.droppedByKernel(), live.droppedByInterface(), live.endReason());
    }

    private static Instant time(long nanos) {
        return nanos == Long.MIN_VALUE ? null : Instant.ofEpochSecond(0, nanos);
    }
}
