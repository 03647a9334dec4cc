package dev.sharkfin.dissect;

/**
 * Teredo (RFC 4380, UDP 3544): IPv6 in UDP, optionally behind an authentication and an origin-indication
 * header. A payload that is not IPv6 is left undecoded.
 */
public final class Teredo implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("teredo", "Teredo IPv6 over UDP tunneling").udpPort(3544, new Teredo());
    public static final Field AUTH_IDLEN = PROTOCOL.number("teredo.auth.idlen", "Client identifier length of the authentication header");
    public static final Field AUTH_AULEN = PROTOCOL.number("teredo.auth.aulen", "Authentication value length of the authentication header");
    public static final Field ORIG_PORT = PROTOCOL.number("teredo.orig.port", "Origin indication: the client's mapped UDP port");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (c.need(4) && c.u16(0) == 0x0001) {
            int idLen = c.u8(2);
            int authLen = c.u8(3);
            int n = 4 + idLen + authLen + 8 + 1;
            if (!c.need(n)) {
                return Decoder.missing(c, p, n, "Teredo authentication header");
            }
            p.uint(AUTH_IDLEN, idLen);
            p.uint(AUTH_AULEN, authLen);
            c.skip(n);
        }
        if (c.need(8) && c.u16(0) == 0x0000) {
            p.uint(ORIG_PORT, c.u16(2) ^ 0xffff);
            c.skip(8);
        }
        return c.need(40) && (c.u8(0) >>> 4) == 6 ? Dispatch.ethertype(0x86dd) : Dispatch.STOP;
    }
}
