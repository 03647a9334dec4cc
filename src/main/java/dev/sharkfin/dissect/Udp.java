package dev.sharkfin.dissect;

/** UDP. */
final class Udp implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("udp");
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "UDP header");
        }
        int src = c.u16(0);
        int dst = c.u16(2);
        int len = c.u16(4);
        p.uint("udp_srcport", src);
        p.uint("udp_dstport", dst);
        p.uint("udp_port", src);
        p.uint("udp_port", dst);
        p.uint("udp_length", len);
        p.hex("udp_checksum", c.u16(6), 4);
        if (len < 8) {
            // Zero is a jumbogram's (RFC 2675) or an offloaded length; below 8 is bogus.
            if (len != 0) {
                p.malformed("UDP length " + len + " is below the header's 8 bytes");
                return Dispatch.STOP;
            }
        } else if (!c.limit(len) && !p.inError) {
            // A datagram quoted in an ICMP error is cut short by design: its payload is decoded as far as it goes.
            p.malformed("UDP length " + len + " exceeds the " + c.reported() + " bytes of the IP payload");
            return Dispatch.STOP;
        }
        c.skip(8);
        return c.remaining() > 0 ? DecoderRegistry.DEFAULT.byPort(Dispatch.UDP_PORT, src, dst) : Dispatch.STOP;
    }
}
