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
            int summary = control ? summaryRead(c, flags) : 0;
            if (summary > 0 && !c.need(summary)) {
                return Decoder.missing(c, p, summary, "L2TP first AVP");
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
            if (control && (flags & 0x4000) != 0) {
                int length = c.u16(2);
                c.limit(length); // Wireshark's message ends at its length, when that is within the datagram
                return avps(c, p, at, length);
            }
            c.skip(at);
            return control ? Dispatch.STOP : BY_NAME;
        }

        /**
         * How far Wireshark's summary of a control message (not a zero-length body) reads before anything is shown:
         * the first AVP's type, and the message type after it when that is the Message Type AVP (0).
         */
        private static int summaryRead(Cursor c, int flags) {
            boolean length = (flags & 0x4000) != 0;
            if (length && c.u16(2) == 12) {
                return 0;
            }
            int type = (length ? 6 : 4) + ((flags & 0x0800) != 0 ? 4 : 0) + 6;
            return !c.need(type + 2) || c.u16(type) != 0 ? type + 2 : type + 4;
        }

        /** Wireshark's note on an AVP whose data it does not decode: a vendor's, or an IETF type it has no case for. */
        static final String VENDOR_SPECIFIC_AVP_DATA = "Vendor-Specific AVP data";

        /**
         * The AVPs of a control message with its length, from {@code at} to {@code length}, as Wireshark walks them
         * for its notes: each AVP's 6-byte header, and the data its decoding reads ({@link #ietfRead}), must be
         * there (else truncated or malformed, and the walk ends); an AVP shorter than its header ends it with a
         * note. Only the notes are kept: the AVPs add no field.
         */
        private static int avps(Cursor c, Packet p, int at, int length) {
            int idx = at;
            while (idx < length) {
                if (!c.need(idx + 6)) {
                    return Decoder.missing(c, p, idx + 6, "L2TP AVP header");
                }
                int lengthHidden = c.u16(idx);
                int avpLength = lengthHidden & 0x3ff;
                int vendor = c.u16(idx + 2);
                if (avpLength < 6) {
                    p.malformedExpert("AVP length must be >= 6, got " + avpLength); // of Wireshark's malformed group
                    return Dispatch.STOP;
                }
                boolean hidden = (lengthHidden & 0x4000) != 0;
                if (vendor != 0) {
                    // Cisco's, the Broadband Forum's, Ericsson's and CableLabs' AVPs have decoders of their own (not
                    // Sharkfin's); any other vendor's data gets the note, unless hidden.
                    if (!hidden && vendor != 9 && vendor != 3561 && vendor != 193 && vendor != 4491) {
                        p.expert(VENDOR_SPECIFIC_AVP_DATA);
                    }
                    idx += avpLength;
                    continue;
                }
                int data = idx + 6;
                int type = c.u16(idx + 4);
                if (!hidden && type == 58) {
                    // The extended vendor id: 4 bytes after the type field's first two, whatever the AVP's length.
                    if (!c.need(idx + 8)) {
                        return Decoder.missing(c, p, idx + 8, "L2TP AVP");
                    }
                    idx += 8;
                    continue;
                }
                int read = hidden ? 0 : ietfRead(type, avpLength - 6);
                if (read < 0 && avpLength > 6) {
                    p.expert(VENDOR_SPECIFIC_AVP_DATA);
                } else if (read > 0 && !c.need(data + read)) {
                    return Decoder.missing(c, p, data + read, "L2TP AVP data");
                }
                idx += avpLength;
            }
            return Dispatch.STOP;
        }

        /**
         * The bytes of an IETF AVP's data of {@code r} bytes that Wireshark 4.0's decoding of its type reads, or -1
         * for a type it has no case for.
         */
        static int ietfRead(int type, int r) {
            return switch (type) {
                case 0, 6, 9, 10, 14, 29, 68, 69, 70, 71 -> 2;
                case 3, 4, 15, 16, 17, 18, 19, 24, 25, 38, 60, 61, 63, 64 -> 4;
                case 5 -> 8;
                case 13 -> 16;
                case 7, 8, 11, 21, 22, 23, 26, 27, 28, 30, 31, 33, 36, 37, 59, 65, 66, 72, 73, 97 -> r;
                case 1 -> r < 2 ? 0 : r < 4 ? 2 : r;
                case 2, 32 -> r < 1 && type == 2 ? 0 : 2;
                case 12 -> r < 2 ? 0 : r < 3 ? 2 : r;
                case 34 -> r < 6 ? 0 : 2 + 4 * Math.min(6, (r - 2) / 4);
                case 35 -> r < 6 ? 0 : r < 10 ? 6 : 10;
                case 46 -> r < 2 ? 0 : r < 4 ? 2 : r < 5 ? 4 : r;
                case 62 -> r & ~1;
                case 74, 75 -> r < 8 ? 0 : 8;
                default -> -1;
            };
        }
    }
}
