package dev.sharkfin.dissect;

/** ARP (and RARP), with Ethernet/IPv4 addresses decoded as such. */
final class Arp implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("arp");
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "ARP header");
        }
        int hwSize = c.u8(4);
        int protoSize = c.u8(5);
        p.uint("arp_hw_type", c.u16(0));
        p.hex("arp_proto_type", c.u16(2), 4);
        p.uint("arp_hw_size", hwSize);
        p.uint("arp_proto_size", protoSize);
        p.uint("arp_opcode", c.u16(6));
        int n = 8 + 2 * (hwSize + protoSize);
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "ARP addresses");
        }
        int at = c.pos() + 8;
        boolean ether = hwSize == 6;
        boolean ipv4 = protoSize == 4;
        // Wireshark's names say the address kind; other sizes are byte strings under the generic names.
        p.bytes(ether ? "arp_src_hw_mac" : "arp_src_hw", ether ? Packet.MAC : Packet.BYTES, at, hwSize);
        p.bytes(ipv4 ? "arp_src_proto_ipv4" : "arp_src_proto", ipv4 ? Packet.IPV4 : Packet.BYTES, at + hwSize, protoSize);
        p.bytes(ether ? "arp_dst_hw_mac" : "arp_dst_hw", ether ? Packet.MAC : Packet.BYTES, at + hwSize + protoSize, hwSize);
        p.bytes(ipv4 ? "arp_dst_proto_ipv4" : "arp_dst_proto", ipv4 ? Packet.IPV4 : Packet.BYTES,
                at + 2 * hwSize + protoSize, protoSize);
        c.skip(n);
        return Dispatch.STOP;
    }
}
