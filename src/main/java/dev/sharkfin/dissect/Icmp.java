package dev.sharkfin.dissect;

/** ICMP for IPv4 and ICMPv6: type, code, checksum and the echo identifier and sequence number. */
final class Icmp implements Decoder {
    private final boolean v6;

    Icmp(boolean v6) {
        this.v6 = v6;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(v6 ? "icmpv6" : "icmp");
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, v6 ? "ICMPv6 header" : "ICMP header");
        }
        int type = c.u8(0);
        p.uint(v6 ? "icmpv6_type" : "icmp_type", type);
        p.uint(v6 ? "icmpv6_code" : "icmp_code", c.u8(1));
        p.hex(v6 ? "icmpv6_checksum" : "icmp_checksum", c.u16(2), 4);
        boolean echo = v6 ? type == 128 || type == 129 : type == 0 || type == 8;
        if (echo && c.need(8)) {
            p.uint(v6 ? "icmpv6_echo_identifier" : "icmp_ident", c.u16(4));
            p.uint(v6 ? "icmpv6_echo_sequence_number" : "icmp_seq", c.u16(6));
        }
        if (!v6 && (type == 3 || type == 11 || type == 12) && c.need(8)) {
            if (type == 3 && c.u8(1) == 4) {
                p.uint("icmp_mtu", c.u16(6));
            }
        } else if (v6 && type == 2 && c.need(8)) {
            p.uint("icmpv6_mtu", c.u32(4));
        }
        boolean error = v6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        c.skip(Math.min(c.remaining(), 8));
        if (error && !p.inError && c.need(1)) {
            p.inError = true;
            int version = c.u8(0) >>> 4;
            return version == 4 ? Dispatch.ethertype(0x0800) : version == 6 ? Dispatch.ethertype(0x86dd) : Dispatch.STOP;
        }
        return Dispatch.STOP;
    }
}
