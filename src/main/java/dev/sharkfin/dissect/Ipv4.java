package dev.sharkfin.dissect;

/**
 * IPv4 with options. Fragments are flagged by their fields ({@code ip_flags_mf}, {@code ip_frag_offset})
 * and their payload is not decoded, as Wireshark shows them before reassembly.
 */
public final class Ipv4 implements Decoder {
    private static final Ipv4 DECODER = new Ipv4(false);
    /** Wireshark's "ip" dissector, where its dispatch names IP of either version rather than IPv4 ({@link #ipHandle}). */
    private static final Ipv4 IP = new Ipv4(true);
    public static final Protocol PROTOCOL = Protocol.of("ip", "Internet Protocol version 4")
            .linkType(228, IP)             // LINKTYPE_IPV4
            .ethertype(0x0800, DECODER)
            .ipProtocol(4, IP);            // IP in IP
    /** The "ip" dissector, for a decoder that hands it IP of either version (ICMP's quoted datagram). */
    static final int IP_HANDLE = PROTOCOL.byName(IP);
    public static final Field VERSION = PROTOCOL.number("ip.version", "Version (4)");
    public static final Field HDR_LEN = PROTOCOL.number("ip.hdr_len", "Header length, in bytes");
    public static final Field DSFIELD = PROTOCOL.number("ip.dsfield", "Differentiated services field (DSCP and ECN)");
    public static final Field DSFIELD_DSCP = PROTOCOL.number("ip.dsfield.dscp", "Differentiated services codepoint");
    public static final Field DSFIELD_ECN = PROTOCOL.number("ip.dsfield.ecn", "Explicit congestion notification (3: congestion experienced)");
    public static final Field LEN = PROTOCOL.number("ip.len", "Total length, in bytes");
    public static final Field ID = PROTOCOL.number("ip.id", "Identification").docValuesOnly();
    public static final Field FLAGS = PROTOCOL.number("ip.flags", "Flags (0x2: don't fragment, 0x1: more fragments)");
    public static final Field FLAGS_RB = PROTOCOL.bool("ip.flags.rb", "The reserved flag bit is set");
    public static final Field FLAGS_DF = PROTOCOL.bool("ip.flags.df", "Don't fragment");
    public static final Field FLAGS_MF = PROTOCOL.bool("ip.flags.mf", "More fragments follow");
    public static final Field FRAG_OFFSET = PROTOCOL.number("ip.frag_offset", "Fragment offset, in 8-byte units");
    public static final Field TTL = PROTOCOL.number("ip.ttl", "Time to live");
    public static final Field PROTO = PROTOCOL.number("ip.proto", "Protocol of the payload (6: TCP, 17: UDP, 1: ICMP)");
    public static final Field CHECKSUM = PROTOCOL.number("ip.checksum",
            "Header checksum, as on the wire (not verified)").storedOnly();
    public static final Field CHECKSUM_STATUS = PROTOCOL.number("ip.checksum.status",
            "Checksum status: 2, unverified (as Wireshark with checksum checking off, its default)");
    public static final Field SRC = PROTOCOL.ip("ip.src", "Source address");
    public static final Field ADDR = PROTOCOL.ip("ip.addr", "Source and destination addresses").list();
    public static final Field DST = PROTOCOL.ip("ip.dst", "Destination address");
    public static final Field FRAGMENT_COUNT = PROTOCOL.number("ip.fragment.count",
            "On the frame that completes a fragmented datagram: how many fragments it had");
    public static final Field REASSEMBLED_LENGTH = PROTOCOL.number("ip.reassembled.length",
            "On the frame that completes a fragmented datagram: the reassembled payload's length, in bytes");
    public static final Field OPT_TYPE = PROTOCOL.number("ip.opt.type", "Option type, per option (1: no-operation, 0: end of options)").list();

    /**
     * Whether this is Wireshark's "ip" dissector (dissect_ip: the raw IPv4 link type, IP in IP, ICMP's quoted
     * datagram) rather than its IPv4 one (ethertype 0x0800). The first looks at the version before any field: 6
     * goes to IPv6 at once (listed as ip:ipv6, with no field and no note of its own), another than 4 or 6 is
     * "Bogus IP version" after the version alone.
     */
    private final boolean ipHandle;

    private Ipv4(boolean ipHandle) {
        this.ipHandle = ipHandle;
    }

    /**
     * A header whose version is not 4, as Wireshark's IPv4 dissector shows it: the version alone, "Bogus IPv4
     * version", and the bytes decoded as IPv6 when the version says 6 (ethertype 0x0800 carrying IPv6).
     */
    private static int otherVersion(Cursor c, Packet p) {
        int version = c.u8(0) >>> 4;
        p.uint(VERSION, version);
        p.expert("Bogus IPv4 version");
        return version == 6 ? Dispatch.ethertype(0x86dd) : Dispatch.STOP;
    }

    /** As {@link #otherVersion}, for the "ip" dissector ({@link #ipHandle}). */
    private static int otherIpVersion(Cursor c, Packet p) {
        int version = c.u8(0) >>> 4;
        if (version == 6) {
            p.pass(PROTOCOL.name());
            return Dispatch.ethertype(0x86dd);
        }
        p.layer(PROTOCOL);
        p.uint(VERSION, version);
        p.expert("Bogus IP version");
        return Dispatch.STOP;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        if (ipHandle && c.need(1) && c.u8(0) >>> 4 != 4) {
            return otherIpVersion(c, p);
        }
        p.layer(PROTOCOL);
        if (c.need(1) && c.u8(0) >>> 4 != 4) {
            return otherVersion(c, p);
        }
        if (!c.need(20)) {
            // Wireshark adds the fields whose bytes are there, then stops where they run out.
            return header(c, p, c.remaining()) ? Decoder.missing(c, p, 20, "IPv4 header") : Dispatch.STOP;
        }
        if (!header(c, p, 20)) {
            return Dispatch.STOP;
        }
        int hdrLen = (c.u8(0) & 0x0f) * 4;
        int totalLen = c.u16(2);
        int flagsFrag = c.u16(6);
        int proto = c.u8(9);
        if (totalLen != 0) {
            Ethernet.trailer(c, p, c.pos(), totalLen);
        }
        if (totalLen != 0 && !c.limit(totalLen) && c.reported() < hdrLen) {
            p.malformed("IPv4 header length " + hdrLen + " exceeds the " + c.reported() + " bytes in the frame");
            return Dispatch.STOP;
        }
        ttlExpert(p, c.u8(8), proto, (int) c.u32(16));
        // Wireshark lists no option of a header whose options were not all captured.
        if (!c.need(hdrLen)) {
            return Decoder.missing(c, p, hdrLen, "IPv4 options");
        }
        if (!options(c, p, hdrLen)) {
            return Dispatch.STOP;
        }
        int at = c.pos();
        int id = c.u16(4);
        p.addressLength = 4;
        p.addressData = p.buffer;
        p.srcAddressOffset = at + 12;
        p.dstAddressOffset = at + 16;
        c.skip(hdrLen);
        if ((flagsFrag & 0x3fff) == 0) {
            p.fragmented = false;
            return Dispatch.ipProto(proto);
        }
        // A fragment. Reassembly takes only one it has whole; Wireshark's test is on the header's total length,
        // so one past the frame is not all there either. Of one that cannot be, Wireshark decodes the first
        // (offset 0) as far as it goes, telling the next protocol it is a fragment; the others are data.
        int length = c.reported();
        boolean allThere = totalLen == 0 || totalLen - hdrLen == length && length > 0;
        if (p.inError || !allThere || !c.need(length)) {
            if ((flagsFrag & 0x1fff) != 0) {
                return Dispatch.DATA;
            }
            p.fragmented = true;
            return Dispatch.ipProto(proto);
        }
        return reassemble(c, p, at, id, proto, flagsFrag);
    }

    /** Adds a fragment to its datagram; the frame that completes it decodes the whole. */
    private static int reassemble(Cursor c, Packet p, int at, int id, int proto, int flagsFrag) {
        byte[] whole = p.reassembly.add(p.data, 4, at + 12, at + 16, id, proto,
                (flagsFrag & 0x1fff) * 8, (flagsFrag & 0x2000) != 0, c, c.reported());
        if (whole == null) {
            return Dispatch.DATA; // a fragment that does not complete its datagram: Wireshark's data
        }
        p.reassembly.decodeWhole(whole, p, c, FRAGMENT_COUNT, REASSEMBLED_LENGTH);
        p.fragmented = false;
        return Dispatch.ipProto(proto);
    }

    /**
     * The fixed header's fields in Wireshark's order, as far as the {@code have} captured bytes go (20: all).
     * False where a bogus length ends the dissection: Wireshark notes it (expert information, not a malformed
     * packet) and decodes nothing after it, not even the rest of the header.
     */
    private static boolean header(Cursor c, Packet p, int have) {
        if (have < 1) {
            return true;
        }
        int hdrLen = (c.u8(0) & 0x0f) * 4;
        p.uint(VERSION, c.u8(0) >>> 4);
        p.uint(HDR_LEN, hdrLen);
        if (hdrLen < 20) {
            p.expert("Bogus IP header length (" + hdrLen + ", must be at least 20)");
            return false;
        }
        if (have < 2) {
            return true;
        }
        p.hex(DSFIELD, c.u8(1), 2);
        p.uint(DSFIELD_DSCP, c.u8(1) >>> 2);
        p.uint(DSFIELD_ECN, c.u8(1) & 3);
        if (have < 4) {
            return true;
        }
        int totalLen = c.u16(2);
        // A total length of 0 is what TCP segmentation offload leaves: Wireshark presumes the frame's length, and shows it.
        p.uint(LEN, totalLen == 0 && !p.inError ? c.reported() : totalLen);
        if (totalLen != 0 && totalLen < hdrLen) {
            p.expert(BOGUS_LENGTH);
            return false;
        }
        // Wireshark goes on with the bytes that are there; so do we, and say so. A quoted datagram in an ICMP
        // error is cut short by design.
        if (totalLen > c.reported() && !p.inError) {
            p.expert("IPv4 total length exceeds packet length (" + c.reported() + " bytes)");
        }
        fixedFields(c, p, have);
        return true;
    }

    private static final String BOGUS_LENGTH = "Bogus IP length";

    /** The fields from the identification on, as far as the {@code have} captured bytes go. */
    private static void fixedFields(Cursor c, Packet p, int have) {
        if (have < 6) {
            return;
        }
        p.hex(ID, c.u16(4), 4);
        if (have < 8) {
            return;
        }
        int flagsFrag = c.u16(6);
        p.hex(FLAGS, flagsFrag >>> 13, 2);
        p.bool(FLAGS_RB, (flagsFrag & 0x8000) != 0);
        p.bool(FLAGS_DF, (flagsFrag & 0x4000) != 0);
        p.bool(FLAGS_MF, (flagsFrag & 0x2000) != 0);
        p.uint(FRAG_OFFSET, flagsFrag & 0x1fff); // in 8-byte units, as Wireshark 4.0 shows it
        if (have < 9) {
            return;
        }
        p.uint(TTL, c.u8(8));
        if (have < 10) {
            return;
        }
        p.uint(PROTO, c.u8(9));
        if (have < 12) {
            return;
        }
        p.hex(CHECKSUM, c.u16(10), 4);
        p.uint(CHECKSUM_STATUS, Checksums.UNVERIFIED);
        int at = c.pos();
        if (have >= 16) {
            p.bytes(SRC, Packet.IPV4, at + 12, 4);
            p.bytes(ADDR, Packet.IPV4, at + 12, 4);
        }
        if (have >= 20) {
            p.bytes(DST, Packet.IPV4, at + 16, 4);
            p.bytes(ADDR, Packet.IPV4, at + 16, 4);
        }
    }

    private static final String LNCB_TTL = "\"Time To Live\" != %d for a packet sent to the Local Network Control Block "
            + "(see RFC 3171)";
    private static final int IGMP = 2;
    private static final String LNCB_TTL_1 = LNCB_TTL.formatted(1);
    private static final String LNCB_TTL_255 = LNCB_TTL.formatted(255);
    private static final String[] TTL_ONLY = {"\"Time To Live\" only 0", "\"Time To Live\" only 1",
        "\"Time To Live\" only 2", "\"Time To Live\" only 3", "\"Time To Live\" only 4"};

    /**
     * Wireshark's TTL checks (its expert items under ip.ttl): a packet to the Local Network Control Block
     * (224.0.0.0/24) must have a TTL of 1, or 255 for VRRP (224.0.0.18), GLBP (224.0.0.102) and mDNS
     * (224.0.0.251); LLMNR (224.0.0.252) may have any. IGMP (protocol 2) must have a TTL of 1 to any of them
     * (tshark 4.0 makes no exception for IGMP to those groups: measured). Any other non-multicast packet is
     * noted when its TTL is below 5, unless it is PIM or OSPF.
     */
    private static void ttlExpert(Packet p, int ttl, int proto, int dst) {
        if ((dst & 0xffffff00) == 0xe0000000) {
            int valid = proto == IGMP ? 1
                    : dst == 0xe0000012 || dst == 0xe0000066 || dst == 0xe00000fb ? 255 : dst == 0xe00000fc ? -1 : 1;
            if (valid >= 0 && ttl != valid) {
                p.expert(valid == 1 ? LNCB_TTL_1 : LNCB_TTL_255);
            }
        } else if ((dst & 0xf0000000) != 0xe0000000 && ttl < 5 && proto != 103 && proto != 89) {
            p.expert(TTL_ONLY[ttl]);
        }
    }

    /**
     * The IPv4 options Wireshark 4.0 knows (packet-ip.c): their names, the length their type fixes (0: any), and
     * the bytes its dissector reads at least (an option shorter than that throws: a malformed packet).
     */
    private static final String[] OPT_NAME = new String[256];
    private static final byte[] OPT_FIXED = new byte[256];
    private static final byte[] OPT_READS = new byte[256];

    private static void opt(int type, String name, int fixed, int reads) {
        OPT_NAME[type] = name;
        OPT_FIXED[type] = (byte) fixed;
        OPT_READS[type] = (byte) reads;
    }

    static {
        opt(130, "Security", 0, 3);
        opt(131, "Loose Source Route", 0, 3);
        opt(68, "Time Stamp", 0, 4);
        opt(133, "Extended Security", 0, 3);
        opt(134, "Commercial Security", 0, 6);
        opt(7, "Record Route", 0, 3);
        opt(136, "Stream ID", 4, 4);
        opt(137, "Strict Source Route", 0, 3);
        opt(11, "MTU Probe", 4, 4);
        opt(12, "MTU Reply", 4, 4);
        opt(82, "Traceroute", 12, 12);
        opt(148, "Router Alert", 4, 4);
        opt(149, "Selective Directed Broadcast", 0, 2);
        opt(25, "Quick-Start", 8, 8);
    }

    /**
     * The options, as Wireshark 4.0 walks them. EOL ends them. An option without room for its length byte, or
     * whose length is below 2 or runs past the options, ends them with a warning (expert information, not a
     * malformed packet) and the payload is decoded all the same. Wireshark lists the type of the options it
     * knows ({@code ip.opt.type}), not of a bad one nor of one it does not know ("Unknown (0x..)"); a known one
     * of the wrong length is noted, and malformed where its dissector reads past it. False where the packet is
     * malformed. The options are all captured.
     */
    private static boolean options(Cursor c, Packet p, int hdrLen) {
        int nops = 0;
        for (int i = 20; i < hdrLen; ) {
            int type = c.u8(i);
            if (type == 0 || type == 1) {
                p.uint(OPT_TYPE, type);
                // NOPs "in a row within a uint32", as Wireshark counts them (see Tcp)
                nops = type == 1 && (nops == 0 || i % 4 != 0) ? nops + 1 : 0;
                if (nops == 4) {
                    p.expert(Tcp.NOP_ROW);
                }
                if (type == 0) {
                    return true;
                }
                i++;
                continue;
            }
            nops = 0;
            if (i + 1 >= hdrLen) {
                p.expert(optName(type) + " (length byte past end of options)");
                return true;
            }
            int len = c.u8(i + 1);
            String bytes = len == 1 ? " byte" : " bytes";
            if (len < 2 || len > hdrLen - i) {
                p.expert(optName(type) + (len < 2 ? " (with too-short option length = " + len + bytes + ")"
                        : " (option length = " + len + bytes + " says option goes past end of options)"));
                return true;
            }
            if (OPT_NAME[type] != null && !knownOption(p, type, len)) {
                return false;
            }
            i += len;
        }
        return true;
    }

    /** A known option: its type, and its length checked as its Wireshark dissector does. False: malformed. */
    private static boolean knownOption(Packet p, int type, int len) {
        p.uint(OPT_TYPE, type);
        if (OPT_FIXED[type] != 0 && len != OPT_FIXED[type]) {
            p.expert(OPT_NAME[type] + " (with option length = " + len + " bytes; should be " + OPT_FIXED[type] + ")");
        }
        if (len < OPT_READS[type]) {
            p.malformed("IPv4 option " + OPT_NAME[type] + " of " + len + " bytes is too short for its fields");
            return false;
        }
        return true;
    }

    private static String optName(int type) {
        return OPT_NAME[type] != null ? OPT_NAME[type] : "Unknown (0x%02x)".formatted(type);
    }
}
