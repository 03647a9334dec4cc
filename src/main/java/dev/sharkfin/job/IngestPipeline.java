package dev.sharkfin.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.sharkfin.capture.CaptureReadException;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.capture.PacketSource;
import dev.sharkfin.capture.PcapFileSource;
import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.index.ElasticsearchUnavailableException;
import dev.sharkfin.index.PacketIndex;
import dev.sharkfin.index.PacketSink;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.normalize.PacketDocuments;

/**
 * Runs one job: capture (a file, or a live capture's spool) → dissect → TCP analysis → document → bulk index, on the calling thread, with
 * state reused from packet to packet. Every packet read is handed to the sink, so when the sink closes
 * {@code packetsRead == packetsIndexed + packetsFailed}.
 */
@Component
class IngestPipeline {
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    private final PacketIndex packetIndex;

    IngestPipeline(PacketIndex packetIndex) {
        this.packetIndex = packetIndex;
    }

    /**
     * Indexes the job's packets: an upload's stored file, or a live capture's spool followed until the capture ends
     * (or the job is cancelled). A live job's index exists already: it was created before its capture started.
     */
    void run(Job job) {
        try (PacketSource source = job.live != null ? job.live.source(() -> job.cancelRequested)
                : new PcapFileSource(job.capture.path(), job.capture.format())) {
            if (!Dissector.supportsLinkType(source.linkType())) {
                job.warn("link type " + source.linkType() + " is not decoded; packets are indexed with their frame fields only");
            }
            if (job.live == null) {
                packetIndex.prepare(job.id);
            }
            PacketSink sink = packetIndex.sink(job.index, job.id);
            job.sink = sink;
            try {
                pump(job, source, sink);
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

    private void pump(Job job, PacketSource source, PacketSink sink) {
        Frame frame = new Frame();
        PacketDocuments documents = new PacketDocuments();
        long n = 0;
        // A sink that gave up (Elasticsearch away longer than retry-for) fails every further document: stop reading.
        while (!job.cancelRequested && sink.gaveUp() == null && source.next(frame)) {
            n++;
            JsonOut out = documents.write(n, frame.timeNanos, frame.wireNanos, frame.data, frame.capturedLength, frame.originalLength,
                    frame.linkType, frame.timeOutOfRange);
            if (documents.lastError() != null) {
                log.warn("Dissector error on frame {} of job {}", n, job.id, documents.lastError());
            }
            sink.add(n, out.toByteArray());
            if (job.firstPacketNanos == Long.MIN_VALUE) {
                job.firstPacketNanos = frame.timeNanos;
            }
            job.lastPacketNanos = frame.timeNanos;
            job.packetsRead = n;
            job.bytesRead = source.bytesRead();
        }
        job.packetsRead = n;
    }

    /** A job that cannot go on, with the reason in words. */
    static final class JobFailure extends RuntimeException {
        JobFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
