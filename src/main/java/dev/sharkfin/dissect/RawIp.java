package dev.sharkfin.dissect;

/** Raw IP link types: the version nibble says IPv4 or IPv6. */
final class RawIp implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        if (!c.need(1)) {
            p.layer("raw");
            return Decoder.missing(c, p, 1, "raw IP packet");
        }
        return switch (c.u8(0) >>> 4) {
            case 4 -> Dispatch.ethertype(0x0800);
            case 6 -> Dispatch.ethertype(0x86dd);
            default -> {
                p.layer("raw");
                p.malformed("raw IP packet with IP version " + (c.u8(0) >>> 4));
                yield Dispatch.STOP;
            }
        };
    }
}
