package dev.sharkfin.dissect;

/**
 * Linux NFLOG (link type 239): a 4-byte header (address family, version, resource id) and then
 * type-length-value attributes in host byte order; the payload attribute holds the IP packet.
 */
final class Nflog implements Decoder {
    private static final int PAYLOAD = 9, PREFIX = 10;

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("nflog");
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "NFLOG header");
        }
        int family = c.u8(0);
        p.uint("nflog_family", family);
        p.uint("nflog_version", c.u8(1));
        p.uint("nflog_resid", c.u16(2));
        c.skip(4);
        while (c.need(4)) {
            int length = c.u16le(0);
            int type = c.u16le(2) & 0x7fff;
            if (length < 4 || !c.need(length)) {
                p.malformed("NFLOG attribute " + type + " has a bad length " + length);
                return Dispatch.STOP;
            }
            if (type == PAYLOAD) {
                c.skip(4);
                c.limit(length - 4);
                return family == 2 ? Dispatch.ethertype(0x0800) : family == 10 ? Dispatch.ethertype(0x86dd) : Dispatch.STOP;
            }
            if (type == PREFIX && length > 5) {
                StringBuilder prefix = new StringBuilder();
                for (int i = 4; i < length && c.u8(i) != 0; i++) {
                    prefix.append((char) c.u8(i));
                }
                p.string("nflog_prefix", prefix.toString());
            }
            c.skip((length + 3) & ~3);
        }
        return Dispatch.STOP;
    }
}
