package dev.sharkfin.dissect;

/** ARP (and RARP), with Ethernet/IPv4 addresses decoded as such. */
public final class Arp implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("arp", "Address Resolution Protocol")
            .ethertype(0x0806, new Arp())
            .ethertype(0x8035, new Arp());   // RARP
    public static final Field HW_TYPE = PROTOCOL.number("arp.hw.type", "Hardware type (1: Ethernet)");
    public static final Field PROTO_TYPE = PROTOCOL.number("arp.proto.type", "Protocol type, an ethertype (0x0800: IPv4)");
    public static final Field HW_SIZE = PROTOCOL.number("arp.hw.size", "Hardware address size, in bytes");
    public static final Field PROTO_SIZE = PROTOCOL.number("arp.proto.size", "Protocol address size, in bytes");
    public static final Field OPCODE = PROTOCOL.number("arp.opcode", "Opcode (1: request, 2: reply)");
    public static final Field SRC_HW_MAC = PROTOCOL.mac("arp.src.hw_mac", "Sender MAC address");
    public static final Field SRC_HW = PROTOCOL.bytes("arp.src.hw", "Sender hardware address, when it is not a MAC address");
    public static final Field SRC_PROTO_IPV4 = PROTOCOL.ip("arp.src.proto_ipv4", "Sender IP address");
    public static final Field SRC_PROTO = PROTOCOL.bytes("arp.src.proto", "Sender protocol address, when it is not an IPv4 address");
    public static final Field DST_HW_MAC = PROTOCOL.mac("arp.dst.hw_mac", "Target MAC address");
    public static final Field DST_HW = PROTOCOL.bytes("arp.dst.hw", "Target hardware address, when it is not a MAC address");
    public static final Field DST_PROTO_IPV4 = PROTOCOL.ip("arp.dst.proto_ipv4", "Target IP address");
    public static final Field DST_PROTO = PROTOCOL.bytes("arp.dst.proto", "Target protocol address, when it is not an IPv4 address");

    private static final int HW_ETHERNET = 1;
    private static final int HW_IEEE802 = 6;
    private static final int HW_AX25 = 3;
    private static final int HW_ATM_RFC2225 = 19;
    private static final int ATMARP_HEADER = 12;
    private static final int PROTO_AX25_IP = 0xcc;
    private static final int REQUEST = 1;
    private static final int REPLY = 2;

    @Override
    public int decode(Cursor c, Packet p) {
        if (c.need(2) && c.u16(0) == HW_AX25) {
            // Wireshark hands AX.25 ARP to a dissector of its own, listed as arp again (arp:arp). Listed before the
            // layer, so that the document has one arp object.
            p.pass(PROTOCOL.name());
        }
        p.layer(PROTOCOL);
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "ARP header");
        }
        int hwType = c.u16(0);
        int protoType = c.u16(2);
        if (hwType == HW_ATM_RFC2225) {
            return atmArp(c, p);
        }
        int hwSize = c.u8(4);
        int protoSize = c.u8(5);
        p.uint(HW_TYPE, hwType);
        p.hex(PROTO_TYPE, protoType, 4);
        p.uint(HW_SIZE, hwSize);
        p.uint(PROTO_SIZE, protoSize);
        p.uint(OPCODE, c.u16(6));
        int n = 8 + 2 * (hwSize + protoSize);
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "ARP addresses");
        }
        int at = c.pos() + 8;
        Ethernet.trailer(c, p, c.pos(), n); // Wireshark's ARP cuts its payload to its length: the rest is a trailer
        // Wireshark's names say the address kind, known by type and size both; others are byte strings under
        // the generic names (a 6-byte address of a hardware type other than Ethernet's is not a MAC address).
        // An address of size 0 has no field at all.
        boolean ether = (hwType == HW_ETHERNET || hwType == HW_IEEE802) && hwSize == 6;
        boolean ipv4 = (protoType == 0x0800 || protoType == PROTO_AX25_IP) && protoSize == 4;
        // A 7-byte AX.25 address is arp.src.hw_ax25 in Wireshark, a field Sharkfin's catalog does not have.
        int hwShown = hwType == HW_AX25 && hwSize == 7 ? 0 : hwSize;
        address(p, ether ? SRC_HW_MAC : SRC_HW, ether ? Packet.MAC : Packet.BYTES, at, hwShown);
        address(p, ipv4 ? SRC_PROTO_IPV4 : SRC_PROTO, ipv4 ? Packet.IPV4 : Packet.BYTES, at + hwSize, protoSize);
        address(p, ether ? DST_HW_MAC : DST_HW, ether ? Packet.MAC : Packet.BYTES, at + hwSize + protoSize, hwShown);
        address(p, ipv4 ? DST_PROTO_IPV4 : DST_PROTO, ipv4 ? Packet.IPV4 : Packet.BYTES,
                at + 2 * hwSize + protoSize, protoSize);
        int opcode = c.u16(6);
        if (ether && ipv4 && (opcode == REQUEST || opcode == REPLY) && p.arpAddresses != null) {
            duplicates(p, c.data(), at, opcode);
        }
        c.skip(n);
        return Dispatch.STOP;
    }

    /**
     * ATMARP (RFC 2225), which Wireshark decodes with fields of its own and Sharkfin does not: only its length
     * (a 12-byte header, then six addresses whose lengths it gives, each in its low six bits), which makes a
     * frame malformed when it runs past the frame, as in Wireshark, and leaves the rest as a trailer.
     */
    private static int atmArp(Cursor c, Packet p) {
        if (!c.need(ATMARP_HEADER)) {
            return Decoder.missing(c, p, ATMARP_HEADER, "ATMARP header");
        }
        int n = ATMARP_HEADER + (c.u8(4) & 0x3f) + (c.u8(5) & 0x3f) + c.u8(8) + (c.u8(9) & 0x3f) + (c.u8(10) & 0x3f)
                + c.u8(11);
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "ATMARP addresses");
        }
        Ethernet.trailer(c, p, c.pos(), n);
        c.skip(n);
        return Dispatch.STOP;
    }

    private static void address(Packet p, Field field, byte type, int at, int size) {
        if (size != 0) {
            p.bytes(field, type, at, size);
        }
    }

    /**
     * Wireshark's duplicate address detection ({@link ArpAddresses}): the sender's pair, then the target's (not
     * in a request, whose target MAC means nothing, nor for the address just reported), each only with a unicast,
     * non-zero MAC address and a non-zero IP address. Its expert follows the ARP layer's.
     */
    private static void duplicates(Packet p, byte[] data, int at, int opcode) {
        int reported = check(p, data, at, at + 6, 0);
        if (opcode != REQUEST) {
            check(p, data, at + 10, at + 16, reported);
        }
    }

    /** Checks one MAC and IP pair; returns the IP address reported as a duplicate, else {@code reported}. */
    private static int check(Packet p, byte[] data, int macAt, int ipAt, int reported) {
        int ip = (int) readU32(data, ipAt);
        long mac = ArpAddresses.mac(data, macAt);
        if ((data[macAt] & 1) != 0 || mac == 0 || ip == 0 || ip == reported) {
            return reported;
        }
        if (!p.arpAddresses.duplicate(ip, data, macAt)) {
            return reported;
        }
        p.expert("Duplicate IP address configured (" + (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "."
                + ((ip >>> 8) & 0xff) + "." + (ip & 0xff) + ")");
        return ip;
    }

    private static long readU32(byte[] d, int at) {
        return ((d[at] & 0xffL) << 24) | ((d[at + 1] & 0xff) << 16) | ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
    }
}
