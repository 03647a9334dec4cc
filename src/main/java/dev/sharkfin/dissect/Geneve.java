package dev.sharkfin.dissect;

/** Geneve (RFC 8926): header and options, then the payload by its protocol type (Ethernet or an ethertype). */
public final class Geneve implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("geneve", "Generic Network Virtualization Encapsulation")
            .udpPort(6081, new Geneve());
    public static final Field VERSION = PROTOCOL.number("geneve.version", "Geneve version (0)");
    public static final Field FLAGS = PROTOCOL.number("geneve.flags", "Flags (0x80: OAM frame; 0x40: critical options present)");
    public static final Field FLAGS_OAM = PROTOCOL.bool("geneve.flags.oam", "An operations, administration and management frame");
    public static final Field FLAGS_CRITICAL = PROTOCOL.bool("geneve.flags.critical", "Critical options are present");
    public static final Field PROTO_TYPE = PROTOCOL.number("geneve.proto_type", "Protocol of the payload, an ethertype (0x6558: Ethernet)");
    public static final Field VNI = PROTOCOL.number("geneve.vni", "Virtual network identifier");
    public static final Field OPTION_CLASS = PROTOCOL.number("geneve.option.class", "Option class, per option").list();
    public static final Field OPTION_TYPE = PROTOCOL.number("geneve.option.type", "Option type, per option").list();
    /**
     * Wireshark gives two fields this name: the header's options length (first, 0 without options), then
     * each option's length.
     */
    public static final Field OPTION_LENGTH = PROTOCOL.number("geneve.option.length", "Options length in bytes (the header's), "
            + "then each option's length in bytes, its header included").list();

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "Geneve header");
        }
        int version = c.u8(0) >>> 6;
        int length = 8 + (c.u8(0) & 0x3f) * 4;
        int proto = c.u16(2);
        p.uint(VERSION, version);
        p.uint(OPTION_LENGTH, length - 8);
        p.hex(FLAGS, c.u8(1), 2);
        p.bool(FLAGS_OAM, (c.u8(1) & 0x80) != 0);
        p.bool(FLAGS_CRITICAL, (c.u8(1) & 0x40) != 0);
        p.hex(PROTO_TYPE, proto, 4);
        p.uint(VNI, c.u32(4) >>> 8);
        if (version != 0) {
            p.malformed("Geneve version " + version + " is not known");
            return Dispatch.STOP;
        }
        if (!c.need(length)) {
            return Decoder.missing(c, p, length, "Geneve options");
        }
        int i = 8;
        while (i + 4 <= length) {
            int optLen = 4 + (c.u8(i + 3) & 0x1f) * 4;
            p.hex(OPTION_CLASS, c.u16(i), 4);
            p.uint(OPTION_TYPE, c.u8(i + 2));
            p.uint(OPTION_LENGTH, optLen);
            i += optLen;
        }
        c.skip(length);
        if (c.remaining() == 0) {
            return Dispatch.STOP;
        }
        return proto == 0x6558 ? Ethernet.BY_NAME : Dispatch.ethertype(proto);
    }
}
