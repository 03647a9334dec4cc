package dev.sharkfin.dissect;

/**
 * NTP (RFC 5905) time packets (modes 1 to 5) as Wireshark 4.0 shows them: the root delay and
 * dispersion and the precision as their raw wire values, the reference id as hex, the four timestamps
 * as times. A zero timestamp means "not set": Wireshark's value for it is the Unix epoch (its tree and
 * {@code -T fields} print "NULL", its Elasticsearch output {@code -T ek} writes 1970-01-01T00:00:00Z), and so
 * is Sharkfin's, so the field is there, indexed and filterable, exactly as in Wireshark ({@code ntp.org ==
 * 0} in a display filter, {@code ntp.ntp_org: "1970-01-01T00:00:00Z"} in Kibana). Control (6) messages keep their
 * flags only; private (7) ones their flags (without a leap indicator) and their items' standard fields.
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
    /** Seconds from the Unix epoch to NTP era 1 (2036-02-07T06:28:16Z). */
    private static final long ERA1_TO_UNIX = 2_085_978_496L;
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
        if (mode != 7) {
            p.uint(FLAGS_LI, flags >>> 6); // a private message's top bits are its response and more bits
        }
        p.uint(FLAGS_VN, (flags >>> 3) & 7);
        p.uint(FLAGS_MODE, mode);
        if (mode == 6) {
            return Dispatch.STOP; // control messages are not decoded
        }
        if (mode == 7) {
            return privateMessage(c, p, layer);
        }
        // A standard message, the reserved mode 0 included (Wireshark's dissect_ntp_std takes every other mode), field
        // by field as far as its bytes go.
        standard(c, p, layer);
        if (!c.need(48)) {
            return Decoder.missing(c, p, 48, "NTP packet");
        }
        return Dispatch.STOP;
    }

    /** XNTPD, the implementation whose mode 7 messages carry items. */
    private static final int XNTPD = 3;
    /** Mode 7 request codes whose items hold standard NTP fields. */
    private static final int PEER_LIST_SUM = 1;
    private static final int PEER_INFO = 2;
    private static final int SYS_INFO = 4;

    /**
     * A mode 7 (private, ntpdc) message as Wireshark's dissect_ntp_priv reads it: the flags byte, the auth and sequence
     * byte, the implementation and the request code; then, for XNTPD, the error, item count and item size, and the items,
     * each {@code itemsize} bytes from byte 8. Sharkfin keeps only the items' standard NTP fields (Wireshark shows the
     * peer summaries' stratum and poll, a peer's or the system's variables under the standard fields' names), one per
     * item in order; the items' own fields are not decoded. A field past the captured bytes ends the message, as
     * Wireshark's exception does.
     */
    private static int privateMessage(Cursor c, Packet p, int layer) {
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "NTP private message");
        }
        if (c.u8(2) != XNTPD) {
            return Dispatch.STOP;
        }
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "NTP private message");
        }
        int reqcode = c.u8(3);
        int items = c.u16(4) & 0xfff;
        int size = c.u16(6) & 0xfff;
        boolean response = (c.u8(0) & 0x80) != 0;
        for (int i = 0; i < items; i++) {
            int at = 8 + size * i; // Wireshark's 16-bit offset
            int end = switch (reqcode) {
                case PEER_LIST_SUM -> peerSummary(c, p, at & 0xffff);
                case PEER_INFO -> response ? peerInfo(c, p, layer, at & 0xffff) : 0;
                case SYS_INFO -> systemInfo(c, p, layer, at & 0xffff);
                default -> 0;
            };
            if (end < 0) {
                return Decoder.missing(c, p, -end, "NTP private message item");
            }
        }
        return Dispatch.STOP;
    }

    /** A PEER_LIST_SUM item (72 bytes): stratum at 10, peer poll at 12. Answers the item's end, negative when cut. */
    private static int peerSummary(Cursor c, Packet p, int at) {
        if (!c.need(at + 11)) {
            return -(at + 11);
        }
        p.uint(STRATUM, c.u8(at + 10));
        if (!c.need(at + 13)) {
            return -(at + 13);
        }
        p.uint(PPOLL, c.u8(at + 12));
        return c.need(at + 72) ? at + 72 : -(at + 72);
    }

    /**
     * A PEER_INFO response item (189 bytes): stratum 14, poll 15, precision 17, refid 36, root delay 44, root dispersion
     * 48, the four timestamps from 52.
     */
    private static final int[] PEER_BYTES = {14, 15, 17};
    private static final Field[] PEER_FIELDS = {STRATUM, PPOLL, PRECISION};

    private static int peerInfo(Cursor c, Packet p, int layer, int at) {
        for (int i = 0; i < PEER_BYTES.length; i++) {
            int b = at + PEER_BYTES[i];
            if (!c.need(b + 1)) {
                return -(b + 1);
            }
            p.uint(PEER_FIELDS[i], c.u8(b));
        }
        return variables(c, p, layer, at + 36, at + 44, at + 52, 4, at + 189);
    }

    /** A SYS_INFO item (80 bytes): stratum 6, precision 7, root delay 8, root dispersion 12, refid 16, reftime 20. */
    private static int systemInfo(Cursor c, Packet p, int layer, int at) {
        if (!c.need(at + 7)) {
            return -(at + 7);
        }
        p.uint(STRATUM, c.u8(at + 6));
        if (!c.need(at + 8)) {
            return -(at + 8);
        }
        p.uint(PRECISION, c.u8(at + 7));
        if (!c.need(at + 12)) {
            return -(at + 12);
        }
        p.uint(ROOTDELAY, c.u32(at + 8));
        if (!c.need(at + 16)) {
            return -(at + 16);
        }
        p.uint(ROOTDISPERSION, c.u32(at + 12));
        return variables(c, p, layer, at + 16, -1, at + 20, 1, at + 80);
    }

    /**
     * A peer's refid, root delay and dispersion (when {@code delay} is not negative; the delay before the refid when it is
     * past it) and its first {@code stamps} timestamps, in wire order, as far as the bytes go; then the item's end.
     */
    private static int variables(Cursor c, Packet p, int layer, int refid, int delay, int stamps, int count, int end) {
        if (!c.need(refid + 4)) {
            return -(refid + 4);
        }
        p.string(REFID, refid(c, refid));
        if (delay >= 0) {
            if (!c.need(delay + 4)) {
                return -(delay + 4);
            }
            p.uint(ROOTDELAY, c.u32(delay));
            if (!c.need(delay + 8)) {
                return -(delay + 8);
            }
            p.uint(ROOTDISPERSION, c.u32(delay + 4));
        }
        for (int i = 0; i < count; i++) {
            if (!c.need(stamps + 8 * i + 8)) {
                return -(stamps + 8 * i + 8);
            }
            timestamp(c, p, layer, STAMPS[i], stamps + 8 * i);
        }
        return c.need(end) ? end : -end;
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
            p.string(REFID, refid(c, 12));
        }
        for (int i = 0; i < STAMPS.length && c.need(24 + 8 * i); i++) {
            timestamp(c, p, layer, STAMPS[i], 16 + 8 * i);
        }
    }

    private static String refid(Cursor c, int at) {
        char[] refid = new char[8];
        for (int i = 0; i < 4; i++) {
            refid[2 * i] = HEX[c.u8(at + i) >>> 4];
            refid[2 * i + 1] = HEX[c.u8(at + i) & 15];
        }
        return new String(refid);
    }

    private static void timestamp(Cursor c, Packet p, int layer, Field key, int at) {
        p.time(layer, key, ntpNanos(c.u32(at), c.u32(at + 4)));
    }

    /**
     * An NTP timestamp as Wireshark 4.0 reads it (ENC_TIME_NTP): seconds with the top bit set are of era 0 (since 1900,
     * 1968 to 2036), without it of era 1 (since 2036-02-07T06:28:16Z, 2036 to 2104); the fraction in nanoseconds as its
     * floating-point product truncates it; zero seconds and zero nanoseconds are "NULL", the Unix epoch.
     */
    static long ntpNanos(long seconds, long fraction) {
        long nanos = (long) (1_000_000_000 * (fraction / 4294967296.0));
        if (seconds == 0 && nanos == 0) {
            return 0; // not set: Wireshark's NULL, the epoch
        }
        long unix = (seconds & 0x8000_0000L) != 0 ? seconds - NTP_TO_UNIX : seconds + ERA1_TO_UNIX;
        return unix * 1_000_000_000L + nanos;
    }
}
