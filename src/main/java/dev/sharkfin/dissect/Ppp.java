package dev.sharkfin.dissect;

/**
 * PPP as PPPoE sessions and L2TP carry it: an optional HDLC address/control pair (0xff 0x03), then the
 * protocol number. IPv4 and IPv6 are decoded; control protocols (LCP, IPCP, ...) keep their number only.
 */
public final class Ppp implements Decoder {
    private static final Ppp DECODER = new Ppp();
    public static final Protocol PROTOCOL = Protocol.of("ppp", "Point-to-Point Protocol");
    /** What PPPoE sessions, L2TP and PPTP's GRE answer: PPP follows. */
    static final int BY_NAME = PROTOCOL.byName(DECODER);
    public static final Field ADDRESS = PROTOCOL.number("ppp.address", "HDLC address (0xff), when present");
    public static final Field CONTROL = PROTOCOL.number("ppp.control", "HDLC control (0x03), when present");
    public static final Field PROTOCOL_FIELD = PROTOCOL.number("ppp.protocol", "Protocol of the payload (0x0021: IPv4, 0x0057: IPv6, 0xc021: LCP)");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (c.need(2) && c.u8(0) == 0xff && c.u8(1) == 0x03) {
            p.uint(ADDRESS, 0xff);
            p.uint(CONTROL, 0x03);
            c.skip(2);
        }
        if (!c.need(1)) {
            return Decoder.missing(c, p, 1, "PPP protocol");
        }
        int protocol;
        if ((c.u8(0) & 1) == 1) { // a compressed one-byte protocol field (RFC 1661 PFC)
            protocol = c.u8(0);
            c.skip(1);
        } else {
            if (!c.need(2)) {
                return Decoder.missing(c, p, 2, "PPP protocol");
            }
            protocol = c.u16(0);
            c.skip(2);
        }
        p.hex(PROTOCOL_FIELD, protocol, 4);
        return switch (protocol) {
            case 0x0021 -> Dispatch.ethertype(0x0800);
            case 0x0057 -> Dispatch.ethertype(0x86dd);
            default -> Dispatch.STOP;
        };
    }

    /** PPPoE (RFC 2516): discovery packets keep their header; session packets carry PPP. */
    public static final class Pppoe implements Decoder {
        /** Wireshark's pppoe fields, in a pppoed (discovery) or pppoes (session) object. */
        public static final Protocol PROTOCOL = Protocol.of("pppoe", "PPP-over-Ethernet").layers("pppoed", "pppoes")
                .ethertype(0x8863, new Pppoe(false))
                .ethertype(0x8864, new Pppoe(true));
        private static final String DISCOVERY = PROTOCOL.layer("pppoed");
        private static final String SESSION = PROTOCOL.layer("pppoes");
        public static final Field VERSION = PROTOCOL.number("pppoe.version", "Version (1)");
        public static final Field TYPE = PROTOCOL.number("pppoe.type", "Type (1)");
        public static final Field CODE = PROTOCOL.number("pppoe.code", "Code (0: session data; 0x09, 0x07, 0x19, 0x65, 0xa7: discovery stages)");
        public static final Field SESSION_ID = PROTOCOL.number("pppoe.session_id", "Session id");
        public static final Field PAYLOAD_LENGTH = PROTOCOL.number("pppoe.payload_length", "Payload length, in bytes");

        private final boolean session;

        Pppoe(boolean session) {
            this.session = session;
        }

        @Override
        public int decode(Cursor c, Packet p) {
            p.layer(session ? SESSION : DISCOVERY);
            if (!c.need(6)) {
                return Decoder.missing(c, p, 6, "PPPoE header");
            }
            p.uint(VERSION, c.u8(0) >>> 4);
            p.uint(TYPE, c.u8(0) & 0xf);
            p.hex(CODE, c.u8(1), 2);
            p.hex(SESSION_ID, c.u16(2), 4);
            int length = c.u16(4);
            p.uint(PAYLOAD_LENGTH, length);
            c.skip(6);
            if (!session) {
                return Dispatch.STOP;
            }
            if (!c.limit(length)) {
                p.expert("PPPoE payload length " + length + " exceeds the " + c.reported() + " bytes in the frame");
            }
            return BY_NAME;
        }
    }

    /** L2TP version 2 over UDP (RFC 2661): data messages carry PPP; control messages keep their header. */
    public static final class L2tp implements Decoder {
        public static final Protocol PROTOCOL = Protocol.of("l2tp", "Layer 2 Tunneling Protocol").udpPort(1701, new L2tp());
        public static final Field FLAGS = PROTOCOL.number("l2tp.flags", "Flags and version");
        public static final Field VERSION = PROTOCOL.number("l2tp.version", "Version (2; 3 is not decoded further)");
        public static final Field TYPE = PROTOCOL.number("l2tp.type", "Message type (0: data, 1: control)");
        public static final Field LENGTH = PROTOCOL.number("l2tp.length", "Length, when present");
        public static final Field TUNNEL = PROTOCOL.number("l2tp.tunnel", "Tunnel id");
        public static final Field SESSION = PROTOCOL.number("l2tp.session", "Session id");
        public static final Field NS = PROTOCOL.number("l2tp.Ns", "Sequence number Ns, when present");
        public static final Field NR = PROTOCOL.number("l2tp.Nr", "Sequence number Nr expected next, when present");

        @Override
        public int decode(Cursor c, Packet p) {
            p.layer(PROTOCOL);
            if (!c.need(6)) {
                return Decoder.missing(c, p, 6, "L2TP header");
            }
            int flags = c.u16(0);
            p.hex(FLAGS, flags, 4);
            p.uint(VERSION, flags & 0xf);
            boolean control = (flags & 0x8000) != 0;
            p.uint(TYPE, control ? 1 : 0);
            if ((flags & 0xf) != 2) {
                return Dispatch.STOP; // L2TPv3 and others: header only
            }
            int at = 2;
            if ((flags & 0x4000) != 0) {
                p.uint(LENGTH, c.u16(at));
                at += 2;
            }
            if (!c.need(at + 4)) {
                return Decoder.missing(c, p, at + 4, "L2TP header");
            }
            p.uint(TUNNEL, c.u16(at));
            p.uint(SESSION, c.u16(at + 2));
            at += 4;
            if ((flags & 0x0800) != 0) {
                if (!c.need(at + 4)) {
                    return Decoder.missing(c, p, at + 4, "L2TP sequence numbers");
                }
                p.uint(NS, c.u16(at));
                p.uint(NR, c.u16(at + 2));
                at += 4;
            }
            if ((flags & 0x0200) != 0) {
                if (!c.need(at + 2)) {
                    return Decoder.missing(c, p, at + 2, "L2TP offset");
                }
                at += 2 + c.u16(at);
            }
            if (!c.need(at)) {
                return Decoder.missing(c, p, at, "L2TP header");
            }
            c.skip(at);
            return control ? Dispatch.STOP : BY_NAME;
        }
    }
}
