package dev.sharkfin.dissect;

/**
 * BSD loopback: a 4-byte address family. Link type NULL writes it in the capturing host's byte order
 * (so both are accepted, as Wireshark does); LOOP writes it in network order.
 */
public final class NullLoopback implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("null", "BSD loopback")
            .linkType(0, new NullLoopback(false))     // LINKTYPE_NULL: host byte order
            .linkType(108, new NullLoopback(true));   // LINKTYPE_LOOP: network byte order
    public static final Field FAMILY = PROTOCOL.number("null.family", "Address family (2: IPv4; 24, 28 or 30: IPv6)");

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
        long family = networkOrder || c.u16(0) == 0 && c.u16(2) != 0 ? c.u32(0) : c.u32le(0);
        p.uint(FAMILY, family);
        int second = c.u16(2);
        c.skip(4);
        if (family == 2) {
            return Dispatch.ethertype(0x0800);
        }
        // Some writers put an ethertype in the header's second half (e.g. 0f 00 08 00), which Wireshark honours.
        if (second == 0x0800 || second == 0x86dd) {
            return Dispatch.ethertype(second);
        }
        // IPv6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
        if (family == 24 || family == 28 || family == 30) {
            return Dispatch.ethertype(0x86dd);
        }
        return Dispatch.STOP;
    }
}
