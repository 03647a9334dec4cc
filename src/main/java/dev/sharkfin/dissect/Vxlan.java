package dev.sharkfin.dissect;

/** VXLAN (RFC 7348, with the group-policy extension's fields): an 8-byte header, then an Ethernet frame. */
final class Vxlan implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("vxlan");
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "VXLAN header");
        }
        int flags = c.u16(0);
        p.hex("vxlan_flags", flags, 4);
        p.bool("vxlan_flag_g", (flags & 0x8000) != 0);
        p.bool("vxlan_flag_i", (flags & 0x0800) != 0);
        p.uint("vxlan_gbp", c.u16(2));
        p.uint("vxlan_vni", c.u32(4) >>> 8);
        c.skip(8);
        return c.remaining() > 0 ? Dispatch.ETHERNET : Dispatch.STOP;
    }
}
