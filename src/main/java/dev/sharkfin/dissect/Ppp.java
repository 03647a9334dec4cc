package dev.sharkfin.dissect;

/**
 * PPP as PPPoE sessions and L2TP carry it: an optional HDLC address/control pair (0xff 0x03), then the
 * protocol number. IPv4 and IPv6 are decoded; control protocols (LCP, IPCP, ...) keep their number only.
 */
final class Ppp implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("ppp");
        if (c.need(2) && c.u8(0) == 0xff && c.u8(1) == 0x03) {
            p.uint("ppp_address", 0xff);
            p.uint("ppp_control", 0x03);
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
        p.hex("ppp_protocol", protocol, 4);
        return switch (protocol) {
            case 0x0021 -> Dispatch.ethertype(0x0800);
            case 0x0057 -> Dispatch.ethertype(0x86dd);
            default -> Dispatch.STOP;
        };
    }

    /** PPPoE (RFC 2516): discovery packets keep their header; session packets carry PPP. */
    static final class Pppoe implements Decoder {
        private final boolean session;

        Pppoe(boolean session) {
            this.session = session;
        }

        @Override
        public int decode(Cursor c, Packet p) {
            p.layer(session ? "pppoes" : "pppoed");
            if (!c.need(6)) {
                return Decoder.missing(c, p, 6, "PPPoE header");
            }
            p.uint("pppoe_version", c.u8(0) >>> 4);
            p.uint("pppoe_type", c.u8(0) & 0xf);
            p.hex("pppoe_code", c.u8(1), 2);
            p.hex("pppoe_session_id", c.u16(2), 4);
            int length = c.u16(4);
            p.uint("pppoe_payload_length", length);
            c.skip(6);
            if (!session) {
                return Dispatch.STOP;
            }
            if (!c.limit(length)) {
                p.expert("PPPoE payload length " + length + " exceeds the " + c.reported() + " bytes in the frame");
            }
            return Dispatch.PPP;
        }
    }

    /** L2TP version 2 over UDP (RFC 2661): data messages carry PPP; control messages keep their header. */
    static final class L2tp implements Decoder {
        @Override
        public int decode(Cursor c, Packet p) {
            p.layer("l2tp");
            if (!c.need(6)) {
                return Decoder.missing(c, p, 6, "L2TP header");
            }
            int flags = c.u16(0);
            p.hex("l2tp_flags", flags, 4);
            p.uint("l2tp_version", flags & 0xf);
            boolean control = (flags & 0x8000) != 0;
            p.uint("l2tp_type", control ? 1 : 0);
            if ((flags & 0xf) != 2) {
                return Dispatch.STOP; // L2TPv3 and others: header only
            }
            int at = 2;
            if ((flags & 0x4000) != 0) {
                p.uint("l2tp_length", c.u16(at));
                at += 2;
            }
            if (!c.need(at + 4)) {
                return Decoder.missing(c, p, at + 4, "L2TP header");
            }
            p.uint("l2tp_tunnel", c.u16(at));
            p.uint("l2tp_session", c.u16(at + 2));
            at += 4;
            if ((flags & 0x0800) != 0) {
                if (!c.need(at + 4)) {
                    return Decoder.missing(c, p, at + 4, "L2TP sequence numbers");
                }
                p.uint("l2tp_Ns", c.u16(at));
                p.uint("l2tp_Nr", c.u16(at + 2));
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
            return control ? Dispatch.STOP : Dispatch.PPP;
        }
    }
}
