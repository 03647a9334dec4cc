package dev.sharkfin.dissect;

/** Linux "cooked" capture headers: SLL (link type 113, 16 bytes) and SLL2 (link type 276, 20 bytes). */
final class LinuxCooked implements Decoder {
    private final boolean v2;

    LinuxCooked(boolean v2) {
        this.v2 = v2;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("sll");
        int n = v2 ? 20 : 16;
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, v2 ? "Linux cooked v2 header" : "Linux cooked header");
        }
        int protocol;
        int halen;
        int addrAt;
        int hatype;
        if (v2) {
            protocol = c.u16(0);
            p.hex("sll_etype", protocol, 4);
            p.uint("sll_ifindex", c.u32(4));
            hatype = c.u16(8);
            p.uint("sll_hatype", hatype);
            p.uint("sll_pkttype", c.u8(10));
            halen = c.u8(11);
            p.uint("sll_halen", halen);
            addrAt = 12;
        } else {
            p.uint("sll_pkttype", c.u16(0));
            hatype = c.u16(2);
            p.uint("sll_hatype", hatype);
            halen = c.u16(4);
            p.uint("sll_halen", halen);
            addrAt = 6;
            protocol = c.u16(14);
        }
        if (halen == 6) {
            p.bytes("sll_src_eth", Packet.MAC, c.pos() + addrAt, 6);
        } else if (halen > 0 && halen <= 8) {
            p.bytes("sll_src_unknown", Packet.BYTES, c.pos() + addrAt, halen);
        }
        if (!v2) {
            p.hex("sll_etype", protocol, 4);
        }
        c.skip(n);
        // Protocol values below 0x0600 are Linux's own (802.3, 802.2 LLC, CAN...), not ethertypes.
        return protocol >= 0x0600 ? Dispatch.ethertype(protocol) : Dispatch.STOP;
    }
}
