package dev.sharkfin.dissect;

/**
 * Decodes frames of one capture, in capture order, into a reusable {@link Packet}. It keeps the little
 * state Wireshark's frame fields need (first and previous frame time); one instance per capture and
 * thread.
 */
public final class Dissector {
    private static final int MAX_LAYERS = 32;

    private final DecoderRegistry registry = DecoderRegistry.DEFAULT;
    private final Cursor cursor = new Cursor();
    private final Reassembly reassembly = new Reassembly();
    private long firstTime = Long.MIN_VALUE;
    private long previousTime;

    public static boolean supportsLinkType(int linkType) {
        return DecoderRegistry.DEFAULT.supportsLinkType(linkType);
    }

    /** Decodes the frame that {@link Packet#reset} described. Never throws on the frame's content. */
    public void dissect(Packet p) {
        if (firstTime == Long.MIN_VALUE) {
            firstTime = p.wireNanos;
            previousTime = p.wireNanos;
        }
        int frame = p.layer("frame");
        p.time(frame, "frame_time", p.timeNanos);
        p.seconds(frame, "frame_time_epoch", p.timeNanos);
        p.seconds(frame, "frame_time_delta", p.wireNanos - previousTime);
        p.seconds(frame, "frame_time_relative", p.wireNanos - firstTime);
        p.uint(frame, "frame_number", p.number);
        p.uint(frame, "frame_len", p.originalLength);
        p.uint(frame, "frame_cap_len", p.capturedLength);
        p.uint(frame, "frame_encap_type", p.linkType);
        p.protocols(frame, "frame_protocols");
        previousTime = p.wireNanos;

        cursor.reset(p.data, p.capturedLength, p.originalLength);
        p.reassembly = reassembly;
        int next = Dispatch.link(p.linkType);
        Decoder decoder = (p.linkType & ~0xffff) == 0 ? registry.lookup(next) : null;
        int layers = 0;
        while (decoder != null && layers++ < MAX_LAYERS) {
            next = decoder.decode(cursor, p);
            decoder = next == Dispatch.STOP ? null : registry.lookup(next);
            if (decoder == null && next != Dispatch.STOP && cursor.remaining() > 0) {
                int data = p.layer("data");
                p.uint(data, "data_len", cursor.reported());
            }
        }
        if (layers > MAX_LAYERS) {
            p.malformed("more than " + MAX_LAYERS + " nested protocol layers");
        }
        boolean unsupported = p.layerCount() == 1;
        if (p.malformedReason() != null || p.isTruncated() || unsupported || p.expertMessage() != null) {
            int ws = p.layer("_ws");
            if (unsupported) {
                p.string(ws, "_ws_unsupported", "link type " + p.linkType + " is not decoded");
            }
            if (p.malformedReason() != null) {
                p.bool(ws, "_ws_malformed", true);
                p.string(ws, "_ws_malformed_reason", p.malformedReason());
            }
            if (p.expertMessage() != null) {
                p.string(ws, "_ws_expert_message", p.expertMessage());
            }
            if (p.isTruncated()) {
                p.bool(ws, "_ws_short", true);
            }
        }
    }
}
