package dev.sharkfin.dissect;

/**
 * ERSPAN type II (GRE protocol 0x88be with a sequence number) and type III (0x22eb) headers, then the
 * mirrored Ethernet frame. Type I, 0x88be without a GRE sequence number, has no header of its own:
 * {@link Gre} passes it straight to Ethernet.
 */
final class Erspan implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("erspan");
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "ERSPAN header");
        }
        int version = c.u8(0) >>> 4;
        p.uint("erspan_version", version);
        p.uint("erspan_vlan", c.u16(0) & 0x0fff);
        int w = c.u16(2);
        p.uint("erspan_cos", w >>> 13);
        p.uint("erspan_spanid", w & 0x03ff);
        int n;
        if (version == 1) {
            p.uint("erspan_encap", (w >>> 11) & 3);
            p.uint("erspan_truncated", (w >>> 10) & 1);
            p.uint("erspan_index", c.u32(4) & 0xfffff);
            n = 8;
        } else if (version == 2) {
            p.uint("erspan_bso", (w >>> 11) & 3);
            p.uint("erspan_truncated", (w >>> 10) & 1);
            if (!c.need(12)) {
                return Decoder.missing(c, p, 12, "ERSPAN type III header");
            }
            p.uint("erspan_timestamp", c.u32(4));
            p.uint("erspan_sgt", c.u16(8));
            int f = c.u16(10);
            p.uint("erspan_p", f >>> 15);
            p.uint("erspan_ft", (f >>> 10) & 0x1f);
            p.uint("erspan_hw", (f >>> 4) & 0x3f);
            p.bool("erspan_direction", (f & 0x8) != 0);
            p.uint("erspan_gra", (f >>> 1) & 3);
            p.uint("erspan_o", f & 1);
            n = (f & 1) != 0 ? 20 : 12; // an optional 8-byte platform-specific subheader
            if (!c.need(n)) {
                return Decoder.missing(c, p, n, "ERSPAN platform subheader");
            }
        } else {
            p.malformed("ERSPAN version " + version + " is not known");
            return Dispatch.STOP;
        }
        c.skip(n);
        return c.remaining() > 0 ? Dispatch.ETHERNET : Dispatch.STOP;
    }
}
