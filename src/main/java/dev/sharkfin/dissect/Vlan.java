package dev.sharkfin.dissect;

/** 802.1Q and 802.1ad (QinQ) tags: each tag is a layer of its own, as in Wireshark. */
public final class Vlan implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("vlan", "802.1Q Virtual LAN")
            .ethertype(0x8100, new Vlan())
            .ethertype(0x88a8, new Vlan())    // 802.1ad
            .ethertype(0x9100, new Vlan());   // QinQ, pre-standard
    public static final Field PRIORITY = PROTOCOL.number("vlan.priority", "Priority code point (0 to 7)");
    public static final Field DEI = PROTOCOL.bool("vlan.dei", "Drop eligible indicator");
    public static final Field ID = PROTOCOL.number("vlan.id", "VLAN identifier");
    public static final Field ETYPE = PROTOCOL.number("vlan.etype", "Ethertype of the payload");
    public static final Field LEN = PROTOCOL.number("vlan.len", "Length of an 802.3 payload (in place of an ethertype); LLC follows");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "802.1Q tag");
        }
        int tci = c.u16(0);
        int type = c.u16(2);
        p.uint(PRIORITY, tci >>> 13);
        p.bool(DEI, ((tci >>> 12) & 1) != 0);
        p.uint(ID, tci & 0x0fff);
        c.skip(4);
        if (type <= 1500) {
            p.uint(LEN, type);
            Ethernet.ieee8023(c, p, type, false); // the rest is padding or a trailer (Wireshark's 802.1Q: no FCS)
            return Wlan.Llc.BY_NAME;
        }
        p.hex(ETYPE, type, 4);
        p.pass(Dissector.ETHERTYPE);
        Ethernet.ethertypePayload(c, p, false); // Wireshark's 802.1Q passes no FCS on to the trailer check
        return Dispatch.ethertype(type);
    }
}
