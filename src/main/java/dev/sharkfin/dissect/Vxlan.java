package dev.sharkfin.dissect;

/** VXLAN (RFC 7348, with the group-policy extension's fields): an 8-byte header, then an Ethernet frame. */
public final class Vxlan implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("vxlan", "Virtual eXtensible Local Area Network").udpPort(4789, new Vxlan());
    public static final Field FLAGS = PROTOCOL.number("vxlan.flags", "Flags (0x0800: the VNI is valid; 0x8000: group policy)");
    public static final Field FLAG_G = PROTOCOL.bool("vxlan.flag_g", "The group-based policy extension is present");
    public static final Field FLAG_I = PROTOCOL.bool("vxlan.flag_i", "The VNI is valid");
    public static final Field GBP = PROTOCOL.number("vxlan.gbp", "Group policy id");
    public static final Field VNI = PROTOCOL.number("vxlan.vni", "VXLAN network identifier");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "VXLAN header");
        }
        int flags = c.u16(0);
        p.hex(FLAGS, flags, 4);
        p.bool(FLAG_G, (flags & 0x8000) != 0);
        p.bool(FLAG_I, (flags & 0x0800) != 0);
        p.uint(GBP, c.u16(2));
        p.uint(VNI, c.u32(4) >>> 8);
        c.skip(8);
        return c.remaining() > 0 ? Ethernet.BY_NAME : Dispatch.STOP;
    }
}
