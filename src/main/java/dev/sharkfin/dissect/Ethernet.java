package dev.sharkfin.dissect;

/** Ethernet II (and 802.3 frames, whose LLC payload is not decoded further). */
final class Ethernet implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("eth");
        if (!c.need(14)) {
            return Decoder.missing(c, p, 14, "Ethernet header");
        }
        int at = c.pos();
        p.bytes("eth_dst", Packet.MAC, at, 6);
        p.bytes("eth_addr", Packet.MAC, at, 6);
        p.bytes("eth_src", Packet.MAC, at + 6, 6);
        p.bytes("eth_addr", Packet.MAC, at + 6, 6);
        int type = c.u16(12);
        c.skip(14);
        if (type <= 1500) {
            p.uint("eth_len", type);
            return Dispatch.STOP;
        }
        p.hex("eth_type", type, 4);
        return Dispatch.ethertype(type);
    }
}
