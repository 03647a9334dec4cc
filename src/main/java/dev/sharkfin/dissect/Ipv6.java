package dev.sharkfin.dissect;

/**
 * IPv6 and its extension headers (hop-by-hop, routing, fragment, destination options), flattened into
 * the ipv6 object as Wireshark's field names have it. Fragments are flagged and not decoded further.
 */
final class Ipv6 implements Decoder {
    private static final int MAX_EXTENSIONS = 16;

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("ipv6");
        if (!c.need(40)) {
            return Decoder.missing(c, p, 40, "IPv6 header");
        }
        long first = c.u32(0);
        int plen = c.u16(4);
        int next = c.u8(6);
        p.uint("ipv6_version", first >>> 28);
        p.hex("ipv6_tclass", (first >>> 20) & 0xff, 2);
        p.hex("ipv6_flow", first & 0xfffff, 5);
        p.uint("ipv6_plen", plen);
        p.uint("ipv6_nxt", next);
        p.uint("ipv6_hlim", c.u8(7));
        int at = c.pos();
        p.bytes("ipv6_src", Packet.IPV6, at + 8, 16);
        p.bytes("ipv6_addr", Packet.IPV6, at + 8, 16);
        p.bytes("ipv6_dst", Packet.IPV6, at + 24, 16);
        p.bytes("ipv6_addr", Packet.IPV6, at + 24, 16);
        if (first >>> 28 != 6) {
            p.malformed("IPv6 header with version " + (first >>> 28));
            return Dispatch.STOP;
        }
        p.addressLength = 16;
        p.srcAddressOffset = at + 8;
        p.dstAddressOffset = at + 24;
        c.skip(40);
        // A payload length of 0 is a jumbogram or offload: the frame length stands.
        if (plen != 0 && !c.limit(plen) && !p.inError) {
            p.expert("IPv6 payload length exceeds framing length (" + c.reported() + " bytes)");
        }
        for (int n = 0; n < MAX_EXTENSIONS; n++) {
            switch (next) {
                case 0, 43, 60 -> {
                    String prefix = next == 0 ? "hopopts" : next == 43 ? "routing" : "dstopts";
                    if (!c.need(8)) {
                        return Decoder.missing(c, p, 8, "IPv6 " + prefix + " header");
                    }
                    int len = (c.u8(1) + 1) * 8;
                    p.uint(switch (next) {
                        case 0 -> "ipv6_hopopts_nxt";
                        case 43 -> "ipv6_routing_nxt";
                        default -> "ipv6_dstopts_nxt";
                    }, c.u8(0));
                    if (next == 43) {
                        p.uint("ipv6_routing_type", c.u8(2));
                        p.uint("ipv6_routing_segleft", c.u8(3));
                    }
                    if (!c.need(len)) {
                        return Decoder.missing(c, p, len, "IPv6 " + prefix + " header");
                    }
                    next = c.u8(0);
                    c.skip(len);
                }
                case 44 -> {
                    if (!c.need(8)) {
                        return Decoder.missing(c, p, 8, "IPv6 fragment header");
                    }
                    int offMore = c.u16(2);
                    // Wireshark 4.0's names; the offset in 8-byte units, as on the wire.
                    p.uint("ipv6_fraghdr_nxt", c.u8(0));
                    p.uint("ipv6_fraghdr_offset", offMore >>> 3);
                    p.bool("ipv6_fraghdr_more", (offMore & 1) != 0);
                    p.hex("ipv6_fraghdr_ident", c.u32(4), 8);
                    long ident = c.u32(4);
                    next = c.u8(0);
                    c.skip(8);
                    if (offMore != 0) {
                        int length = c.reported();
                        if (p.inError || !c.need(length)) {
                            return Dispatch.STOP;
                        }
                        byte[] whole = p.reassembly.add(p.data, 16, at + 8, at + 24, ident, next, (offMore >>> 3) * 8,
                                (offMore & 1) != 0, c, length);
                        if (whole == null) {
                            return Dispatch.STOP;
                        }
                        p.uint("ipv6_fragment_count", p.reassembly.lastFragments());
                        p.uint("ipv6_reassembled_length", whole.length);
                        p.buffer = whole;
                        c.replace(whole, whole.length);
                    }
                }
                case 59 -> {
                    return Dispatch.STOP;
                }
                default -> {
                    return Dispatch.ipProto(next);
                }
            }
        }
        p.malformed("more than " + MAX_EXTENSIONS + " IPv6 extension headers");
        return Dispatch.STOP;
    }
}
