package dev.sharkfin.dissect;

import java.nio.charset.StandardCharsets;

/**
 * DNS (RFC 1035) over UDP and TCP, multicast DNS (RFC 6762) and LLMNR (RFC 4795), which Wireshark shows
 * as protocols {@code mdns} and {@code llmnr} with the same {@code dns.*} fields. Every resource record of the answer, authority and
 * additional sections adds the same {@code dns_resp_*} keys, so they become arrays in record order, as
 * tshark lists them. Names are decompressed; compression pointers are followed a bounded number of times,
 * so a pointer loop ends as a malformed packet instead of a hang.
 */
public final class Dns implements Decoder {
    static final int UDP = 0, TCP = 1, MDNS = 2, LLMNR = 3;

    /** Wireshark's dns fields, in a dns, mdns (multicast DNS) or llmnr object. */
    public static final Protocol PROTOCOL = Protocol.of("dns", "Domain Name System").layers("dns", "mdns", "llmnr")
            .udpPort(53, new Dns(UDP))
            .tcpPort(53, new Dns(TCP))
            .udpPort(5353, new Dns(MDNS))
            .udpPort(5355, new Dns(LLMNR))
            .udpHeuristic(1, Dns::looksLikeDns, new Dns(UDP));
    private static final String DNS_LAYER = PROTOCOL.layer("dns");
    private static final String MDNS_LAYER = PROTOCOL.layer("mdns");
    private static final String LLMNR_LAYER = PROTOCOL.layer("llmnr");
    public static final Field LENGTH = PROTOCOL.number("dns.length", "DNS over TCP: the message's length, in bytes");
    public static final Field ID = PROTOCOL.number("dns.id", "Transaction id");
    public static final Field FLAGS = PROTOCOL.number("dns.flags", "Flags, as on the wire");
    public static final Field FLAGS_RESPONSE = PROTOCOL.bool("dns.flags.response", "The message is a response");
    public static final Field FLAGS_OPCODE = PROTOCOL.number("dns.flags.opcode", "Operation code (0: standard query)");
    public static final Field FLAGS_CONFLICT = PROTOCOL.bool("dns.flags.conflict", "LLMNR: several responders answered the query");
    public static final Field FLAGS_TRUNCATED = PROTOCOL.bool("dns.flags.truncated", "The message is truncated");
    public static final Field FLAGS_TENTATIVE = PROTOCOL.bool("dns.flags.tentative", "LLMNR: the responder is authoritative but not yet verified");
    public static final Field FLAGS_RCODE = PROTOCOL.number("dns.flags.rcode", "Responses: reply code (0: no error, 3: no such name)");
    public static final Field FLAGS_AUTHORITATIVE = PROTOCOL.bool("dns.flags.authoritative", "Responses: the server is an authority for the domain");
    public static final Field FLAGS_RECDESIRED = PROTOCOL.bool("dns.flags.recdesired", "Recursion desired");
    public static final Field FLAGS_RECAVAIL = PROTOCOL.bool("dns.flags.recavail", "Responses: the server can do recursive queries");
    public static final Field FLAGS_Z = PROTOCOL.bool("dns.flags.z", "The reserved Z flag");
    public static final Field FLAGS_AUTHENTICATED = PROTOCOL.bool("dns.flags.authenticated", "The answer was authenticated by the server (AD)");
    public static final Field FLAGS_CHECKDISABLE = PROTOCOL.bool("dns.flags.checkdisable", "Non-authenticated data is acceptable (CD)");
    public static final Field COUNT_QUERIES = PROTOCOL.number("dns.count.queries", "Number of questions");
    public static final Field COUNT_ANSWERS = PROTOCOL.number("dns.count.answers", "Number of answers");
    public static final Field COUNT_AUTH_RR = PROTOCOL.number("dns.count.auth_rr", "Number of authority records");
    public static final Field COUNT_ADD_RR = PROTOCOL.number("dns.count.add_rr", "Number of additional records");
    public static final Field QRY_NAME = PROTOCOL.keyword("dns.qry.name", "Question: the name asked about, per question").list();
    public static final Field QRY_NAME_LEN = PROTOCOL.number("dns.qry.name.len", "Question: length of the name asked about, per question").list();
    public static final Field COUNT_LABELS = PROTOCOL.number("dns.count.labels", "Question: number of labels of the name, per question").list();
    public static final Field QRY_TYPE = PROTOCOL.number("dns.qry.type", "Question: record type (1: A, 28: AAAA, 5: CNAME), per question").list();
    public static final Field QRY_CLASS = PROTOCOL.number("dns.qry.class", "Question: class (1: IN), per question").list();
    public static final Field QRY_QU = PROTOCOL.bool("dns.qry.qu", "mDNS question: a unicast response is wanted, per question").list();
    public static final Field RESP_NAME = PROTOCOL.keyword("dns.resp.name", "Record: owner name, per record in wire order").list();
    public static final Field RESP_TYPE = PROTOCOL.number("dns.resp.type",
            "Record: type, per record (and per type an NSEC or NSEC3 bitmap lists, after the record's own)").list();
    public static final Field RR_UDP_PAYLOAD_SIZE = PROTOCOL.number("dns.rr.udp_payload_size", "EDNS (OPT record): the sender's UDP payload size").list();
    public static final Field RESP_EXT_RCODE = PROTOCOL.number("dns.resp.ext_rcode", "EDNS (OPT record): the extended reply code's higher bits").list();
    public static final Field RESP_EDNS0_VERSION = PROTOCOL.number("dns.resp.edns0_version", "EDNS (OPT record): version").list();
    public static final Field RESP_Z = PROTOCOL.number("dns.resp.z", "EDNS (OPT record): extended flags").list();
    public static final Field RESP_Z_DO = PROTOCOL.bool("dns.resp.z.do", "EDNS (OPT record): DNSSEC OK, the sender can handle DNSSEC records").list();
    public static final Field RESP_CLASS = PROTOCOL.number("dns.resp.class", "Record: class (1: IN), per record").list();
    public static final Field RESP_CACHE_FLUSH = PROTOCOL.bool("dns.resp.cache_flush", "mDNS record: cache flush (the class's top bit), per record, OPT records included").list();
    public static final Field RESP_TTL = PROTOCOL.number("dns.resp.ttl", "Record: time to live, in seconds, per record").list();
    public static final Field RESP_LEN = PROTOCOL.number("dns.resp.len", "Record: data length, per record").list();
    public static final Field A = PROTOCOL.ip("dns.a", "A record: IPv4 address").list();
    public static final Field AAAA = PROTOCOL.ip("dns.aaaa", "AAAA record: IPv6 address").list();
    public static final Field NS = PROTOCOL.keyword("dns.ns", "NS record: name server").list();
    public static final Field CNAME = PROTOCOL.keyword("dns.cname", "CNAME record: canonical name").list();
    public static final Field PTR_DOMAIN_NAME = PROTOCOL.keyword("dns.ptr.domain_name", "PTR record: domain name").list();
    public static final Field MX_PREFERENCE = PROTOCOL.number("dns.mx.preference", "MX record: preference").list();
    public static final Field MX_MAIL_EXCHANGE = PROTOCOL.keyword("dns.mx.mail_exchange", "MX record: mail exchange").list();
    public static final Field SOA_MNAME = PROTOCOL.keyword("dns.soa.mname", "SOA record: primary name server").list();
    public static final Field SOA_RNAME = PROTOCOL.keyword("dns.soa.rname", "SOA record: responsible authority's mailbox").list();
    public static final Field SOA_SERIAL_NUMBER = PROTOCOL.number("dns.soa.serial_number", "SOA record: serial number").list();
    public static final Field SOA_REFRESH_INTERVAL = PROTOCOL.number("dns.soa.refresh_interval", "SOA record: refresh interval, in seconds").list();
    public static final Field SOA_RETRY_INTERVAL = PROTOCOL.number("dns.soa.retry_interval", "SOA record: retry interval, in seconds").list();
    public static final Field SOA_EXPIRE_LIMIT = PROTOCOL.number("dns.soa.expire_limit", "SOA record: expire limit, in seconds").list();
    public static final Field SOA_MINIMUM_TTL = PROTOCOL.number("dns.soa.minimum_ttl", "SOA record: minimum TTL").list();
    public static final Field SRV_PRIORITY = PROTOCOL.number("dns.srv.priority", "SRV record: priority").list();
    public static final Field SRV_WEIGHT = PROTOCOL.number("dns.srv.weight", "SRV record: weight").list();
    public static final Field SRV_PORT = PROTOCOL.number("dns.srv.port", "SRV record: port").list();
    public static final Field SRV_TARGET = PROTOCOL.keyword("dns.srv.target", "SRV record: target").list();
    public static final Field NSEC_NEXT_DOMAIN_NAME = PROTOCOL.keyword("dns.nsec.next_domain_name", "NSEC record: next domain name").list();
    public static final Field TXT_LENGTH = PROTOCOL.number("dns.txt.length", "TXT record: length of each string").list();
    public static final Field TXT = PROTOCOL.text("dns.txt", "TXT record: each string").list();
    // Request/response matching, written after dissection by tcp.Transactions (Wireshark's per-conversation table).
    public static final Field RESPONSE_TO = PROTOCOL.number("dns.response_to",
            "Responses: the frame of the query answered (same id and conversation; see dns_time)");
    public static final Field TIME = PROTOCOL.seconds("dns.time", "Responses: seconds since the query answered");
    public static final Field RETRANSMISSION = PROTOCOL.bool("dns.retransmission",
            "A query repeated within 5 s before any response, or a second response to the same query");
    public static final Field RETRANSMIT_REQUEST_IN = PROTOCOL.number("dns.retransmit_request_in",
            "Retransmitted query: the frame of the original query");
    public static final Field RETRANSMIT_RESPONSE_IN = PROTOCOL.number("dns.retransmit_response_in",
            "Retransmitted response: the frame of the original response");

    /** Wireshark follows up to 255 compression pointers in a name (MAX_DNAME_LEN); one more names a loop. */
    private static final int MAX_POINTERS = 255;
    static final String LOOPS = "<Name contains a pointer that loops>";
    /**
     * The longest name text Wireshark shows: it assembles a name in a buffer of 255 bytes (MAX_DNAME_LEN) that keeps
     * one for the terminator and, from the first label on, one more; a name of 254 characters or more (dots counted)
     * reads to its end all the same, and shows as {@value #TOO_LONG}.
     */
    static final int MAX_TEXT = 253;
    static final String TOO_LONG = "<Name too long>";
    private static final int OPT = 41;
    /** The name being assembled, per thread (decoders are shared); only the finished String is allocated. */
    private static final ThreadLocal<Scratch> NAME = ThreadLocal.withInitial(Scratch::new);

    /** A name's bytes as assembled, and the length Wireshark counts for the last name read (its name_len). */
    private static final class Scratch {
        final byte[] out = new byte[MAX_TEXT];
        int length;
    }

    private final int transport;

    Dns(int transport) {
        this.transport = transport;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(transport == MDNS ? MDNS_LAYER : transport == LLMNR ? LLMNR_LAYER : DNS_LAYER);
        int base = 0;
        if (transport == TCP) {
            if (!c.need(2)) {
                return Decoder.missing(c, p, 2, "DNS length");
            }
            p.uint(LENGTH, c.u16(0));
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
            partialHeader(c, p, base);
            return Decoder.missing(c, p, base + 12, "DNS header");
        }
        p.hex(ID, c.u16(base), 4);
        flags(p, c.u16(base + 2));
        return sections(c, p, base, end, segmented);
    }

    /** The flags word and its items: the response bit and opcode, then the transport's own bits. */
    private void flags(Packet p, int flags) {
        boolean response = (flags & 0x8000) != 0;
        p.hex(FLAGS, flags, 4);
        p.bool(FLAGS_RESPONSE, response);
        p.uint(FLAGS_OPCODE, (flags >>> 11) & 0xf);
        if (transport == LLMNR) {
            llmnrFlags(p, flags, response);
        } else {
            classicFlags(p, flags, response);
        }
    }

    /**
     * A header cut short: Wireshark reads the id and the flags before it adds any item, then adds the counts one by one
     * until a read fails, so fewer than 4 bytes show nothing; else the id, the flags (with their items, as for a whole
     * header) and the counts that are there.
     */
    private void partialHeader(Cursor c, Packet p, int base) {
        if (!c.need(base + 4)) {
            return;
        }
        p.hex(ID, c.u16(base), 4);
        flags(p, c.u16(base + 2));
        for (int i = 0; i < COUNTS.length && c.need(base + 6 + 2 * i); i++) {
            p.uint(COUNTS[i], c.u16(base + 4 + 2 * i));
        }
    }

    /** The counts a header cut short can hold (the fourth, the additional records', ends the header). */
    private static final Field[] COUNTS = {COUNT_QUERIES, COUNT_ANSWERS, COUNT_AUTH_RR};

    private static void llmnrFlags(Packet p, int flags, boolean response) {
        // LLMNR's own flags (RFC 4795 2.1.1) in place of AA, RD and RA.
        p.bool(FLAGS_CONFLICT, (flags & 0x0400) != 0);
        p.bool(FLAGS_TRUNCATED, (flags & 0x0200) != 0);
        p.bool(FLAGS_TENTATIVE, (flags & 0x0100) != 0);
        if (response) {
            p.uint(FLAGS_RCODE, flags & 0xf);
        }
    }

    private static void classicFlags(Packet p, int flags, boolean response) {
        // Wireshark shows the answer-only flags (authoritative, recursion available, rcode) on responses only.
        if (response) {
            p.bool(FLAGS_AUTHORITATIVE, (flags & 0x0400) != 0);
        }
        p.bool(FLAGS_TRUNCATED, (flags & 0x0200) != 0);
        p.bool(FLAGS_RECDESIRED, (flags & 0x0100) != 0);
        if (response) {
            p.bool(FLAGS_RECAVAIL, (flags & 0x0080) != 0);
        }
        p.bool(FLAGS_Z, (flags & 0x0040) != 0);
        if (response || (flags & 0x0020) != 0) {
            p.bool(FLAGS_AUTHENTICATED, (flags & 0x0020) != 0);
        }
        p.bool(FLAGS_CHECKDISABLE, (flags & 0x0010) != 0);
        if (response) {
            p.uint(FLAGS_RCODE, flags & 0xf);
        }
    }

    private int sections(Cursor c, Packet p, int base, int end, boolean segmented) {
        int queries = c.u16(base + 4);
        int answers = c.u16(base + 6);
        int auth = c.u16(base + 8);
        int add = c.u16(base + 10);
        p.uint(COUNT_QUERIES, queries);
        p.uint(COUNT_ANSWERS, answers);
        p.uint(COUNT_AUTH_RR, auth);
        p.uint(COUNT_ADD_RR, add);
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
            int raw = NAME.get().length;
            p.string(QRY_NAME, name);
            p.uint(QRY_NAME_LEN, raw > 1 ? raw : 0);
            p.uint(COUNT_LABELS, labels(name, raw));
            p.uint(QRY_TYPE, c.u16(after));
            int cls = c.u16(after + 2);
            if (transport == MDNS) {
                p.uint(QRY_CLASS, cls & 0x7fff);
                p.bool(QRY_QU, (cls & 0x8000) != 0);
            } else {
                p.hex(QRY_CLASS, cls, 4);
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
        // Bytes after the counted sections, as far as the message goes (its length prefix over TCP, else the
        // datagram's reported length, captured or not): Wireshark's note.
        if (!segmented && at < (transport == TCP ? base + c.u16(0) : c.reported())) {
            p.expert(EXTRANEOUS);
        }
        return Dispatch.STOP;
    }

    static final String EXTRANEOUS = "Extraneous data";

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
        p.string(RESP_NAME, name);
        p.uint(RESP_TYPE, type);
        if (type == OPT) {
            // EDNS: the class and TTL fields carry the payload size and extended flags. In mDNS, the class's top
            // bit is the cache-flush bit for every record, OPT included (Wireshark masks it off the payload size).
            if (transport == MDNS) {
                p.uint(RR_UDP_PAYLOAD_SIZE, cls & 0x7fff);
                p.bool(RESP_CACHE_FLUSH, (cls & 0x8000) != 0);
            } else {
                p.uint(RR_UDP_PAYLOAD_SIZE, cls);
            }
            p.hex(RESP_EXT_RCODE, ttl >>> 24, 2);
            p.uint(RESP_EDNS0_VERSION, (ttl >>> 16) & 0xff);
            p.hex(RESP_Z, ttl & 0xffff, 4);
            p.bool(RESP_Z_DO, (ttl & 0x8000) != 0);
        } else {
            if (transport == MDNS) {
                p.hex(RESP_CLASS, cls & 0x7fff, 4);
                p.bool(RESP_CACHE_FLUSH, (cls & 0x8000) != 0);
            } else {
                p.hex(RESP_CLASS, cls, 4);
            }
            p.uint(RESP_TTL, ttl);
        }
        p.uint(RESP_LEN, len);
        if (data + len > end) {
            return short_(c, p, end, segmented, "DNS record data");
        }
        if (len > 0 && !implemented(type)) {
            // Wireshark's note for a type with data its record switch has no case for (once the data is there).
            p.expert("Dissector for DNS Type (" + type + ") code not implemented, Contact Wireshark developers if you want this supported");
        }
        int stop = data + len;
        switch (type) {
            case 1 -> {
                if (len == 4) {
                    p.bytes(A, Packet.IPV4, c.pos() + data, 4);
                }
            }
            case 28 -> {
                if (len == 16) {
                    p.bytes(AAAA, Packet.IPV6, c.pos() + data, 16);
                }
            }
            case 2 -> dataName(c, p, base, data, stop, NS);
            case 5 -> dataName(c, p, base, data, stop, CNAME);
            case 12 -> dataName(c, p, base, data, stop, PTR_DOMAIN_NAME);
            case 15 -> {
                if (len >= 3) {
                    p.uint(MX_PREFERENCE, c.u16(data));
                    dataName(c, p, base, data + 2, stop, MX_MAIL_EXCHANGE);
                }
            }
            case 6 -> {
                int mname = skipName(c, data, stop);
                int rname = mname < 0 ? -1 : skipName(c, mname, stop);
                if (rname >= 0) {
                    dataName(c, p, base, data, stop, SOA_MNAME);
                    dataName(c, p, base, mname, stop, SOA_RNAME);
                    if (rname + 20 <= stop) {
                        p.uint(SOA_SERIAL_NUMBER, c.u32(rname));
                        p.uint(SOA_REFRESH_INTERVAL, c.u32(rname + 4));
                        p.uint(SOA_RETRY_INTERVAL, c.u32(rname + 8));
                        p.uint(SOA_EXPIRE_LIMIT, c.u32(rname + 12));
                        p.uint(SOA_MINIMUM_TTL, c.u32(rname + 16));
                    }
                }
            }
            case 33 -> {
                if (len >= 7) {
                    p.uint(SRV_PRIORITY, c.u16(data));
                    p.uint(SRV_WEIGHT, c.u16(data + 2));
                    p.uint(SRV_PORT, c.u16(data + 4));
                    dataName(c, p, base, data + 6, stop, SRV_TARGET);
                }
            }
            case 47 -> {
                int next = skipName(c, data, stop);
                if (next >= 0) {
                    dataName(c, p, base, data, stop, NSEC_NEXT_DOMAIN_NAME);
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
                    p.uint(TXT_LENGTH, n);
                    p.string(TXT, new String(c.data(), c.pos() + i + 1, n, StandardCharsets.UTF_8));
                    i += 1 + n;
                }
            }
            default -> {
            }
        }
        return stop;
    }

    /**
     * The record types Wireshark 4.0's DNS dissector decodes (its answer switch's cases), as ranges of first and
     * last type: any other type with data gets its "not implemented" note.
     */
    private static final int[] IMPLEMENTED = {1, 30, 33, 33, 35, 39, 41, 52, 55, 55, 59, 65, 99, 99, 104, 109, 249, 250,
        257, 257, 32769, 32769, 65281, 65282, 65422, 65422};

    static boolean implemented(int type) {
        for (int i = 0; i < IMPLEMENTED.length; i += 2) {
            if (type >= IMPLEMENTED[i] && type <= IMPLEMENTED[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wireshark's DNS heuristic on UDP, for a datagram no port claims (DNS on 8053, say): more than a header, a
     * standard query (opcode 0); a query asks one question and has no answer or authority records, a response
     * at most one question, 100 answers and 10 authority records; at most 10 additional records. Whether the
     * records fit is not asked (as tshark 4.0 shows: 64 answers in 60 bytes are DNS, found malformed).
     */
    static boolean looksLikeDns(Cursor c) {
        if (c.reported() <= 12 || !c.need(12) || (c.u16(2) & 0x7800) != 0) {
            return false;
        }
        int quest = c.u16(4), ans = c.u16(6), auth = c.u16(8), add = c.u16(10);
        boolean counts = (c.u16(2) & 0x8000) == 0 ? quest == 1 && ans == 0 && auth == 0 : quest <= 1 && ans <= 100 && auth <= 10;
        return counts && add <= 10;
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
                        p.uint(RESP_TYPE, window * 256 + i * 8 + b);
                    }
                }
            }
            at += 2 + len;
        }
    }

    private static void dataName(Cursor c, Packet p, int base, int at, int stop, Field key) {
        if (skipName(c, at, stop) < 0) {
            p.malformed("DNS name in " + key.key() + " exceeds its record");
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

    /** Wireshark's label count of a name as shown: its dots plus one, 0 for a name of one character or none. */
    static int labels(String name) {
        return labels(name, name.length());
    }

    /**
     * The label count of a name of {@code raw} bytes as read (Wireshark counts on the bytes, before it escapes
     * them for display): the shown name's dots plus one (an escape holds no dot), 0 for a name of one byte or none.
     */
    static int labels(String name, int raw) {
        if (raw <= 1) {
            return 0;
        }
        int dots = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.') {
                dots++;
            }
        }
        return dots + 1;
    }

    /**
     * The dotted text of the name at {@code at}, following compression pointers (offsets from {@code base},
     * the message's start, forward ones too) within the message; null, with the packet marked malformed, on a
     * label outside the message; {@value #LOOPS} when the pointers loop (a packet that is not malformed). As Wireshark shows it: the root is {@code <Root>}, a name of
     * more than {@value #MAX_TEXT} characters {@value #TOO_LONG} (read to its end all the same), and bytes that
     * are not printable are escaped ({@link #escaped}). The length Wireshark counts is left in the scratch.
     */
    static String name(Cursor c, Packet p, int base, int at, int end) {
        Scratch scratch = NAME.get();
        byte[] out = scratch.out;
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
                    int target = base + (((len & 0x3f) << 8) | c.u8(i + 1));
                    // Wireshark's loop test: past the pointers it follows, or a pointer to 2 bytes past its own
                    // end (its check for a pointer to itself, as written); no exception, the name says so.
                    if (++hops > MAX_POINTERS || target == i + 4) {
                        scratch.length = LOOPS.length();
                        return LOOPS;
                    }
                    i = target;
                    continue;
                }
                case 0x00 -> {
                    if (i + 1 + len > end) {
                        p.malformed("DNS label runs past the message");
                        return null;
                    }
                    if (n > 0 && n < out.length) {
                        out[n] = '.';
                    }
                    n += n > 0 ? 1 : 0;
                    if (n < out.length) {
                        System.arraycopy(c.data(), c.pos() + i + 1, out, n, Math.min(len, out.length - n));
                    }
                    n += len;
                    i += 1 + len;
                }
                default -> {
                    p.malformed("DNS label type 0x" + Integer.toHexString(len & 0xc0) + " is not supported");
                    return null;
                }
            }
        }
        String name = n == 0 ? "<Root>" : n > MAX_TEXT ? TOO_LONG : escaped(out, n);
        scratch.length = n == 0 || n > MAX_TEXT ? name.length() : n;
        return name;
    }

    /**
     * The name's bytes as Wireshark shows them (format_text): UTF-8, a byte that does not decode as the
     * replacement character, and each ASCII control character escaped: {@code \a \b \f \n \r \t \v}, else
     * a backslash and three octal digits ({@code \000}). The escaping is built only for a name that needs it.
     */
    static String escaped(byte[] b, int n) {
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        if (!needsEscape(b, n)) {
            return s;
        }
        StringBuilder e = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch != 0x7f) {
                e.append(ch);
                continue;
            }
            int k = "\u0007\b\f\n\r\t\u000b".indexOf(ch);
            if (k >= 0) {
                e.append('\\').append("abfnrtv".charAt(k));
            } else {
                e.append('\\').append((char) ('0' + (ch >> 6))).append((char) ('0' + ((ch >> 3) & 7))).append((char) ('0' + (ch & 7)));
            }
        }
        return e.toString();
    }

    private static boolean needsEscape(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if ((b[i] & 0xff) < 0x20 || b[i] == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
