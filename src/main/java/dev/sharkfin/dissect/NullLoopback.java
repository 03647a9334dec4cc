package dev.sharkfin.dissect;

/**
 * BSD loopback: a 4-byte header. Link type LOOP writes an address family in network order. Link type NULL
 * writes it in the capturing host's byte order, and some writers put an ethertype there instead; the header is
 * read as Wireshark reads it on a little-endian host: a value above 1500 after its byte-order guess is an
 * ethertype ({@code null.type}), anything else an address family ({@code null.family}).
 */
public final class NullLoopback implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("null", "BSD loopback")
            .linkType(0, new NullLoopback(false))     // LINKTYPE_NULL: host byte order
            .linkType(108, new NullLoopback(true));   // LINKTYPE_LOOP: network byte order
    public static final Field FAMILY = PROTOCOL.number("null.family", "Address family (2: IPv4; 24, 28 or 30: IPv6)");
    public static final Field TYPE = PROTOCOL.number("null.type", "An ethertype in place of the address family (0x0800: IPv4)");

    private final boolean networkOrder;

    NullLoopback(boolean networkOrder) {
        this.networkOrder = networkOrder;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "loopback header");
        }
        long header = networkOrder ? c.u32(0) : hostOrder(c.u32le(0));
        c.skip(4);
        if (!networkOrder && header > 1500) {
            p.hex(TYPE, header & 0xffff, 4);
            return Dispatch.ethertype((int) header & 0xffff);
        }
        p.uint(FAMILY, header);
        if (header == 2) {
            return Dispatch.ethertype(0x0800);
        }
        // IPv6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
        if (header == 24 || header == 28 || header == 30) {
            return Dispatch.ethertype(0x86dd);
        }
        return Dispatch.DATA;
    }

    /** Wireshark's guess at the byte order of a NULL header read little-endian ({@code h}). */
    static long hostOrder(long h) {
        if ((h & 0xffff0000L) != 0) {
            if ((h & 0xff000000L) == 0 && (h & 0x00ff0000L) < 0x00060000L) {
                return h >>> 16;
            }
            return Long.reverseBytes(h) >>> 32; // the other byte order
        }
        if ((h & 0xff) == 0 && (h & 0xff00) < 0x0600) {
            return ((h & 0xff) << 8) | ((h >>> 8) & 0xff);
        }
        return h;
    }
}
