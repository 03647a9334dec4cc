package dev.sharkfin.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.sharkfin.capture.CaptureReadException;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.capture.PacketSource;
import dev.sharkfin.capture.PcapFileSource;
import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.index.PacketIndex;
import dev.sharkfin.index.PacketSink;
import dev.sharkfin.normalize.DocumentWriter;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.tcp.TcpFields;

/**
 * Runs one job: capture → dissect → TCP analysis → document → bulk index, on the calling thread, with
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

    void run(Job job) {
        try (PacketSource source = new PcapFileSource(job.capture.path(), job.capture.format())) {
            if (!Dissector.supportsLinkType(source.linkType())) {
                job.warnings.add("link type " + source.linkType() + " is not decoded; packets are indexed with their frame fields only");
            }
            packetIndex.create(job.id);
            PacketSink sink = packetIndex.sink(job.index, job.id);
            try {
                pump(job, source, sink);
            } finally {
                sink.close();
                job.packetsIndexed = sink.indexed();
                job.packetsFailed = sink.failed();
                job.failures = sink.failures();
            }
            if (source.warning() != null) {
                if (job.packetsRead == 0) {
                    throw new JobFailure("No packet could be read: " + source.warning(), null);
                }
                job.warnings.add("the capture ends early: " + source.warning());
            }
            job.bytesRead = job.cancelRequested ? source.bytesRead() : job.capture.size();
            packetIndex.refresh(job.index);
        } catch (CaptureReadException e) {
            throw new JobFailure(e.getMessage(), e);
        }
    }

    private void pump(Job job, PacketSource source, PacketSink sink) {
        Frame frame = new Frame();
        Packet packet = new Packet();
        Dissector dissector = new Dissector();
        TcpFields tcp = new TcpFields();
        DocumentWriter writer = new DocumentWriter();
        JsonOut out = new JsonOut();
        long n = 0;
        while (!job.cancelRequested && source.next(frame)) {
            n++;
            int linkType = frame.linkType;
            packet.reset(n, frame.timeNanos, frame.data, frame.capturedLength, frame.originalLength, linkType);
            try {
                dissector.dissect(packet);
                tcp.analyze(packet);
                if (frame.timeOutOfRange) {
                    packet.bool(0, "frame_time_out_of_range", true);
                }
                writer.write(packet, out);
            } catch (RuntimeException e) {
                // A decoder bug must not lose the packet: index what the frame itself says, flagged.
                log.warn("Dissector error on frame {} of job {}", n, job.id, e);
                packet.reset(n, frame.timeNanos, frame.data, frame.capturedLength, frame.originalLength, linkType);
                int ws = packet.layer("_ws");
                packet.bool(ws, "_ws_malformed", true);
                packet.string(ws, "_ws_malformed_reason", "Sharkfin dissector error: " + e);
                writer.write(packet, out);
            }
            sink.add(n, out.toByteArray());
            if (job.firstPacketNanos == Long.MIN_VALUE) {
                job.firstPacketNanos = frame.timeNanos;
            }
            job.lastPacketNanos = frame.timeNanos;
            job.packetsRead = n;
            if ((n & 255) == 0) {
                job.bytesRead = source.bytesRead();
                job.packetsIndexed = sink.indexed();
                job.packetsFailed = sink.failed();
            }
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
