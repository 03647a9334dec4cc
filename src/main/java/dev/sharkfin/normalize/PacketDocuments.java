package dev.sharkfin.normalize;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.dissect.Sharkfin;
import dev.sharkfin.tcp.ConversationEvictions;
import dev.sharkfin.tcp.ConversationLimits;
import dev.sharkfin.tcp.TcpFields;
import dev.sharkfin.tcp.Transactions;
import dev.sharkfin.tcp.UdpConversations;

/**
 * One capture's frames into documents, in capture order: dissection, TCP analysis, UDP conversations,
 * request/response matching, writing, all with state
 * reused from frame to frame. One instance per capture and thread.
 *
 * <p>Contract: every frame gives a document. Should a decoder throw (a bug; bad input is data, not an
 * exception), the frame is still written, with its frame fields and {@code _ws._ws_malformed_reason}
 * starting "Sharkfin dissector error", and the exception is kept in {@link #lastError()}.
 */
public final class PacketDocuments {
    public static final String DISSECTOR_ERROR = "Sharkfin dissector error: ";

    private final Dissector dissector = new Dissector();
    private final TcpFields tcp;
    private final UdpConversations udp = new UdpConversations();
    private final Transactions transactions = new Transactions();
    private final DocumentWriter writer = new DocumentWriter();
    private final Packet packet = new Packet();
    private final JsonOut out = new JsonOut();
    /** The job's capture identity on every document; null: none (tests and benchmarks of the writer alone). */
    private final Sharkfin capture;
    private RuntimeException lastError;
    private boolean clockGiven;
    private long clockFirst;
    private long clockPrevious;
    private java.util.List<String> comments = java.util.List.of();

    /**
     * The capture's clock for the next {@link #write} only (see dissect.FrameClock): for a worker that is given some
     * of the capture's frames, whose frame.time_delta and frame.time_relative are measured over all of them.
     */
    public void clock(long firstNanos, long previousNanos) {
        clockGiven = true;
        clockFirst = firstNanos;
        clockPrevious = previousNanos;
    }

    /**
     * The comments of the next {@link #write}'s frame only (a pcapng packet block's, see capture.Frame): Wireshark
     * shows each as an expert item, before the frame's own. The list is read during that write.
     */
    public void comments(java.util.List<String> frameComments) {
        comments = frameComments;
    }

    public PacketDocuments() {
        this(null, ConversationLimits.DEFAULT);
    }

    /** Documents of one job's capture, each carrying its identity ({@link Sharkfin}). */
    public PacketDocuments(Sharkfin capture) {
        this(capture, ConversationLimits.DEFAULT);
    }

    /**
     * Documents of one job's capture, each carrying its identity ({@link Sharkfin}; null: none, for tests and
     * benchmarks of the writer alone), whose TCP analysis keeps its conversations within {@code limits}.
     */
    public PacketDocuments(Sharkfin capture, ConversationLimits limits) {
        this.capture = capture;
        this.tcp = new TcpFields(limits);
    }

    /** The TCP conversations evicted so far, by rule. */
    public ConversationEvictions tcpEvictions() {
        return tcp.evictions();
    }

    /** Writes frame {@code number}; the returned buffer is valid until the next call. */
    public JsonOut write(long number, long timeNanos, byte[] data, int captured, int original, int linkType,
            boolean timeOutOfRange) {
        return write(number, timeNanos, timeNanos, data, captured, original, linkType, timeOutOfRange);
    }

    /**
     * As above, with the capture's own clock ({@code wireNanos}, see capture.Frame) apart from the indexed
     * time, which is clamped to what Elasticsearch can hold when {@code timeOutOfRange}.
     */
    public JsonOut write(long number, long timeNanos, long wireNanos, byte[] data, int captured, int original,
            int linkType, boolean timeOutOfRange) {
        lastError = null;
        boolean given = clockGiven;
        clockGiven = false;
        packet.reset(number, timeNanos, data, captured, original, linkType);
        packet.wireNanos = wireNanos;
        for (int i = 0; i < comments.size(); i++) {
            packet.expert(comments.get(i));
        }
        comments = java.util.List.of();
        try {
            if (given) {
                dissector.dissect(packet, clockFirst, clockPrevious);
            } else {
                dissector.dissect(packet);
            }
            tcp.analyze(packet);
            udp.analyze(packet); // after the TCP analysis, which may hide a retransmission's payload
            transactions.analyze(packet); // likewise
            Dissector.writeExperts(packet);
            if (timeOutOfRange) {
                packet.bool(0, Dissector.TIME_OUT_OF_RANGE, true);
            }
            if (capture != null) {
                capture.write(packet);
            }
            writer.write(packet, out);
        } catch (RuntimeException e) {
            lastError = e;
            packet.reset(number, timeNanos, data, captured, original, linkType);
            int ws = packet.layer(Dissector.WS);
            packet.bool(ws, Dissector.WS_MALFORMED, true);
            packet.string(ws, Dissector.WS_MALFORMED_REASON, DISSECTOR_ERROR + e);
            if (capture != null) {
                capture.write(packet);
            }
            writer.write(packet, out);
        }
        return out;
    }

    /** The packet behind the last document (for tests and benchmarks). */
    public Packet packet() {
        return packet;
    }

    /** Null, or the exception the last frame's dissection threw. */
    public RuntimeException lastError() {
        return lastError;
    }
}
