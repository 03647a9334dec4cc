package dev.sharkfin.dissect;

/**
 * Decodes frames of one capture, in capture order, into a reusable {@link Packet}. It keeps the little
 * state Wireshark's frame fields need (first and previous frame time); one instance per capture and
 * thread.
 */
public final class Dissector {
    /** Wireshark's frame: what the capture says about the frame, and what Sharkfin adds to every document. */
    public static final Protocol FRAME = Protocol.of("frame", "Frame");
    public static final Field TIME = FRAME.date("frame.time", "When the frame was captured (UTC, nanoseconds)");
    public static final Field TIME_EPOCH = FRAME.seconds("frame.time_epoch", "When the frame was captured, in seconds since 1970").precise();
    public static final Field TIME_DELTA = FRAME.seconds("frame.time_delta", "Seconds since the previous frame was captured");
    public static final Field TIME_RELATIVE = FRAME.seconds("frame.time_relative", "Seconds since the first frame was captured").precise();
    public static final Field NUMBER = FRAME.number("frame.number", "Frame number, from 1, in capture order");
    public static final Field LEN = FRAME.number("frame.len", "Frame length on the wire, in bytes");
    public static final Field CAP_LEN = FRAME.number("frame.cap_len", "Frame length stored in the capture, in bytes");
    public static final Field ENCAP_TYPE = FRAME.number("frame.encap_type", "Encapsulation: the capture's link type (LINKTYPE_*; Wireshark shows its own encapsulation number)");
    public static final Field PROTOCOLS = FRAME.keyword("frame.protocols", "The protocols of the frame, colon-separated, outermost first (without Wireshark's ethertype)");
    public static final Field TIME_OUT_OF_RANGE = FRAME.sharkfinOnly("frame_time_out_of_range", FieldType.BOOLEAN,
            "The capture's time is outside what Elasticsearch can hold: @timestamp and frame_time are clamped", "frame.time_invalid");

    /** Wireshark's pseudo-protocol for what went wrong while decoding. */
    public static final Protocol WS = Protocol.of("_ws", "Decoding problems");
    public static final Field WS_UNSUPPORTED = WS.sharkfinOnly("_ws_unsupported", FieldType.TEXT,
            "Why the frame is not decoded: its link type is not supported", null);
    public static final Field WS_MALFORMED = WS.bool("_ws.malformed", "The frame is malformed: a header or length is impossible");
    public static final Field WS_MALFORMED_REASON = WS.sharkfinOnly("_ws_malformed_reason", FieldType.TEXT,
            "What made the frame malformed (Wireshark shows it as expert information)", "_ws.expert.message");
    public static final Field WS_EXPERT_MESSAGE = WS.text("_ws.expert.message",
            "Expert information, in Wireshark's order and words: TCP chats and analysis, HTTP request and status lines, "
            + "lengths Wireshark warns about while it goes on decoding").list();
    public static final Field WS_SHORT = WS.bool("_ws.short", "The frame was cut short by the capture's snapshot length");

    /** Bytes no decoder claims. */
    public static final Protocol DATA = Protocol.of("data", "Data");
    public static final Field DATA_LEN = DATA.number("data.len", "Length of the payload no decoder claims, in bytes");

    private static final int MAX_LAYERS = 32;

    private final DecoderRegistry registry = DecoderRegistry.DEFAULT;
    private final Cursor cursor = new Cursor();
    private final Reassembly reassembly = new Reassembly();
    private long firstTime = Long.MIN_VALUE;
    private long previousTime;

    /**
     * Writes the packet's expert messages to its {@code _ws} layer (opened if the frame has none yet). Called
     * once the TCP analysis, which adds its own, is done.
     */
    public static void writeExperts(Packet p) {
        if (p.expertCount() == 0) {
            return;
        }
        int last = p.layerCount() - 1;
        int ws = p.layerName(last).equals(WS.name()) ? last : p.layer(WS);
        for (int i = 0; i < p.expertCount(); i++) {
            p.string(ws, WS_EXPERT_MESSAGE, p.expert(i));
        }
    }

    public static boolean supportsLinkType(int linkType) {
        return DecoderRegistry.DEFAULT.supportsLinkType(linkType);
    }

    /** Decodes the frame that {@link Packet#reset} described. Never throws on the frame's content. */
    public void dissect(Packet p) {
        if (firstTime == Long.MIN_VALUE) {
            firstTime = p.wireNanos;
            previousTime = p.wireNanos;
        }
        int frame = p.layer(FRAME);
        p.time(frame, TIME, p.timeNanos);
        p.seconds(frame, TIME_EPOCH, p.timeNanos);
        p.seconds(frame, TIME_DELTA, p.wireNanos - previousTime);
        p.seconds(frame, TIME_RELATIVE, p.wireNanos - firstTime);
        p.uint(frame, NUMBER, p.number);
        p.uint(frame, LEN, p.originalLength);
        p.uint(frame, CAP_LEN, p.capturedLength);
        p.uint(frame, ENCAP_TYPE, p.linkType);
        p.protocols(frame, PROTOCOLS);
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
                int data = p.layer(DATA);
                p.uint(data, DATA_LEN, cursor.reported());
            }
        }
        if (layers > MAX_LAYERS) {
            p.malformed("more than " + MAX_LAYERS + " nested protocol layers");
        }
        boolean unsupported = p.layerCount() == 1;
        if (p.malformedReason() != null || p.isTruncated() || unsupported) {
            int ws = p.layer(WS);
            if (unsupported) {
                p.string(ws, WS_UNSUPPORTED, "link type " + p.linkType + " is not decoded");
            }
            if (p.malformedReason() != null) {
                p.bool(ws, WS_MALFORMED, true);
                p.string(ws, WS_MALFORMED_REASON, p.malformedReason());
            }
            if (p.isTruncated()) {
                p.bool(ws, WS_SHORT, true);
            }
        }
    }
}
