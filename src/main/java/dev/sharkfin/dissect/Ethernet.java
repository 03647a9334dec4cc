package dev.sharkfin.dissect;

/** Ethernet II (and 802.3 frames, whose LLC payload is not decoded further). */
public final class Ethernet implements Decoder {
    private static final Ethernet DECODER = new Ethernet();
    public static final Protocol PROTOCOL = Protocol.of("eth", "Ethernet").linkType(1, DECODER);  // LINKTYPE_ETHERNET
    /** What a decoder answers when its payload is an Ethernet frame (tunnels, pseudowires, ERSPAN). */
    static final int BY_NAME = PROTOCOL.byName(DECODER);
    public static final Field DST = PROTOCOL.mac("eth.dst", "Destination MAC address");
    public static final Field ADDR = PROTOCOL.mac("eth.addr", "Source and destination MAC addresses").list();
    public static final Field SRC = PROTOCOL.mac("eth.src", "Source MAC address");
    public static final Field LEN = PROTOCOL.number("eth.len", "Length of an 802.3 frame's payload (in place of a type)");
    public static final Field TYPE = PROTOCOL.number("eth.type", "Ethertype of the payload (0x0800: IPv4)");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(14)) {
            return Decoder.missing(c, p, 14, "Ethernet header");
        }
        int at = c.pos();
        p.bytes(DST, Packet.MAC, at, 6);
        p.bytes(ADDR, Packet.MAC, at, 6);
        p.bytes(SRC, Packet.MAC, at + 6, 6);
        p.bytes(ADDR, Packet.MAC, at + 6, 6);
        int type = c.u16(12);
        c.skip(14);
        if (type <= 1500) {
            p.uint(LEN, type);
            return Dispatch.STOP;
        }
        p.hex(TYPE, type, 4);
        return Dispatch.ethertype(type);
    }
}
