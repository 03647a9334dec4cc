package dev.sharkfin.dissect;

/** An MPLS label stack; the payload after the bottom label is IPv4 or IPv6 by its version nibble. */
public final class Mpls implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("mpls", "MultiProtocol Label Switching")
            .ethertype(0x8847, new Mpls())    // unicast
            .ethertype(0x8848, new Mpls())    // multicast
            .udpPort(6635, new Mpls());       // MPLS in UDP (RFC 7510)
    public static final Field LABEL = PROTOCOL.number("mpls.label", "Label, one per entry of the stack, outermost first").list();
    public static final Field EXP = PROTOCOL.number("mpls.exp", "Experimental (traffic class) bits, per label").list();
    public static final Field BOTTOM = PROTOCOL.number("mpls.bottom", "Bottom of the label stack, 0 or 1, per label").list();
    public static final Field TTL = PROTOCOL.number("mpls.ttl", "Time to live, per label").list();

    /** The control word of an Ethernet pseudowire (RFC 4448) after the label stack. */
    public static final Protocol PWETHCW = Protocol.of("pwethcw", "PW Ethernet Control Word");
    public static final Field PWETHCW_SEQUENCE_NUMBER = PWETHCW.number("pweth.cw.sequence_number", "Pseudowire sequence number");
    /** Wireshark lists the heuristic that found the control word before it in frame.protocols. */
    private static final String PWETH_HEURISTIC = "pwethheuristic";

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        while (true) {
            if (!c.need(4)) {
                return Decoder.missing(c, p, 4, "MPLS label");
            }
            long entry = c.u32(0);
            p.uint(LABEL, entry >>> 12);
            p.uint(EXP, (entry >>> 9) & 7);
            p.uint(BOTTOM, (entry >>> 8) & 1);
            p.uint(TTL, entry & 0xff);
            c.skip(4);
            if (((entry >>> 8) & 1) == 1) {
                break;
            }
        }
        if (!c.need(1)) {
            // Wireshark reads the payload's first nibble whatever follows the stack: none there is cut short.
            return Decoder.missing(c, p, 1, "MPLS payload");
        }
        return switch (c.u8(0) >>> 4) {
            case 4 -> Dispatch.ethertype(0x0800);
            case 6 -> Dispatch.ethertype(0x86dd);
            case 0 -> {
                // An Ethernet pseudowire with its 4-byte control word (RFC 4448), as Wireshark's heuristic finds it.
                if (!c.need(4 + 14)) {
                    yield Dispatch.STOP;
                }
                p.pass(PWETH_HEURISTIC);
                p.layer(PWETHCW);
                p.uint(PWETHCW_SEQUENCE_NUMBER, c.u16(2));
                c.skip(4);
                yield Ethernet.BY_NAME;
            }
            default -> Dispatch.STOP;
        };
    }
}
