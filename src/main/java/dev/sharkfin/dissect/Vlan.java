package dev.sharkfin.dissect;

/** 802.1Q and 802.1ad (QinQ) tags: each tag is a layer of its own, as in Wireshark. */
final class Vlan implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("vlan");
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "802.1Q tag");
        }
        int tci = c.u16(0);
        int type = c.u16(2);
        p.uint("vlan_priority", tci >>> 13);
        p.uint("vlan_dei", (tci >>> 12) & 1);
        p.uint("vlan_id", tci & 0x0fff);
        p.hex("vlan_etype", type, 4);
        c.skip(4);
        return type <= 1500 ? Dispatch.STOP : Dispatch.ethertype(type);
    }
}
