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
    public static final Field ENCAP_TYPE = FRAME.number("frame.encap_type",
            "Encapsulation, as Wireshark numbers it (WTAP_ENCAP_*: 1 Ethernet, 7 raw IP, 15 BSD loopback, 25 Linux cooked)");
    public static final Field PROTOCOLS = FRAME.keyword("frame.protocols",
            "The protocols of the frame, colon-separated, outermost first, as Wireshark lists them (eth:ethertype:ip:tcp)");
    public static final Field TIME_OUT_OF_RANGE = FRAME.sharkfinOnly("frame_time_out_of_range", FieldType.BOOLEAN,
            "The capture's time is outside what Elasticsearch can hold (before 1970 or after 2262): @timestamp and "
                    + "frame_time are clamped. Not Wireshark's frame.time_invalid, which flags a fraction of a second out of range",
            null);

    /** Wireshark's pseudo-protocol for what went wrong while decoding. */
    public static final Protocol WS = Protocol.of("_ws", "Decoding problems");
    public static final Field WS_UNSUPPORTED = WS.sharkfinOnly("_ws_unsupported", FieldType.TEXT,
            "What of the frame is not decoded, and why: its link type is not supported, or sampled packets past "
                    + "the bound of one frame (sFlow's samples past Packet.MAX_QUEUED)", null);
    public static final Field WS_MALFORMED = WS.bool("_ws.malformed", "The frame is malformed: a header or length is impossible");
    public static final Field WS_MALFORMED_REASON = WS.sharkfinOnly("_ws_malformed_reason", FieldType.TEXT,
            "What made the frame malformed (Wireshark shows it as expert information)", "_ws.expert.message");
    public static final Field WS_EXPERT_MESSAGE = WS.text("_ws.expert.message",
            "Expert information, in Wireshark's order and words: TCP chats and analysis, HTTP request and status lines, "
            + "lengths Wireshark warns about while it goes on decoding").list();
    public static final Field WS_SHORT = WS.bool("_ws.short", "The frame was cut short by the capture's snapshot length");

    /** Wireshark's expert on a frame whose dissection threw (a length past the end): Sharkfin's malformed packet. */
    static final String MALFORMED_EXPERT = "Malformed Packet (Exception occurred)";

    /**
     * Wireshark's dispatch by ethertype, which it lists in frame.protocols after a link layer (eth:ethertype:ip):
     * a name in frame.protocols only, without a document object.
     */
    static final String ETHERTYPE = "ethertype";

    /** Bytes no decoder claims. */
    public static final Protocol DATA = Protocol.of("data", "Data");
    public static final Field DATA_LEN = DATA.number("data.len", "Length of the payload no decoder takes, in bytes as captured");

    private static final int MAX_LAYERS = 32;

    private final DecoderRegistry registry = DecoderRegistry.DEFAULT;
    private final Cursor cursor = new Cursor();
    private final Reassembly reassembly = new Reassembly();
    private final ArpAddresses arpAddresses = new ArpAddresses();
    private final FrameClock clock = new FrameClock();

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

    private static final int PCAPNG_CUSTOM_BLOCK = 65535;

    /** Runs decoders from {@code decoder} on, each answering the next, until one stops; what no decoder takes is data. */
    private void chain(Packet p, Decoder decoder) {
        int layers = 0;
        while (decoder != null && layers++ < MAX_LAYERS) {
            int next = decoder.decode(cursor, p);
            decoder = next < 0 ? null : registry.lookup(next);
            if (decoder == null && next != Dispatch.STOP && cursor.remaining() > 0) {
                int data = p.layer(DATA);
                p.uint(data, DATA_LEN, cursor.remaining());
            }
        }
        if (layers > MAX_LAYERS) {
            p.malformed("more than " + MAX_LAYERS + " nested protocol layers");
        }
    }

    /**
     * Wireshark's encapsulation (WTAP_ENCAP_*, wiretap/wtap.h) of a capture's link type (LINKTYPE_*), as its
     * pcap reader maps them (wiretap/pcap-common.c): the link types Sharkfin decodes and those of the shared
     * corpus it does not (written, as Wireshark does, on a frame it does not decode); any other keeps its number.
     */
    static int encapsulation(int linkType) {
        return switch (linkType) {
            case 0 -> 15;            // NULL
            case 1 -> 1;             // ETHERNET
            case 12, 14, 101 -> 7;   // RAW (DLT_RAW on Linux and OpenBSD, LINKTYPE_RAW)
            case 105 -> 20;          // IEEE 802.11
            case 108 -> 174;         // LOOP
            case 113 -> 25;          // LINUX_SLL
            case 127 -> 23;          // IEEE 802.11 with radiotap
            case 228 -> 129;         // IPV4
            case 229 -> 130;         // IPV6
            case 239 -> 141;         // NFLOG
            case 276 -> 210;         // LINUX_SLL2
            // Not decoded by Sharkfin.
            case 8 -> 3;             // SLIP
            case 9, 50 -> 4;         // PPP, PPP in HDLC framing
            case 100 -> 10;          // ATM RFC 1483
            case 104 -> 28;          // Cisco HDLC
            case 106 -> 11;          // Linux ATM CLIP
            case 107 -> 26;          // Frame Relay
            case 123 -> 13;          // SunATM
            case 129 -> 9;           // ARCnet (Linux)
            case 137 -> 67;          // Juniper ATM1
            case 149 -> 47;          // USER2
            case 160 -> 58;          // USER13
            case 178 -> 83;          // Juniper Ethernet
            case 195 -> 104;         // IEEE 802.15.4 with FCS
            case 226 -> 124;         // IPNET
            case 231 -> 146;         // D-Bus
            case 242 -> 180;         // IP over InfiniBand
            case 253 -> 158;         // Linux netlink
            case 258 -> 171;         // Apple PKTAP
            default -> linkType;
        };
    }

    public static boolean supportsLinkType(int linkType) {
        return DecoderRegistry.DEFAULT.supportsLinkType(linkType);
    }

    /**
     * Decodes the frame that {@link Packet#reset} described. Never throws on the frame's content.
     *
     * <p>A frame without a timestamp ({@link Packet#NO_TIME}: a pcapng simple packet block) has no time fields,
     * as in Wireshark, which takes its time as zero for the next frame's delta. A pcapng custom block has neither
     * time fields nor an encapsulation; its time (the previous frame's, as the reader gives it) is not one.
     */
    public void dissect(Packet p) {
        clock.advance(p.wireNanos, p.linkType);
        dissect(p, clock.first(), clock.previous());
    }

    /**
     * As {@link #dissect(Packet)}, with the capture's clock given ({@link FrameClock}, run over every frame in
     * capture order by whoever reads them): for a worker that sees only some of the capture's frames.
     */
    public void dissect(Packet p, long firstTime, long previousTime) {
        boolean custom = p.linkType == PCAPNG_CUSTOM_BLOCK;
        long wire = p.wireNanos == Packet.NO_TIME ? 0 : p.wireNanos;
        int frame = p.layer(FRAME);
        if (p.wireNanos != Packet.NO_TIME && !custom) {
            p.time(frame, TIME, p.timeNanos);
            p.seconds(frame, TIME_EPOCH, p.timeNanos);
            p.seconds(frame, TIME_DELTA, wire - previousTime);
            p.seconds(frame, TIME_RELATIVE, wire - firstTime);
        }
        p.uint(frame, NUMBER, p.number);
        p.uint(frame, LEN, p.originalLength);
        p.uint(frame, CAP_LEN, p.capturedLength);
        if (!custom) {
            p.uint(frame, ENCAP_TYPE, encapsulation(p.linkType));
        }
        p.protocols(frame, PROTOCOLS);
        if (p.originalLength < p.capturedLength && !custom) {
            // A damaged record read whole (as wiretap reads it): Wireshark's frame says so before any layer.
            p.malformedExpert("Frame length is less than captured length");
        }

        cursor.reset(p.data, p.capturedLength, p.originalLength);
        p.reassembly = reassembly;
        p.arpAddresses = arpAddresses;
        int next = Dispatch.link(p.linkType);
        Decoder decoder = (p.linkType & ~0xffff) == 0 ? registry.lookup(next) : null;
        chain(p, decoder);
        while (p.hasQueued()) {
            // The sub-packets a decoder queued (sFlow's samples), each its own chain, in order.
            chain(p, registry.lookup(p.dequeue(cursor)));
        }
        if (p.malformedReason() != null) {
            // Where Wireshark's dissector throws, its frame ends with the malformed-packet item and this expert,
            // after every expert of the layers before (an Ethernet trailer's note included).
            p.expert(MALFORMED_EXPERT);
        }
        boolean unsupported = p.layerCount() == 1;
        if (p.isMalformed() || p.isTruncated() || unsupported || p.notQueued() > 0) {
            int ws = p.layer(WS);
            if (unsupported) {
                p.string(ws, WS_UNSUPPORTED, "link type " + p.linkType + " is not decoded");
            } else if (p.notQueued() > 0) {
                p.string(ws, WS_UNSUPPORTED, "sampled packets not decoded: " + p.notQueued() + " past the "
                        + Packet.MAX_QUEUED + " one frame may queue (Packet.MAX_QUEUED)");
            }
            if (p.isMalformed()) {
                p.bool(ws, WS_MALFORMED, true);
                p.string(ws, WS_MALFORMED_REASON, p.malformedWhy());
            }
            if (p.isTruncated()) {
                p.bool(ws, WS_SHORT, true);
            }
        }
    }
}
