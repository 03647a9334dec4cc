package dev.sharkfin.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.CaptureReadException;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.capture.PacketSource;
import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Sharkfin;
import dev.sharkfin.index.ElasticsearchUnavailableException;
import dev.sharkfin.index.PacketIndex;
import dev.sharkfin.index.PacketSink;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.normalize.PacketDocuments;
import dev.sharkfin.normalize.ParallelDocuments;
import dev.sharkfin.tcp.ConversationEvictions;
import dev.sharkfin.tcp.ConversationLimits;

/**
 * Runs one job: capture (a file, or a live capture's spool) → dissect → TCP analysis → document → bulk index, with state
 * reused from packet to packet: on the calling thread, or with {@code sharkfin.jobs.workers} above 1 on flow-affine
 * workers behind the calling thread's reading ({@link ParallelDocuments}, the same documents in the same order). Every
 * packet read is handed to the sink, so when the sink closes {@code packetsRead == packetsIndexed + packetsFailed}.
 */
@Component
class IngestPipeline {
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);
    /** Per job, frames whose dissector error is logged with its stack trace; the rest are counted. */
    static final int FRAME_ERRORS_LOGGED = 10;

    private final PacketIndex packetIndex;
    private final JobProperties props;
    private final TcpStateProperties tcpState;

    IngestPipeline(PacketIndex packetIndex, JobProperties props) {
        this(packetIndex, props, TcpStateProperties.DEFAULTS);
    }

    @Autowired
    IngestPipeline(PacketIndex packetIndex, JobProperties props, TcpStateProperties tcpState) {
        this.packetIndex = packetIndex;
        this.props = props;
        this.tcpState = tcpState;
    }

    /**
     * Indexes the job's packets: an upload's stored file, or a live capture's spool followed until the capture ends
     * (or the job is cancelled). A live job's index exists already: it was created before its capture started.
     */
    void run(Job job) {
        try (PacketSource source = job.live != null ? job.live.source(() -> job.cancelRequested)
                : new CaptureFileSource(job.capture.path())) {
            if (!Dissector.supportsLinkType(source.linkType())) {
                job.warn("link type " + source.linkType() + " is not decoded; packets are indexed with their frame fields only");
            }
            if (job.live == null) {
                packetIndex.prepare(job.id);
            }
            PacketSink sink = packetIndex.sink(job.index, job.id);
            job.sink = sink;
            boolean overBound;
            try {
                overBound = pump(job, source, new Documents() {
                    @Override
                    public void add(long frame, byte[] json) {
                        sink.add(frame, json);
                    }

                    @Override
                    public void add(long frame, JsonOut json) {
                        sink.add(frame, json.buffer(), json.length());
                    }

                    @Override
                    public void add(long frame, byte[] json, int length) {
                        sink.add(frame, json, length);
                    }

                    @Override
                    public String gaveUp() {
                        return sink.gaveUp();
                    }
                });
            } finally {
                sink.close();
                job.packetsIndexed = sink.indexed();
                job.packetsFailed = sink.failed();
                job.failures = sink.failures();
                job.sink = null;
                if (sink.retrySummary() != null) {
                    job.warn(sink.retrySummary());
                }
            }
            if (sink.gaveUp() != null) {
                job.bytesRead = source.bytesRead();
                throw new JobFailure(sink.gaveUp(), null);
            }
            if (overBound) {
                job.bytesRead = source.bytesRead();
                packetIndex.refresh(job.index);
                throw new JobFailure("The capture has more than " + props.maxPackets() + " packets, the most one job reads "
                        + "(sharkfin.jobs.max-packets): the first " + job.packetsRead + " were read (" + job.packetsIndexed
                        + " indexed, " + job.packetsFailed + " failed) and are kept in " + job.index
                        + "; the rest of the capture was not read.", null);
            }
            if (source.warning() != null) {
                if (job.packetsRead == 0) {
                    throw new JobFailure("No packet could be read: " + source.warning(), null);
                }
                job.warn("the capture ends early: " + source.warning());
            }
            job.bytesRead = job.cancelRequested || job.live != null ? source.bytesRead() : job.capture.size();
            packetIndex.refresh(job.index);
        } catch (CaptureReadException e) {
            throw new JobFailure(e.getMessage(), e);
        } catch (ElasticsearchUnavailableException e) {
            throw new JobFailure(e.getMessage(), e);
        }
    }

    /** Where a frame's document goes: the job's bulk sink. */
    interface Documents {
        void add(long frame, byte[] json);

        /** The document in {@code json}'s buffer, which the next frame overwrites: a sink that keeps it copies it. */
        default void add(long frame, JsonOut json) {
            add(frame, json.toByteArray());
        }

        /** The document in {@code json[0, length)}, which is overwritten after the call: a sink that keeps it copies it. */
        default void add(long frame, byte[] json, int length) {
            add(frame, java.util.Arrays.copyOf(json, length));
        }

        /** Null, or why the sink takes no more documents (Elasticsearch away longer than retry-for). */
        default String gaveUp() {
            return null;
        }
    }

    /**
     * Reads, dissects and hands every frame's document to {@code sink}, in frame order, until the source ends, the job
     * is cancelled, or (for an upload) {@code sharkfin.jobs.max-packets} frames were read and another one is there: then
     * it answers true, having read exactly the bound. With {@code sharkfin.jobs.workers} above 1, an upload's frames are
     * dissected and analysed on that many flow-affine workers ({@link ParallelDocuments}: the same documents, in the same order);
     * every frame read still reaches the sink before this returns or throws, so the job's counters add up. A decoder
     * that throws is logged for the first {@value #FRAME_ERRORS_LOGGED} frames of a job, then counted, and the count
     * logged once at the end, so a hostile capture cannot flood the log. TCP conversations evicted to keep within
     * {@code sharkfin.tcp.*} (on all workers together) are counted in a warning of the job.
     */
    boolean pump(Job job, PacketSource source, Documents sink) {
        FrameErrors errors = new FrameErrors(job.id);
        // A live capture's frames come as the network sends them: a chunk of workers' frames could wait for its last
        // ones for minutes, and the documents with it. Live jobs run on one thread (the capture bounds their rate).
        int workers = job.live == null ? props.workerThreads() : 1;
        try {
            if (workers <= 1) {
                PacketDocuments documents = new PacketDocuments(new Sharkfin(job.id, job.source), tcpState.limits());
                try {
                    return read(job, source, sink, (n, f) -> {
                        documents.comments(f.comments);
                        JsonOut out = documents.write(n, f.timeNanos, f.wireNanos, f.data, f.capturedLength,
                                f.originalLength, f.linkType, f.timeOutOfRange);
                        errors.count(n, documents.lastError());
                        sink.add(n, out);
                    });
                } finally {
                    warnEvictions(job, documents.tcpEvictions());
                }
            }
            // Each worker keeps its share of the TCP state bounds, so that all of them together keep within them.
            ConversationLimits perWorker = tcpState.limits().shared(workers);
            try (ParallelDocuments parallel = new ParallelDocuments(workers, "job-" + job.id,
                    () -> new PacketDocuments(new Sharkfin(job.id, job.source), perWorker), (n, json, length, error) -> {
                        errors.count(n, error);
                        sink.add(n, json, length);
                    })) {
                try {
                    return read(job, source, sink, (n, f) -> parallel.write(n, f.timeNanos, f.wireNanos, f.data,
                            f.capturedLength, f.originalLength, f.linkType, f.timeOutOfRange, f.comments));
                } finally {
                    parallel.finish(); // also when the source failed: what was read is indexed
                    warnEvictions(job, parallel.tcpEvictions());
                }
            }
        } finally {
            errors.summary();
        }
    }

    private void warnEvictions(Job job, ConversationEvictions evictions) {
        String evicted = tcpState.warning(evictions);
        if (evicted != null) {
            job.warn(evicted);
        }
    }

    /** The reading loop: frames numbered from 1, the bound, cancellation, the job's progress. */
    private boolean read(Job job, PacketSource source, Documents sink, FrameHandler handler) {
        Frame frame = new Frame();
        long bound = job.live == null ? props.maxPackets() : 0;
        long n = 0;
        try {
            // A sink that gave up (Elasticsearch away longer than retry-for) fails every further document: stop reading.
            while (!job.cancelRequested && sink.gaveUp() == null && source.next(frame)) {
                if (bound > 0 && n == bound) {
                    return true;
                }
                n++;
                handler.frame(n, frame);
                if (job.firstPacketNanos == Long.MIN_VALUE) {
                    job.firstPacketNanos = frame.timeNanos;
                }
                job.lastPacketNanos = frame.timeNanos;
                job.packetsRead = n;
                job.bytesRead = source.bytesRead();
            }
            return false;
        } finally {
            job.packetsRead = n;
        }
    }

    /** What becomes of frame {@code n}; {@code frame} is reused for the next one. */
    private interface FrameHandler {
        void frame(long n, Frame frame);
    }

    /** A job's frames whose dissection threw: the first few logged with their exception, the rest counted. */
    private static final class FrameErrors {
        private final String jobId;
        private long errors;

        FrameErrors(String jobId) {
            this.jobId = jobId;
        }

        void count(long frame, RuntimeException error) {
            if (error != null && ++errors <= FRAME_ERRORS_LOGGED) {
                log.warn("Dissector error on frame {} of job {}{}", frame, jobId,
                        errors == FRAME_ERRORS_LOGGED ? " (further ones in this job are counted, not logged)" : "", error);
            }
        }

        void summary() {
            if (errors > FRAME_ERRORS_LOGGED) {
                log.warn("Dissector errors on {} frames of job {}; the first {} were logged", errors, jobId,
                        FRAME_ERRORS_LOGGED);
            }
        }
    }

    /** A job that cannot go on, with the reason in words. */
    static final class JobFailure extends RuntimeException {
        JobFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
