package dev.sharkfin.dissect;

/**
 * NTP (RFC 5905) time packets (modes 1 to 5) as Wireshark 4.0 shows them: the root delay and
 * dispersion and the precision as their raw wire values, the reference id as hex, the four timestamps
 * as times. A zero timestamp means "not set": Wireshark's value for it is the Unix epoch (its tree and
 * {@code -T fields} print "NULL", its Elasticsearch output {@code -T ek} writes 1970-01-01T00:00:00Z), and so
 * is Sharkfin's, so the field is there, indexed and filterable, exactly as in Wireshark ({@code ntp.org ==
 * 0} in a display filter, {@code ntp.ntp_org: "1970-01-01T00:00:00Z"} in Kibana). Control (6) and private (7)
 * messages keep their flags only.
 */
public final class Ntp implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("ntp", "Network Time Protocol").udpPort(123, new Ntp());
    public static final Field FLAGS = PROTOCOL.number("ntp.flags", "Flags: leap indicator, version and mode");
    public static final Field FLAGS_LI = PROTOCOL.number("ntp.flags.li", "Leap indicator (3: clock not synchronized)");
    public static final Field FLAGS_VN = PROTOCOL.number("ntp.flags.vn", "Version number");
    public static final Field FLAGS_MODE = PROTOCOL.number("ntp.flags.mode", "Mode (3: client, 4: server, 5: broadcast)");
    public static final Field STRATUM = PROTOCOL.number("ntp.stratum", "Stratum (1: primary reference, 16: unsynchronized)");
    public static final Field PPOLL = PROTOCOL.number("ntp.ppoll", "Poll interval, log2 seconds, as on the wire");
    public static final Field PRECISION = PROTOCOL.number("ntp.precision", "Precision, log2 seconds, as on the wire (a signed byte read unsigned)");
    public static final Field ROOTDELAY = PROTOCOL.number("ntp.rootdelay", "Root delay, the raw 32-bit fixed-point value");
    public static final Field ROOTDISPERSION = PROTOCOL.number("ntp.rootdispersion", "Root dispersion, the raw 32-bit fixed-point value");
    public static final Field REFID = PROTOCOL.bytes("ntp.refid", "Reference id, as hex digits");
    public static final Field REFTIME = PROTOCOL.date("ntp.reftime", "Reference timestamp; 1970-01-01T00:00:00Z when not set (zero; tshark shows NULL)");
    public static final Field ORG = PROTOCOL.date("ntp.org", "Origin timestamp; 1970-01-01T00:00:00Z when not set (zero; tshark shows NULL)");
    public static final Field REC = PROTOCOL.date("ntp.rec", "Receive timestamp; 1970-01-01T00:00:00Z when not set (zero; tshark shows NULL)");
    public static final Field XMT = PROTOCOL.date("ntp.xmt", "Transmit timestamp; 1970-01-01T00:00:00Z when not set (zero; tshark shows NULL)");

    /** Seconds from the NTP era (1900) to the Unix epoch. */
    private static final long NTP_TO_UNIX = 2_208_988_800L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public int decode(Cursor c, Packet p) {
        int layer = p.layer(PROTOCOL);
        if (!c.need(1)) {
            return Decoder.missing(c, p, 1, "NTP flags");
        }
        int flags = c.u8(0);
        int mode = flags & 7;
        p.hex(FLAGS, flags, 2);
        p.uint(FLAGS_LI, flags >>> 6);
        p.uint(FLAGS_VN, (flags >>> 3) & 7);
        p.uint(FLAGS_MODE, mode);
        if (mode > 5) {
            return Dispatch.STOP; // control (6) and private (7) messages are not decoded
        }
        // A standard message, the reserved mode 0 included (Wireshark's dissect_ntp_std takes every other mode), field
        // by field as far as its bytes go.
        standard(c, p, layer);
        if (!c.need(48)) {
            return Decoder.missing(c, p, 48, "NTP packet");
        }
        return Dispatch.STOP;
    }

    /** The four timestamps, 8 bytes each from byte 16, in wire order. */
    private static final Field[] STAMPS = {REFTIME, ORG, REC, XMT};

    private static void standard(Cursor c, Packet p, int layer) {
        if (c.need(2)) {
            p.uint(STRATUM, c.u8(1));
        }
        if (c.need(3)) {
            p.uint(PPOLL, c.u8(2));
        }
        if (c.need(4)) {
            p.uint(PRECISION, c.u8(3));
        }
        if (c.need(8)) {
            p.uint(ROOTDELAY, c.u32(4));
        }
        if (c.need(12)) {
            p.uint(ROOTDISPERSION, c.u32(8));
        }
        if (c.need(16)) {
            char[] refid = new char[8];
            for (int i = 0; i < 4; i++) {
                refid[2 * i] = HEX[c.u8(12 + i) >>> 4];
                refid[2 * i + 1] = HEX[c.u8(12 + i) & 15];
            }
            p.string(REFID, new String(refid));
        }
        for (int i = 0; i < STAMPS.length && c.need(24 + 8 * i); i++) {
            timestamp(c, p, layer, STAMPS[i], 16 + 8 * i);
        }
    }

    private static void timestamp(Cursor c, Packet p, int layer, Field key, int at) {
        long seconds = c.u32(at);
        long fraction = c.u32(at + 4);
        if (seconds == 0 && fraction == 0) {
            p.time(layer, key, 0); // not set: Wireshark's NULL, the epoch
            return;
        }
        // Era 0 only (until 2036), as Wireshark 4.0 reads it.
        long nanos = (fraction * 1_000_000_000L) >>> 32;
        p.time(layer, key, (seconds - NTP_TO_UNIX) * 1_000_000_000L + nanos);
    }
}
