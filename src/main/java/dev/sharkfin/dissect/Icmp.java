package dev.sharkfin.dissect;

/** ICMP for IPv4 and ICMPv6: type, code, checksum and the echo identifier and sequence number. */
public final class Icmp implements Decoder {
    public static final Protocol ICMP = Protocol.of("icmp", "Internet Control Message Protocol").ipProtocol(1, new Icmp(false));
    public static final Field TYPE = ICMP.number("icmp.type", "Type (0: echo reply, 3: destination unreachable, 8: echo request, 11: time exceeded)");
    public static final Field CODE = ICMP.number("icmp.code", "Code, within the type");
    public static final Field CHECKSUM = ICMP.number("icmp.checksum", "Checksum, as on the wire").storedOnly();
    public static final Field CHECKSUM_STATUS = ICMP.number("icmp.checksum.status",
            "Checksum status, verified as Wireshark does: 1 good, 0 bad, 2 unverified (the message is not all captured)");
    public static final Field IDENT = ICMP.number("icmp.ident", "Echo identifier");
    public static final Field SEQ = ICMP.number("icmp.seq", "Echo sequence number");
    public static final Field MTU = ICMP.number("icmp.mtu", "Fragmentation needed: the next hop's MTU");
    public static final Field DATA_TIME = ICMP.date("icmp.data_time",
            "An echo's timestamp, when its data starts with one at most a day before the frame's time (as ping writes it)");
    // Echo request/reply matching, written after dissection by tcp.Transactions.
    public static final Field RESP_TO = ICMP.number("icmp.resp_to", "Echo reply: the frame of the request it answers");
    public static final Field RESPTIME = ICMP.seconds("icmp.resptime",
            "Echo reply: milliseconds (not seconds) since the request it answers, as Wireshark gives it");

    public static final Protocol ICMPV6 = Protocol.of("icmpv6", "Internet Control Message Protocol v6").ipProtocol(58, new Icmp(true));
    public static final Field V6_TYPE = ICMPV6.number("icmpv6.type", "Type (1: destination unreachable, 2: packet too big, 128: echo request, 129: echo reply)");
    public static final Field V6_CODE = ICMPV6.number("icmpv6.code", "Code, within the type");
    public static final Field V6_CHECKSUM = ICMPV6.number("icmpv6.checksum", "Checksum, as on the wire").storedOnly();
    public static final Field V6_CHECKSUM_STATUS = ICMPV6.number("icmpv6.checksum.status",
            "Checksum status, verified as Wireshark does (with the IPv6 pseudo-header): 1 good, 0 bad, 2 unverified");
    public static final Field V6_ECHO_IDENTIFIER = ICMPV6.number("icmpv6.echo.identifier", "Echo identifier");
    public static final Field V6_ECHO_SEQUENCE_NUMBER = ICMPV6.number("icmpv6.echo.sequence_number", "Echo sequence number");
    public static final Field V6_MTU = ICMPV6.number("icmpv6.mtu", "Packet too big: the next hop's MTU");
    public static final Field V6_RESP_TO = ICMPV6.number("icmpv6.resp_to", "Echo reply: the frame of the request it answers");
    public static final Field V6_RESPTIME = ICMPV6.seconds("icmpv6.resptime",
            "Echo reply: milliseconds (not seconds) since the request it answers, as Wireshark gives it");

    private static final int MLDV2_REPORT = 143;
    private static final int RPL_CONTROL = 155;
    private static final long DAY = 86_400;

    private final boolean v6;

    Icmp(boolean v6) {
        this.v6 = v6;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(v6 ? ICMPV6 : ICMP);
        // Wireshark's ICMP reads the RFC 4884 length (byte 5) before it adds any field; ICMPv6 reads its checksum
        // after the type and code.
        int header = v6 ? 4 : 6;
        if (!c.need(header)) {
            if (v6) {
                typeAndCode(c, p);
            }
            return Decoder.missing(c, p, header, v6 ? "ICMPv6 header" : "ICMP header");
        }
        int type = c.u8(0);
        typeAndCode(c, p);
        p.hex(v6 ? V6_CHECKSUM : CHECKSUM, c.u16(2), 4);
        p.uint(v6 ? V6_CHECKSUM_STATUS : CHECKSUM_STATUS, status(c, p));
        identifiers(c, p, type);
        int fixed = v6 ? fixedV6(c, type) : fixedV4(c, type);
        if (!c.need(fixed)) {
            return Decoder.missing(c, p, fixed, v6 ? "ICMPv6 message" : "ICMP message");
        }
        body(c, p, type, fixed);
        if (v6 && type == 160) {
            return extendedEchoObjects(c, p);
        }
        return payload(c, p, type);
    }

    /**
     * The echo's identifier and sequence number, as far as the bytes go: ICMP's timestamp, information and address
     * mask messages have them too; RFC 8335's extended echo has the identifier (its sequence is another field).
     */
    private void identifiers(Cursor c, Packet p, int type) {
        boolean identified = v6 ? type == 128 || type == 129 : type == 0 || type == 8 || type >= 13 && type <= 18;
        boolean extendedEcho = v6 ? type == 160 || type == 161 : type == 42 || type == 43;
        if ((identified || extendedEcho) && c.need(6)) {
            p.uint(v6 ? V6_ECHO_IDENTIFIER : IDENT, c.u16(4));
        }
        if (identified && c.need(8)) {
            p.uint(v6 ? V6_ECHO_SEQUENCE_NUMBER : SEQ, c.u16(6));
        }
    }

    /** What follows the fixed part of the types Sharkfin reads further; {@code fixed} bytes are there. */
    private void body(Cursor c, Packet p, int type, int fixed) {
        if (!v6 && type == 3 && c.u8(1) == 4) {
            p.uint(MTU, c.u16(6));
        } else if (v6 && type == 2) {
            p.uint(V6_MTU, c.u32(4));
        } else if (v6 && type == MLDV2_REPORT) {
            mldv2Records(c, p);
        } else if (v6 && neighborDiscovery(type)) {
            Icmpv6Options.neighborDiscovery(c, p, fixed);
        } else if (v6 && type == RPL_CONTROL) {
            Icmpv6Options.rpl(c, p, 4, c.u8(1));
        }
        if (!v6 && (type == 42 && c.reported() > 8 || error(type) && c.reported() > 136 && c.need(12)
                && c.u16(10) <= 128)) {
            // RFC 4884's extensions: after an extended echo's header, or at a fixed place in an error message that
            // quotes no more than 128 bytes (Wireshark decodes them after the quoted datagram).
            extensions(c, p, type == 42 ? 8 : (c.u8(5) == 0 ? 128 : c.u8(5) * 4) + 8);
        }
    }

    private boolean error(int type) {
        return v6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /**
     * RFC 8335's extension objects after ICMPv6's extended echo request: Wireshark's ICMPv6 has ICMP's dissector
     * decode them, listed as "icmp"; one that declines them (too short, another version) leaves them to data.
     */
    private static int extendedEchoObjects(Cursor c, Packet p) {
        boolean taken = extensions(c, p, 8);
        c.skip(8);
        if (taken) {
            p.pass(ICMP.name());
        }
        return taken || p.isTruncated() ? Dispatch.STOP : Dispatch.DATA;
    }

    /**
     * After the message's first 8 bytes: an echo's timestamp and data (but the 4-byte nonce of a Teredo echo, RFC
     * 4380), an error's quoted datagram, the data after a router advertisement whose address entries are not of 2
     * words (RFC 1256's size).
     */
    private int payload(Cursor c, Packet p, int type) {
        boolean echo = v6 ? type == 128 || type == 129 : type == 0 || type == 8;
        boolean otherRouterEntries = !v6 && type == 9 && c.u8(5) != 2;
        c.skip(Math.min(c.remaining(), 8));
        if (echo && !v6) {
            echoTimestamp(c, p);
        }
        if (error(type) && !p.inError) {
            return quoted(c, p);
        }
        return (echo || otherRouterEntries) && !(v6 && c.reported() == 4 && teredo(p)) ? Dispatch.DATA : Dispatch.STOP;
    }

    /**
     * An error's quoted datagram. ICMP hands it to Wireshark's "ip" dissector, whichever its version; ICMPv6 to
     * IPv6 when its version says 6, else to data. Either reads its first byte: with none captured, the frame is
     * short (ICMP's "ip" listed).
     */
    private int quoted(Cursor c, Packet p) {
        if (!v6 && c.reported() > 128 && !c.need(4)) {
            p.truncated(); // the quoted total length, read after the datagram (see fixedV4)
        }
        if (!c.need(1)) {
            if (c.reported() > 0) {
                if (!v6) {
                    p.pass(Ipv4.PROTOCOL.name());
                }
                p.truncated();
            }
            return Dispatch.STOP;
        }
        p.inError = true;
        if (!v6) {
            return Ipv4.IP_HANDLE;
        }
        return c.u8(0) >>> 4 == 6 ? Dispatch.ethertype(0x86dd) : Dispatch.DATA;
    }

    /**
     * The ICMPv6 types whose fixed part ({@link #fixedV6}) Wireshark follows with neighbor discovery options: router
     * and neighbor solicitation and advertisement, redirect, inverse discovery, mobile prefix advertisement,
     * certification path messages, experimental mobility and FMIPv6.
     */
    private static boolean neighborDiscovery(int type) {
        return type >= 133 && type <= 137 || type == 141 || type == 142 || type >= 147 && type <= 150 || type == 154;
    }

    /** The type and code, as far as the bytes go. */
    private void typeAndCode(Cursor c, Packet p) {
        if (c.need(1)) {
            p.uint(v6 ? V6_TYPE : TYPE, c.u8(0));
        }
        if (c.need(2)) {
            p.uint(v6 ? V6_CODE : CODE, c.u8(1));
        }
    }

    /**
     * The bytes Wireshark 4.0's ICMP dissector reads of a message of this type before its payload (fewer captured
     * throws: a short frame, or a malformed one past the message): the second word of most types, the timestamps
     * and the address mask, a router advertisement's addresses (of RFC 1256's entry size); of an error, the quoted
     * header's length byte (a redirect), the quoted datagram's total length (RFC 4884's length is set and the
     * message is longer). Of an error longer than 136 bytes, Wireshark reads that total length again after the
     * quoted datagram ({@link #quoted}).
     */
    private static int fixedV4(Cursor c, int type) {
        int origLength = c.u8(5) * 4;
        return switch (type) {
            case 13, 14 -> 20;
            case 17, 18 -> 12;
            case 5 -> 9;
            case 3, 4, 11, 12 -> origLength != 0 && c.reported() > 8 + origLength ? 12 : 8;
            case 9 -> c.u8(5) == 2 ? 8 + c.u8(4) * 8 : 8;
            case 0, 8, 15, 16, 42, 43 -> 8;
            default -> 6;
        };
    }

    /**
     * As {@link #fixedV4}, for ICMPv6 (packet-icmpv6.c): the fixed part of the types Wireshark decodes field by
     * field, up to their options; an MLDv2 query (28 bytes or more) with its sources; a home agent reply with its
     * addresses, 16 bytes each, as many as were captured.
     */
    private static int fixedV6(Cursor c, int type) {
        return switch (type) {
            case 1, 2, 3, 4, 128, 129, 133, 141, 142, 144, 146, 147, 148, 150, 151, 154, 160, 161 -> 8;
            case 130, 131, 132 -> type == 130 && c.remaining() >= 28 ? 28 + c.u16(26) * 16 : 24;
            case 134 -> 16;
            case 135, 136 -> 24;
            case 137 -> 40;
            case 145 -> 8 + (Math.max(0, c.remaining() - 8) + 15) / 16 * 16;
            case 149 -> 12;
            default -> 4;
        };
    }

    /**
     * RFC 4884's extension structure from {@code at} to the message's end, as Wireshark checks it: a checksum of 0
     * is absent; any other is verified over the whole structure (which must all be captured), a bad one noted with
     * the value it should have. A structure shorter than its 4-byte header is not read; one that starts past what
     * was captured is Wireshark's exception. Whether Wireshark takes it as one: a version 1 or 2 header.
     */
    private static boolean extensions(Cursor c, Packet p, int at) {
        if (!c.need(at)) {
            Decoder.missing(c, p, at, "ICMP extensions");
            return false;
        }
        int length = c.reported() - at;
        if (length < 4) {
            return false;
        }
        if (!c.need(at + 4)) {
            Decoder.missing(c, p, at + 4, "ICMP extension header");
            return false;
        }
        int held = c.u16(at + 2);
        if (held != 0 && !c.need(at + length)) {
            Decoder.missing(c, p, at + length, "ICMP extensions");
            return false;
        }
        long sum = held == 0 ? 0 : Checksums.sum(c, at, length, 0);
        if (held != 0 && !Checksums.verifies(sum)) {
            p.expert("Bad checksum [should be 0x%04x]".formatted(Checksums.shouldBe(held, sum)));
        }
        int version = c.u8(at) >>> 4;
        return version == 1 || version == 2;
    }

    /**
     * The timestamp ping puts at the start of an echo's data (seconds and microseconds, big-endian, else
     * little-endian), as Wireshark 4.0 finds it: within a day of the frame's time, either side, the difference
     * taken as a signed 32-bit number (C's {@code abs((int) diff)}), and the microseconds below a million as a
     * signed 32-bit number too. It is skipped; the rest is data.
     */
    private static void echoTimestamp(Cursor c, Packet p) {
        if (!c.need(8)) {
            return;
        }
        long frameSeconds = Math.floorDiv(p.timeNanos, 1_000_000_000L);
        long seconds = c.u32(0);
        int micros = (int) c.u32(4);
        if (!looksLikeTime(seconds, micros, frameSeconds)) {
            seconds = c.u32le(0);
            micros = (int) c.u32le(4);
        }
        if (looksLikeTime(seconds, micros, frameSeconds)) {
            p.time(p.layerCount() - 1, DATA_TIME, seconds * 1_000_000_000L + micros * 1000);
            c.skip(8);
        }
    }

    private static boolean looksLikeTime(long seconds, int micros, long frameSeconds) {
        return Math.abs((int) (seconds - frameSeconds)) < DAY && micros < 1_000_000;
    }

    /** Whether either IPv6 address is a Teredo one (2001:0000::/32). */
    private static boolean teredo(Packet p) {
        return p.addressLength == 16 && (teredo(p.addressData, p.srcAddressOffset) || teredo(p.addressData, p.dstAddressOffset));
    }

    private static boolean teredo(byte[] b, int at) {
        return b[at] == 0x20 && b[at + 1] == 0x01 && b[at + 2] == 0 && b[at + 3] == 0;
    }

    /**
     * Checks the records of an MLDv2 report (RFC 3810) against the message's length, as Wireshark's dissector
     * finds a record that goes past it: a malformed packet.
     */
    private static void mldv2Records(Cursor c, Packet p) {
        if (!c.need(8)) {
            return;
        }
        int records = c.u16(6);
        int at = 8;
        for (int r = 0; r < records; r++) {
            if (at + 20 > c.reported()) {
                p.malformed("MLDv2 report: record " + (r + 1) + " of " + records + " goes past the message");
                return;
            }
            if (!c.need(at + 4)) {
                return; // cut by the snapshot length: not checked further
            }
            at += 20 + c.u16(at + 2) * 16 + c.u8(at + 1) * 4;
            if (at > c.reported()) {
                p.malformed("MLDv2 report: record " + (r + 1) + " of " + records + " goes past the message");
                return;
            }
        }
    }

    /** Verifies the checksum over the whole message (ICMPv6's with its pseudo-header) when it is all captured. */
    private int status(Cursor c, Packet p) {
        int length = c.reported();
        if (c.remaining() < length || v6 && p.addressLength != 16) {
            return Checksums.UNVERIFIED;
        }
        long sum = Checksums.sum(c, 0, length, 0);
        if (v6) {
            sum = Checksums.sum(p.addressData, p.srcAddressOffset, 16, sum);
            sum = Checksums.sum(p.addressData, p.dstAddressOffset, 16, sum);
            sum += length + 58;
        }
        if (Checksums.verifies(sum)) {
            return Checksums.GOOD;
        }
        // Wireshark verifies ICMP's checksum by default and says what it should be (a string only for a bad one).
        p.expert("Bad checksum [should be 0x%04x]".formatted(Checksums.shouldBe(c.u16(2), sum)));
        return Checksums.BAD;
    }
}
