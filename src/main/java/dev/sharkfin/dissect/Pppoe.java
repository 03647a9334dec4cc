package dev.sharkfin.dissect;

/**
 * PPPoE session frames (RFC 2516, ethertype 0x8864) and the PPP protocol field they carry: IPv4 and IPv6
 * are decoded, other PPP protocols (LCP, IPCP, ...) keep their number. Wireshark names the session
 * protocol {@code pppoes} and its fields {@code pppoe.*}.
 */
final class Pppoe implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("pppoes");
        if (!c.need(6)) {
            return Decoder.missing(c, p, 6, "PPPoE header");
        }
        int length = c.u16(4);
        p.uint("pppoe_version", c.u8(0) >>> 4);
        p.uint("pppoe_type", c.u8(0) & 0xf);
        p.hex("pppoe_code", c.u8(1), 2);
        p.hex("pppoe_session_id", c.u16(2), 4);
        p.uint("pppoe_payload_length", length);
        c.skip(6);
        if (!c.limit(length)) {
            p.malformed("PPPoE payload length " + length + " exceeds the " + c.reported() + " bytes of the frame");
            return Dispatch.STOP;
        }
        p.layer("ppp");
        if (!c.need(2)) {
            return Decoder.missing(c, p, 2, "PPP protocol");
        }
        int proto = c.u16(0);
        p.hex("ppp_protocol", proto, 4);
        c.skip(2);
        return switch (proto) {
            case 0x0021 -> Dispatch.ethertype(0x0800);
            case 0x0057 -> Dispatch.ethertype(0x86dd);
            default -> Dispatch.STOP;
        };
    }
}
