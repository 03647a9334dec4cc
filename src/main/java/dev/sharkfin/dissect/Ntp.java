package dev.sharkfin.dissect;

/**
 * NTP (RFC 5905) time packets (modes 1 to 5) as Wireshark 4.0 shows them: the root delay and
 * dispersion and the precision as their raw wire values, the reference id as hex, the four timestamps
 * as times (a zero timestamp, which means "not set", is left out). Control (6) and private (7) messages
 * keep their flags only.
 */
final class Ntp implements Decoder {
    /** Seconds from the NTP era (1900) to the Unix epoch. */
    private static final long NTP_TO_UNIX = 2_208_988_800L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public int decode(Cursor c, Packet p) {
        int layer = p.layer("ntp");
        if (!c.need(1)) {
            return Decoder.missing(c, p, 1, "NTP flags");
        }
        int flags = c.u8(0);
        int mode = flags & 7;
        p.hex("ntp_flags", flags, 2);
        p.uint("ntp_flags_li", flags >>> 6);
        p.uint("ntp_flags_vn", (flags >>> 3) & 7);
        p.uint("ntp_flags_mode", mode);
        if (mode == 0 || mode > 5) {
            return Dispatch.STOP;
        }
        if (!c.need(48)) {
            return Decoder.missing(c, p, 48, "NTP packet");
        }
        p.uint("ntp_stratum", c.u8(1));
        p.uint("ntp_ppoll", c.u8(2));
        p.uint("ntp_precision", c.u8(3));
        p.uint("ntp_rootdelay", c.u32(4));
        p.uint("ntp_rootdispersion", c.u32(8));
        char[] refid = new char[8];
        for (int i = 0; i < 4; i++) {
            refid[2 * i] = HEX[c.u8(12 + i) >>> 4];
            refid[2 * i + 1] = HEX[c.u8(12 + i) & 15];
        }
        p.string("ntp_refid", new String(refid));
        timestamp(c, p, layer, "ntp_reftime", 16);
        timestamp(c, p, layer, "ntp_org", 24);
        timestamp(c, p, layer, "ntp_rec", 32);
        timestamp(c, p, layer, "ntp_xmt", 40);
        return Dispatch.STOP;
    }

    private static void timestamp(Cursor c, Packet p, int layer, String key, int at) {
        long seconds = c.u32(at);
        long fraction = c.u32(at + 4);
        if (seconds == 0 && fraction == 0) {
            return;
        }
        // Era 0 only (until 2036), as Wireshark 4.0 reads it.
        long nanos = (fraction * 1_000_000_000L) >>> 32;
        p.time(layer, key, (seconds - NTP_TO_UNIX) * 1_000_000_000L + nanos);
    }
}
