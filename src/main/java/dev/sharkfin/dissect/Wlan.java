package dev.sharkfin.dissect;

/**
 * IEEE 802.11 data frames, as tunnels (Aruba's GRE) carry them: the MAC header, then LLC/SNAP. Management,
 * control and protected frames keep their header fields only.
 */
final class Wlan implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("wlan");
        if (!c.need(24)) {
            return Decoder.missing(c, p, 24, "802.11 header");
        }
        int fc = c.u8(0);
        int flags = c.u8(1);
        int type = (fc >>> 2) & 3;
        int subtype = (fc >>> 4) & 0xf;
        p.uint("wlan_fc_type_subtype", (type << 4) | subtype);
        p.uint("wlan_flags", flags);
        p.uint("wlan_duration", c.u16le(2));
        int at = c.pos();
        p.bytes("wlan_ra", Packet.MAC, at + 4, 6);
        p.bytes("wlan_ta", Packet.MAC, at + 10, 6);
        p.bytes("wlan_addr", Packet.MAC, at + 4, 6);
        p.bytes("wlan_addr", Packet.MAC, at + 10, 6);
        p.bytes("wlan_addr", Packet.MAC, at + 16, 6);
        p.uint("wlan_seq", c.u16le(22) >>> 4);
        if (type != 2 || (flags & 0x40) != 0 || (subtype & 0x4) != 0) {
            return Dispatch.STOP; // not data, protected, or a null-function frame without a body
        }
        int n = 24;
        if ((flags & 3) == 3) {
            n += 6; // a fourth address in WDS frames
        }
        if ((subtype & 0x8) != 0) {
            n += 2; // QoS control
            if ((flags & 0x80) != 0) {
                n += 4; // HT control
            }
        }
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "802.11 header");
        }
        c.skip(n);
        return Dispatch.LLC;
    }

    /** 802.2 LLC with a SNAP header: the payload's ethertype. */
    static final class Llc implements Decoder {
        @Override
        public int decode(Cursor c, Packet p) {
            p.layer("llc");
            if (!c.need(3)) {
                return Decoder.missing(c, p, 3, "LLC header");
            }
            p.uint("llc_dsap", c.u8(0));
            p.uint("llc_ssap", c.u8(1));
            p.uint("llc_control", c.u8(2));
            if (c.u8(0) != 0xaa || c.u8(1) != 0xaa) {
                c.skip(3);
                return Dispatch.STOP;
            }
            if (!c.need(8)) {
                return Decoder.missing(c, p, 8, "SNAP header");
            }
            p.uint("llc_oui", ((long) c.u8(3) << 16) | c.u16(4));
            int type = c.u16(6);
            p.hex("llc_type", type, 4);
            c.skip(8);
            return Dispatch.ethertype(type);
        }
    }
}
