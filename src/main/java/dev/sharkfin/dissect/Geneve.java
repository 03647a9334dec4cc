package dev.sharkfin.dissect;

/** Geneve (RFC 8926): header and options, then the payload by its protocol type (Ethernet or an ethertype). */
final class Geneve implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("geneve");
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "Geneve header");
        }
        int version = c.u8(0) >>> 6;
        int length = 8 + (c.u8(0) & 0x3f) * 4;
        int proto = c.u16(2);
        p.uint("geneve_version", version);
        p.hex("geneve_flags", c.u8(1), 2);
        p.bool("geneve_flags_oam", (c.u8(1) & 0x80) != 0);
        p.bool("geneve_flags_critical", (c.u8(1) & 0x40) != 0);
        p.hex("geneve_proto_type", proto, 4);
        p.uint("geneve_vni", c.u32(4) >>> 8);
        if (version != 0) {
            p.malformed("Geneve version " + version + " is not known");
            return Dispatch.STOP;
        }
        if (!c.need(length)) {
            return Decoder.missing(c, p, length, "Geneve options");
        }
        int i = 8;
        while (i + 4 <= length) {
            int optLen = 4 + (c.u8(i + 3) & 0x1f) * 4;
            p.hex("geneve_option_class", c.u16(i), 4);
            p.uint("geneve_option_type", c.u8(i + 2));
            p.uint("geneve_option_length", optLen);
            i += optLen;
        }
        c.skip(length);
        if (c.remaining() == 0) {
            return Dispatch.STOP;
        }
        return proto == 0x6558 ? Dispatch.ETHERNET : Dispatch.ethertype(proto);
    }
}
