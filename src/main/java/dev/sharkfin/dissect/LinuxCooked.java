package dev.sharkfin.dissect;

/** Linux "cooked" capture headers: SLL (link type 113, 16 bytes) and SLL2 (link type 276, 20 bytes). */
public final class LinuxCooked implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("sll", "Linux cooked-mode capture")
            .linkType(113, new LinuxCooked(false))   // LINKTYPE_LINUX_SLL
            .linkType(276, new LinuxCooked(true));   // LINKTYPE_LINUX_SLL2
    public static final Field ETYPE = PROTOCOL.number("sll.etype", "Protocol of the payload, an ethertype (0x0600 and above)");
    public static final Field LTYPE = PROTOCOL.number("sll.ltype",
            "Protocol of the payload, one of Linux's own numbers below 0x0600 (0x0004: 802.2 LLC; 0x000c: CAN)");
    public static final Field IFINDEX = PROTOCOL.number("sll.ifindex", "Index of the interface the packet was captured on (SLL2)");
    public static final Field HATYPE = PROTOCOL.number("sll.hatype", "Link-layer address type (ARPHRD_*: 1 is Ethernet)");
    public static final Field PKTTYPE = PROTOCOL.number("sll.pkttype", "Packet type (0: to us, 1: broadcast, 2: multicast, 3: to another host, 4: sent by us)");
    public static final Field HALEN = PROTOCOL.number("sll.halen", "Link-layer address length, in bytes");
    public static final Field SRC_ETH = PROTOCOL.mac("sll.src.eth", "Source MAC address");
    public static final Field SRC_OTHER = PROTOCOL.bytes("sll.src.other", "Source link-layer address that is not a MAC address");

    private static final int LINUX_802_2 = 0x0004;
    /** ARPHRD_IPGRE: a GRE tunnel device; its protocol is a GRE protocol type (Wireshark's sll.gretype). */
    private static final int ARPHRD_IPGRE = 778;

    private final boolean v2;

    LinuxCooked(boolean v2) {
        this.v2 = v2;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
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
            hatype = c.u16(8);
            protocol(p, protocol, hatype);
            p.uint(IFINDEX, c.u32(4));
            p.uint(HATYPE, hatype);
            p.uint(PKTTYPE, c.u8(10));
            halen = c.u8(11);
            p.uint(HALEN, halen);
            addrAt = 12;
        } else {
            p.uint(PKTTYPE, c.u16(0));
            hatype = c.u16(2);
            p.uint(HATYPE, hatype);
            halen = c.u16(4);
            p.uint(HALEN, halen);
            addrAt = 6;
            protocol = c.u16(14);
        }
        if (halen == 6) {
            p.bytes(SRC_ETH, Packet.MAC, c.pos() + addrAt, 6);
        } else if (halen > 0) {
            // Wireshark shows at most the header's 8 address bytes, whatever length the header claims.
            p.bytes(SRC_OTHER, Packet.BYTES, c.pos() + addrAt, Math.min(halen, 8));
        }
        if (!v2) {
            protocol(p, protocol, hatype);
        }
        c.skip(n);
        if (hatype == ARPHRD_IPGRE) {
            // Wireshark looks the protocol up in GRE's table directly: no "ethertype" step in frame.protocols.
            return Dispatch.ethertype(protocol);
        }
        if (protocol >= 0x0600) {
            p.pass(Dissector.ETHERTYPE);
            return Dispatch.ethertype(protocol);
        }
        // Values below 0x0600 are Linux's own (802.3, 802.2 LLC, CAN...), not ethertypes; of them LLC is decoded.
        return protocol == LINUX_802_2 ? Wlan.Llc.BY_NAME : Dispatch.DATA;
    }

    /**
     * The protocol field: Linux's own number below 0x0600 (sll.ltype), else an ethertype (sll.etype) except on a
     * GRE tunnel device, where Wireshark names it a GRE protocol type (sll.gretype, not in the catalog: nothing).
     */
    private static void protocol(Packet p, int protocol, int hatype) {
        if (protocol < 0x0600) {
            p.hex(LTYPE, protocol, 4);
        } else if (hatype != ARPHRD_IPGRE) {
            p.hex(ETYPE, protocol, 4);
        }
    }
}
