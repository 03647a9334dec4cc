package dev.sharkfin.dissect;

/**
 * L2TPv2 (RFC 2661) over UDP 1701: the header with its optional fields, then, for data messages, the PPP
 * frame it carries (address and control bytes optional) and its IPv4 or IPv6 payload. Control messages
 * keep their header only.
 */
final class L2tp implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("l2tp");
        if (!c.need(2)) {
            return Decoder.missing(c, p, 2, "L2TP header");
        }
        int flags = c.u16(0);
        int version = flags & 0xf;
        boolean control = (flags & 0x8000) != 0;
        p.hex("l2tp_flags", flags, 4);
        p.uint("l2tp_type", flags >>> 15);
        p.uint("l2tp_version", version);
        if (version != 2) {
            return Dispatch.STOP; // L2TPv3 over UDP is not decoded
        }
        int n = 2;
        if ((flags & 0x4000) != 0) {
            n += 2;
        }
        int lengthAt = 2;
        int tunnelAt = n;
        n += 4;
        int seqAt = n;
        if ((flags & 0x0800) != 0) {
            n += 4;
        }
        int offsetAt = n;
        if ((flags & 0x0200) != 0) {
            n += 2;
        }
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "L2TP header");
        }
        if ((flags & 0x4000) != 0) {
            p.uint("l2tp_length", c.u16(lengthAt));
        }
        p.uint("l2tp_tunnel", c.u16(tunnelAt));
        p.uint("l2tp_session", c.u16(tunnelAt + 2));
        if ((flags & 0x0800) != 0) {
            p.uint("l2tp_Ns", c.u16(seqAt));
            p.uint("l2tp_Nr", c.u16(seqAt + 2));
        }
        if ((flags & 0x0200) != 0) {
            int offset = c.u16(offsetAt);
            p.uint("l2tp_offset", offset);
            n += offset;
        }
        if (control) {
            return Dispatch.STOP;
        }
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "L2TP offset padding");
        }
        c.skip(n);
        p.layer("ppp");
        int at = 0;
        if (c.need(2) && c.u16(0) == 0xff03) {
            p.hex("ppp_address", 0xff, 2);
            p.hex("ppp_control", 0x03, 2);
            at = 2;
        }
        if (!c.need(at + 2)) {
            return Decoder.missing(c, p, at + 2, "PPP protocol");
        }
        int proto = c.u16(at);
        p.hex("ppp_protocol", proto, 4);
        c.skip(at + 2);
        return switch (proto) {
            case 0x0021 -> Dispatch.ethertype(0x0800);
            case 0x0057 -> Dispatch.ethertype(0x86dd);
            default -> Dispatch.STOP;
        };
    }
}
