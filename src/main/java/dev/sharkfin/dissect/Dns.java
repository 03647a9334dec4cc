package dev.sharkfin.dissect;

import java.nio.charset.StandardCharsets;

/**
 * DNS (RFC 1035) over UDP and TCP, multicast DNS (RFC 6762) and LLMNR (RFC 4795), which Wireshark shows
 * as protocols {@code mdns} and {@code llmnr} with the same {@code dns.*} fields. Every resource record of the answer, authority and
 * additional sections adds the same {@code dns_resp_*} keys, so they become arrays in record order, as
 * tshark lists them. Names are decompressed; compression pointers are followed a bounded number of times,
 * so a pointer loop ends as a malformed packet instead of a hang.
 */
final class Dns implements Decoder {
    static final int UDP = 0, TCP = 1, MDNS = 2, LLMNR = 3;

    private static final int MAX_POINTERS = 64;
    private static final int MAX_NAME = 255;
    private static final int OPT = 41;
    /** The name being assembled, per thread (decoders are shared); only the finished String is allocated. */
    private static final ThreadLocal<byte[]> NAME = ThreadLocal.withInitial(() -> new byte[MAX_NAME + 64]);

    private final int transport;

    Dns(int transport) {
        this.transport = transport;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(transport == MDNS ? "mdns" : transport == LLMNR ? "llmnr" : "dns");
        int base = 0;
        if (transport == TCP) {
            if (!c.need(2)) {
                return Decoder.missing(c, p, 2, "DNS length");
            }
            p.uint("dns_length", c.u16(0));
            base = 2;
            // One message per segment: the one that starts it (no reassembly across segments).
            int length = c.u16(0);
            int end = Math.min(c.remaining(), 2 + length);
            return message(c, p, base, end, 2 + length > c.reported());
        }
        return message(c, p, base, c.remaining(), false);
    }

    /** {@code segmented}: the message goes on in later TCP segments, so running out of bytes is no fault. */
    private int message(Cursor c, Packet p, int base, int end, boolean segmented) {
        if (!c.need(base + 12)) {
            return Decoder.missing(c, p, base + 12, "DNS header");
        }
        int flags = c.u16(base + 2);
        boolean response = (flags & 0x8000) != 0;
        p.hex("dns_id", c.u16(base), 4);
        p.hex("dns_flags", flags, 4);
        p.bool("dns_flags_response", response);
        p.uint("dns_flags_opcode", (flags >>> 11) & 0xf);
        if (transport == LLMNR) {
            // LLMNR's own flags (RFC 4795 2.1.1) in place of AA, RD and RA.
            p.bool("dns_flags_conflict", (flags & 0x0400) != 0);
            p.bool("dns_flags_truncated", (flags & 0x0200) != 0);
            p.bool("dns_flags_tentative", (flags & 0x0100) != 0);
            if (response) {
                p.uint("dns_flags_rcode", flags & 0xf);
            }
        } else {
            classicFlags(p, flags, response);
        }
        return sections(c, p, base, end, segmented);
    }

    private static void classicFlags(Packet p, int flags, boolean response) {
        // Wireshark shows the answer-only flags (authoritative, recursion available, rcode) on responses only.
        if (response) {
            p.bool("dns_flags_authoritative", (flags & 0x0400) != 0);
        }
        p.bool("dns_flags_truncated", (flags & 0x0200) != 0);
        p.bool("dns_flags_recdesired", (flags & 0x0100) != 0);
        if (response) {
            p.bool("dns_flags_recavail", (flags & 0x0080) != 0);
        }
        p.bool("dns_flags_z", (flags & 0x0040) != 0);
        if (response || (flags & 0x0020) != 0) {
            p.bool("dns_flags_authenticated", (flags & 0x0020) != 0);
        }
        p.bool("dns_flags_checkdisable", (flags & 0x0010) != 0);
        if (response) {
            p.uint("dns_flags_rcode", flags & 0xf);
        }
    }

    private int sections(Cursor c, Packet p, int base, int end, boolean segmented) {
        int queries = c.u16(base + 4);
        int answers = c.u16(base + 6);
        int auth = c.u16(base + 8);
        int add = c.u16(base + 10);
        p.uint("dns_count_queries", queries);
        p.uint("dns_count_answers", answers);
        p.uint("dns_count_auth_rr", auth);
        p.uint("dns_count_add_rr", add);
        int at = base + 12;
        for (int i = 0; i < queries; i++) {
            int after = skipName(c, at, end);
            if (after < 0 || after + 4 > end) {
                return short_(c, p, end, segmented, "DNS query");
            }
            String name = name(c, p, base, at, end);
            if (name == null) {
                return Dispatch.STOP;
            }
            p.string("dns_qry_name", name);
            p.uint("dns_qry_type", c.u16(after));
            int cls = c.u16(after + 2);
            if (transport == MDNS) {
                p.uint("dns_qry_class", cls & 0x7fff);
                p.bool("dns_qry_qu", (cls & 0x8000) != 0);
            } else {
                p.hex("dns_qry_class", cls, 4);
            }
            at = after + 4;
        }
        long records = (long) answers + auth + add;
        for (long i = 0; i < records; i++) {
            at = record(c, p, base, at, end, segmented);
            if (at < 0) {
                return Dispatch.STOP;
            }
        }
        return Dispatch.STOP;
    }

    /** One resource record at {@code at}; the offset after it, or -1 when the packet ended or is malformed. */
    private int record(Cursor c, Packet p, int base, int at, int end, boolean segmented) {
        int after = skipName(c, at, end);
        if (after < 0 || after + 10 > end) {
            return short_(c, p, end, segmented, "DNS resource record");
        }
        String name = name(c, p, base, at, end);
        if (name == null) {
            return -1;
        }
        int type = c.u16(after);
        int cls = c.u16(after + 2);
        long ttl = c.u32(after + 4);
        int len = c.u16(after + 8);
        int data = after + 10;
        p.string("dns_resp_name", name);
        p.uint("dns_resp_type", type);
        if (type == OPT) {
            // EDNS: the class and TTL fields carry the payload size and extended flags.
            p.uint("dns_rr_udp_payload_size", cls);
            p.hex("dns_resp_ext_rcode", ttl >>> 24, 2);
            p.uint("dns_resp_edns0_version", (ttl >>> 16) & 0xff);
            p.hex("dns_resp_z", ttl & 0xffff, 4);
        } else {
            if (transport == MDNS) {
                p.hex("dns_resp_class", cls & 0x7fff, 4);
                p.bool("dns_resp_cache_flush", (cls & 0x8000) != 0);
            } else {
                p.hex("dns_resp_class", cls, 4);
            }
            p.uint("dns_resp_ttl", ttl);
        }
        p.uint("dns_resp_len", len);
        if (data + len > end) {
            return short_(c, p, end, segmented, "DNS record data");
        }
        int stop = data + len;
        switch (type) {
            case 1 -> {
                if (len == 4) {
                    p.bytes("dns_a", Packet.IPV4, c.pos() + data, 4);
                }
            }
            case 28 -> {
                if (len == 16) {
                    p.bytes("dns_aaaa", Packet.IPV6, c.pos() + data, 16);
                }
            }
            case 2 -> dataName(c, p, base, data, stop, "dns_ns");
            case 5 -> dataName(c, p, base, data, stop, "dns_cname");
            case 12 -> dataName(c, p, base, data, stop, "dns_ptr_domain_name");
            case 15 -> {
                if (len >= 3) {
                    p.uint("dns_mx_preference", c.u16(data));
                    dataName(c, p, base, data + 2, stop, "dns_mx_mail_exchange");
                }
            }
            case 6 -> {
                int mname = skipName(c, data, stop);
                int rname = mname < 0 ? -1 : skipName(c, mname, stop);
                if (rname >= 0) {
                    dataName(c, p, base, data, stop, "dns_soa_mname");
                    dataName(c, p, base, mname, stop, "dns_soa_rname");
                    if (rname + 20 <= stop) {
                        p.uint("dns_soa_serial_number", c.u32(rname));
                        p.uint("dns_soa_minimum_ttl", c.u32(rname + 16));
                    }
                }
            }
            case 33 -> {
                if (len >= 7) {
                    p.uint("dns_srv_priority", c.u16(data));
                    p.uint("dns_srv_weight", c.u16(data + 2));
                    p.uint("dns_srv_port", c.u16(data + 4));
                    dataName(c, p, base, data + 6, stop, "dns_srv_target");
                }
            }
            case 47 -> {
                int next = skipName(c, data, stop);
                if (next >= 0) {
                    dataName(c, p, base, data, stop, "dns_nsec_next_domain_name");
                    typeBitmap(c, p, next, stop);
                }
            }
            case 50 -> {
                if (len >= 5) {
                    int hash = data + 5 + c.u8(data + 4);
                    if (hash < stop) {
                        typeBitmap(c, p, hash + 1 + c.u8(hash), stop);
                    }
                }
            }
            case 16 -> {
                int i = data;
                while (i < stop) {
                    int n = c.u8(i);
                    if (i + 1 + n > stop) {
                        p.malformed("DNS TXT string of " + n + " bytes exceeds its record");
                        break;
                    }
                    p.uint("dns_txt_length", n);
                    p.string("dns_txt", new String(c.data(), c.pos() + i + 1, n, StandardCharsets.UTF_8));
                    i += 1 + n;
                }
            }
            default -> {
            }
        }
        return stop;
    }

    /**
     * The type bitmaps of NSEC and NSEC3 (RFC 4034 4.1.2): Wireshark lists each type present as one more
     * {@code dns.resp.type}, after the record's own.
     */
    private static void typeBitmap(Cursor c, Packet p, int at, int stop) {
        while (at + 2 <= stop) {
            int window = c.u8(at);
            int len = c.u8(at + 1);
            if (len == 0 || len > 32 || at + 2 + len > stop) {
                p.malformed("DNS type bitmap of " + len + " bytes is bad");
                return;
            }
            for (int i = 0; i < len; i++) {
                int bits = c.u8(at + 2 + i);
                for (int b = 0; b < 8; b++) {
                    if ((bits & (0x80 >>> b)) != 0) {
                        p.uint("dns_resp_type", window * 256 + i * 8 + b);
                    }
                }
            }
            at += 2 + len;
        }
    }

    private static void dataName(Cursor c, Packet p, int base, int at, int stop, String key) {
        if (skipName(c, at, stop) < 0) {
            p.malformed("DNS name in " + key + " exceeds its record");
            return;
        }
        String name = name(c, p, base, at, stop);
        if (name != null) {
            p.string(key, name);
        }
    }

    /** The answer when a query or record runs past the message's end: -1 after recording why. */
    private static int short_(Cursor c, Packet p, int end, boolean segmented, String what) {
        if (segmented) {
            return -1;
        }
        if (end < c.remaining() || !c.withinReported(c.remaining() + 1)) {
            p.malformed(what + " exceeds the DNS message");
        } else {
            p.truncated();
        }
        return -1;
    }

    /** The offset after a name written in place (labels up to a terminator or a pointer), or -1 past {@code end}. */
    static int skipName(Cursor c, int at, int end) {
        int i = at;
        while (i < end) {
            int len = c.u8(i);
            if (len == 0) {
                return i + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return i + 2 <= end ? i + 2 : -1;
            }
            i += 1 + (len & 0x3f);
        }
        return -1;
    }

    /**
     * The dotted text of the name at {@code at}, following compression pointers (offsets from {@code base},
     * the message's start) within the message; null, with the packet marked malformed, on a pointer loop
     * or a label outside the message. The root is {@code <Root>}, as Wireshark shows it.
     */
    static String name(Cursor c, Packet p, int base, int at, int end) {
        byte[] out = NAME.get();
        int n = 0;
        int i = at;
        int hops = 0;
        while (true) {
            if (i >= end) {
                p.malformed("DNS name runs past the message");
                return null;
            }
            int len = c.u8(i);
            if (len == 0) {
                break;
            }
            switch (len & 0xc0) {
                case 0xc0 -> {
                    if (i + 1 >= end) {
                        p.malformed("DNS name pointer runs past the message");
                        return null;
                    }
                    if (++hops > MAX_POINTERS) {
                        p.malformed("DNS name compression pointers loop");
                        return null;
                    }
                    i = base + (((len & 0x3f) << 8) | c.u8(i + 1));
                    continue;
                }
                case 0x00 -> {
                    if (i + 1 + len > end) {
                        p.malformed("DNS label runs past the message");
                        return null;
                    }
                    if (n + len + 1 > out.length) {
                        p.malformed("DNS name longer than " + MAX_NAME + " bytes");
                        return null;
                    }
                    if (n > 0) {
                        out[n++] = '.';
                    }
                    System.arraycopy(c.data(), c.pos() + i + 1, out, n, len);
                    n += len;
                    i += 1 + len;
                }
                default -> {
                    p.malformed("DNS label type 0x" + Integer.toHexString(len & 0xc0) + " is not supported");
                    return null;
                }
            }
        }
        return n == 0 ? "<Root>" : new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
