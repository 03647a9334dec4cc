package dev.sharkfin.dissect;

/**
 * Linux NFLOG (link type 239): a 4-byte header (address family, version, resource id) and then
 * type-length-value attributes in host byte order; the payload attribute holds the IP packet.
 */
public final class Nflog implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("nflog", "Linux Netfilter NFLOG").linkType(239, new Nflog());
    public static final Field FAMILY = PROTOCOL.number("nflog.family", "Address family of the logged packet (2: IPv4, 10: IPv6)");
    public static final Field VERSION = PROTOCOL.number("nflog.version", "NFLOG version");
    public static final Field RES_ID = PROTOCOL.number("nflog.res_id", "Resource id: the netfilter log group");
    public static final Field PREFIX = PROTOCOL.keyword("nflog.prefix", "The log prefix of the rule that logged the packet");

    private static final int ATTR_PAYLOAD = 9, ATTR_PREFIX = 10;

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "NFLOG header");
        }
        int family = c.u8(0);
        p.uint(FAMILY, family);
        p.uint(VERSION, c.u8(1));
        p.uint(RES_ID, c.u16(2));
        c.skip(4);
        while (c.need(4)) {
            int length = c.u16le(0);
            int type = c.u16le(2) & 0x7fff;
            if (length < 4 || !c.need(length)) {
                p.malformed("NFLOG attribute " + type + " has a bad length " + length);
                return Dispatch.STOP;
            }
            if (type == ATTR_PAYLOAD) {
                c.skip(4);
                c.limit(length - 4);
                return family == 2 ? Dispatch.ethertype(0x0800) : family == 10 ? Dispatch.ethertype(0x86dd) : Dispatch.STOP;
            }
            if (type == ATTR_PREFIX && length > 5) {
                StringBuilder prefix = new StringBuilder();
                for (int i = 4; i < length && c.u8(i) != 0; i++) {
                    prefix.append((char) c.u8(i));
                }
                p.string(PREFIX, prefix.toString());
            }
            c.skip((length + 3) & ~3);
        }
        return Dispatch.STOP;
    }
}
