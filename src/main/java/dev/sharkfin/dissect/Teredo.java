package dev.sharkfin.dissect;

/**
 * Teredo (RFC 4380, UDP 3544): IPv6 in UDP, optionally behind an authentication and an origin-indication
 * header. A payload that is not IPv6 is left undecoded.
 */
final class Teredo implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("teredo");
        if (c.need(4) && c.u16(0) == 0x0001) {
            int idLen = c.u8(2);
            int authLen = c.u8(3);
            int n = 4 + idLen + authLen + 8 + 1;
            if (!c.need(n)) {
                return Decoder.missing(c, p, n, "Teredo authentication header");
            }
            p.uint("teredo_auth_idlen", idLen);
            p.uint("teredo_auth_aulen", authLen);
            c.skip(n);
        }
        if (c.need(8) && c.u16(0) == 0x0000) {
            p.uint("teredo_orig_port", c.u16(2) ^ 0xffff);
            c.skip(8);
        }
        return c.need(40) && (c.u8(0) >>> 4) == 6 ? Dispatch.ethertype(0x86dd) : Dispatch.STOP;
    }
}
