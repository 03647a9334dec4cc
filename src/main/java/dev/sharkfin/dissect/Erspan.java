package dev.sharkfin.dissect;

/**
 * ERSPAN type II (GRE protocol 0x88be with a sequence number) and type III (0x22eb) headers, then the
 * mirrored Ethernet frame (type III: of frame type 0; any other is data). Type I, 0x88be without a GRE
 * sequence number, has no header of its own: {@link Gre} passes it to Ethernet through {@link #typeOne}.
 */
public final class Erspan implements Decoder {
    private static final Erspan DECODER = new Erspan();
    public static final Protocol PROTOCOL = Protocol.of("erspan", "Encapsulated Remote Switch Packet Analysis");
    /** What GRE answers for ERSPAN types II and III. */
    static final int BY_NAME = PROTOCOL.byName(DECODER);
    public static final Field VERSION = PROTOCOL.number("erspan.version", "Version (1: type II, 2: type III)");
    public static final Field VLAN = PROTOCOL.number("erspan.vlan", "VLAN of the mirrored frame");
    public static final Field COS = PROTOCOL.number("erspan.cos", "Class of service of the mirrored frame");
    public static final Field SPANID = PROTOCOL.number("erspan.spanid", "Session id");
    public static final Field ENCAP = PROTOCOL.number("erspan.encap", "Type II: how the frame was encapsulated when mirrored");
    public static final Field TRUNCATED = PROTOCOL.number("erspan.truncated", "The mirrored frame was truncated, 0 or 1");
    public static final Field INDEX = PROTOCOL.number("erspan.index", "Type II: port index or direction");
    public static final Field BSO = PROTOCOL.number("erspan.bso", "Type III: bad, short or oversized frame");
    public static final Field TIMESTAMP = PROTOCOL.number("erspan.timestamp", "Type III: timestamp, in units of the granularity");
    public static final Field SGT = PROTOCOL.number("erspan.sgt", "Type III: security group tag");
    public static final Field P = PROTOCOL.number("erspan.p", "Type III: the payload is an Ethernet frame, 0 or 1");
    public static final Field FT = PROTOCOL.number("erspan.ft", "Type III: frame type (0: Ethernet)");
    public static final Field HW = PROTOCOL.number("erspan.hw", "Type III: hardware id");
    public static final Field DIRECTION = PROTOCOL.bool("erspan.direction", "Type III: direction (true: egress)");
    public static final Field GRA = PROTOCOL.number("erspan.gra", "Type III: timestamp granularity");
    public static final Field O = PROTOCOL.number("erspan.o", "Type III: an optional platform subheader follows, 0 or 1");

    /**
     * ERSPAN type I: no header, yet Wireshark lists the protocol ("Type I", no fields) before the mirrored
     * Ethernet frame, so frame.protocols reads {@code gre:erspan:eth}.
     */
    static int typeOne(Packet p) {
        p.pass(PROTOCOL.name());
        return Ethernet.BY_NAME;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "ERSPAN header");
        }
        int version = c.u8(0) >>> 4;
        p.uint(VERSION, version);
        p.uint(VLAN, c.u16(0) & 0x0fff);
        int w = c.u16(2);
        p.uint(COS, w >>> 13);
        p.uint(SPANID, w & 0x03ff);
        int n;
        int frameType = 0; // type II carries Ethernet
        if (version == 1) {
            p.uint(ENCAP, (w >>> 11) & 3);
            p.uint(TRUNCATED, (w >>> 10) & 1);
            p.uint(INDEX, c.u32(4) & 0xfffff);
            n = 8;
        } else if (version == 2) {
            p.uint(BSO, (w >>> 11) & 3);
            p.uint(TRUNCATED, (w >>> 10) & 1);
            if (!c.need(12)) {
                return Decoder.missing(c, p, 12, "ERSPAN type III header");
            }
            p.uint(TIMESTAMP, c.u32(4));
            p.uint(SGT, c.u16(8));
            int f = c.u16(10);
            p.uint(P, f >>> 15);
            frameType = (f >>> 10) & 0x1f;
            p.uint(FT, frameType);
            p.uint(HW, (f >>> 4) & 0x3f);
            p.bool(DIRECTION, (f & 0x8) != 0);
            p.uint(GRA, (f >>> 1) & 3);
            p.uint(O, f & 1);
            n = (f & 1) != 0 ? 20 : 12; // an optional 8-byte platform-specific subheader
            if (!c.need(n)) {
                return Decoder.missing(c, p, n, "ERSPAN platform subheader");
            }
        } else {
            p.malformed("ERSPAN version " + version + " is not known");
            return Dispatch.STOP;
        }
        c.skip(n);
        if (c.remaining() == 0) {
            return Dispatch.STOP;
        }
        // Type III says what it carries: Wireshark takes frame type 0 for Ethernet and any other for data.
        return frameType == 0 ? Ethernet.BY_NAME : Dispatch.DATA;
    }
}
