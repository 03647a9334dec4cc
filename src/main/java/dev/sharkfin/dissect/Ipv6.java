package dev.sharkfin.dissect;

/**
 * IPv6 and its extension headers (hop-by-hop, routing, fragment, destination options), flattened into
 * the ipv6 object as Wireshark's field names have it. Fragments are flagged and not decoded further.
 */
public final class Ipv6 implements Decoder {
    private static final Ipv6 DECODER = new Ipv6();
    public static final Protocol PROTOCOL = Protocol.of("ipv6", "Internet Protocol version 6")
            .linkType(229, DECODER)        // LINKTYPE_IPV6
            .ethertype(0x86dd, DECODER)
            .ipProtocol(41, DECODER);      // IPv6 in IP
    public static final Field VERSION = PROTOCOL.number("ipv6.version", "Version (6)");
    public static final Field TCLASS = PROTOCOL.number("ipv6.tclass", "Traffic class (DSCP and ECN)");
    public static final Field TCLASS_DSCP = PROTOCOL.number("ipv6.tclass.dscp", "Differentiated services codepoint");
    public static final Field TCLASS_ECN = PROTOCOL.number("ipv6.tclass.ecn", "Explicit congestion notification (3: congestion experienced)");
    public static final Field FLOW = PROTOCOL.number("ipv6.flow", "Flow label");
    public static final Field PLEN = PROTOCOL.number("ipv6.plen", "Payload length, in bytes");
    public static final Field NXT = PROTOCOL.number("ipv6.nxt", "Next header (6: TCP, 17: UDP, 58: ICMPv6, 44: fragment)");
    public static final Field HLIM = PROTOCOL.number("ipv6.hlim", "Hop limit");
    public static final Field SRC = PROTOCOL.ip("ipv6.src", "Source address");
    public static final Field ADDR = PROTOCOL.ip("ipv6.addr", "Source and destination addresses").list();
    public static final Field DST = PROTOCOL.ip("ipv6.dst", "Destination address");
    public static final Field HOPOPTS_NXT = PROTOCOL.number("ipv6.hopopts.nxt", "Hop-by-hop options header: next header");
    public static final Field ROUTING_NXT = PROTOCOL.number("ipv6.routing.nxt", "Routing header: next header");
    public static final Field DSTOPTS_NXT = PROTOCOL.number("ipv6.dstopts.nxt", "Destination options header: next header");
    public static final Field ROUTING_TYPE = PROTOCOL.number("ipv6.routing.type", "Routing header: routing type");
    public static final Field ROUTING_SEGLEFT = PROTOCOL.number("ipv6.routing.segleft", "Routing header: segments left");
    public static final Field FRAGHDR_NXT = PROTOCOL.number("ipv6.fraghdr.nxt", "Fragment header: next header");
    public static final Field FRAGHDR_OFFSET = PROTOCOL.number("ipv6.fraghdr.offset", "Fragment header: offset, in 8-byte units");
    public static final Field FRAGHDR_MORE = PROTOCOL.bool("ipv6.fraghdr.more", "Fragment header: more fragments follow");
    public static final Field FRAGHDR_IDENT = PROTOCOL.number("ipv6.fraghdr.ident", "Fragment header: identification");
    public static final Field FRAGMENT_COUNT = PROTOCOL.number("ipv6.fragment.count",
            "On the frame that completes a fragmented datagram: how many fragments it had");
    public static final Field REASSEMBLED_LENGTH = PROTOCOL.number("ipv6.reassembled.length",
            "On the frame that completes a fragmented datagram: the reassembled payload's length, in bytes");

    private static final int MAX_EXTENSIONS = 16;
    /** Wireshark lists each extension header as a protocol of its own in frame.protocols (ipv6:ipv6.fraghdr:...). */
    static final String ROUTING_DEPRECATED = "Routing header type is deprecated";
    private static final int PMTU = 0x30;
    private static final int CALIPSO = 0x07;
    private static final String HOPOPTS = "ipv6.hopopts", ROUTING = "ipv6.routing", DSTOPTS = "ipv6.dstopts",
            FRAGHDR = "ipv6.fraghdr";

    /**
     * Wireshark's rule for a payload length of 0: a jumbogram's (RFC 2675) when the hop-by-hop header holds a Jumbo
     * Payload option, whose length then stands; otherwise an empty payload, so that the next header is cut
     * (malformed) where Wireshark's is, and a TSO frame's bytes are left to the link layer's trailer.
     */
    private static void zeroPayloadLength(Cursor c, Packet p, int next) {
        long jumbo = next == 0 ? jumboLength(c) : -1;
        if (jumbo < 0 && c.reported() == 0) {
            return; // nothing after the header (a Teredo bubble): a length of 0 is right, and Wireshark says nothing
        }
        if (jumbo < 0) {
            Ethernet.trailer(c, p, c.pos() - 40, 40); // Wireshark takes the length as 0: the rest is a trailer
            p.expert(next == 0 ? "IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing"
                    : "IPv6 payload length equals 0 (maybe because of \"TCP segmentation offload\" (TSO))");
            c.limit(0);
        } else if (jumbo > Integer.MAX_VALUE || !c.limit((int) jumbo)) {
            p.expert("IPv6 payload length exceeds framing length (" + c.reported() + " bytes)");
        }
    }

    /** The Jumbo Payload option's length in the hop-by-hop header at the cursor, -1 when there is none (or not all captured). */
    private static long jumboLength(Cursor c) {
        if (!c.need(2)) {
            return -1;
        }
        int end = Math.min((c.u8(1) + 1) * 8, c.remaining());
        int i = 2;
        while (i < end) {
            int type = c.u8(i);
            if (type == 0) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return -1;
            }
            int len = c.u8(i + 1);
            if (type == 0xc2 && len == 4 && i + 6 <= end) {
                return c.u32(i + 2);
            }
            i += 2 + len;
        }
        return -1;
    }

    /**
     * The header's fields up to the destination address, each as far as the bytes go: Wireshark shows a header
     * cut short field by field before it stops.
     */
    private static void partialHeader(Cursor c, Packet p) {
        if (!c.need(4)) {
            return;
        }
        long first = c.u32(0);
        p.uint(VERSION, first >>> 28);
        p.hex(TCLASS, (first >>> 20) & 0xff, 2);
        p.uint(TCLASS_DSCP, (first >>> 22) & 0x3f);
        p.uint(TCLASS_ECN, (first >>> 20) & 3);
        p.hex(FLOW, first & 0xfffff, 5);
        if (c.need(6)) {
            p.uint(PLEN, c.u16(4));
        }
        if (c.need(7)) {
            p.uint(NXT, c.u8(6));
        }
        if (c.need(8)) {
            p.uint(HLIM, c.u8(7));
        }
        if (c.need(24)) {
            p.bytes(SRC, Packet.IPV6, c.pos() + 8, 16);
            p.bytes(ADDR, Packet.IPV6, c.pos() + 8, 16);
        }
    }

    static final String OPTION_UNKNOWN = "Unknown Data (not interpreted)";

    /**
     * Whether Wireshark 4.0 decodes an option type (or shows it as experimental), rather than noting its data as
     * {@link #OPTION_UNKNOWN}: as tshark 4.0.17 answers for every type, padding, tunnel encapsulation limit, router
     * alert, CALIPSO, SMF, PDM, quick-start, PMTU and its reply, 0x41, RPL, MPL, ILNP, line id, jumbo payload, home
     * address, DFF, and RFC 4727's experimental types (the low five bits 0x1e). The data a known option leaves
     * unread, Wireshark's other source of the note, is not told apart.
     */
    private static boolean knownOption(int type) {
        return switch (type) {
            case 0x00, 0x01, 0x04, 0x05, 0x07, 0x08, 0x0f, 0x26, 0x30, 0x31, 0x41, 0x63, 0x6d, 0x8b, 0x8c, 0xc2, 0xc9,
                    0xee -> true;
            default -> (type & 0x1f) == 0x1e;
        };
    }

    /**
     * Where the first option of the hop-by-hop or destination options header at the cursor ends past the captured
     * bytes, or -1: Wireshark's item for an option spans its length, so one whose length runs past what was captured
     * ends the dissection there (truncated, or malformed past the frame), while one that runs only into the next
     * header's bytes does not. On the way, Wireshark's checks of the Minimum Path MTU and CALIPSO options.
     */
    private static int optionPastTheFrame(Cursor c, Packet p, int len) {
        int i = 2;
        while (i < len) {
            if (c.u8(i) == 0) {
                i++; // Pad1
                continue;
            }
            if (!c.need(i + 2)) {
                return i + 2;
            }
            if (c.u8(i) == PMTU && c.u8(i + 1) != 4) {
                // RFC 9268's Minimum Path MTU option has 4 bytes of data: Wireshark's error (malformed group), then on.
                p.malformedExpert("PMTU Option: Invalid Length (" + c.u8(i + 1) + " bytes)");
            }
            int past = c.u8(i) == CALIPSO ? calipso(c, p, i) : -1;
            if (past >= 0) {
                return past;
            }
            int end = i + 2 + c.u8(i + 1);
            if (!c.need(end)) {
                return end;
            }
            if (!knownOption(c.u8(i))) {
                p.expert(OPTION_UNKNOWN); // Wireshark's note on an option it cannot decode, even an empty one
            }
            i = end;
        }
        return -1;
    }

    /**
     * A type 0 routing header with segments left: Wireshark takes its last address as the packet's destination
     * (pinfo->dst), which the next header's pseudo-header checksum (ICMPv6's, UDP's, TCP's) is then computed with.
     */
    private static void finalDestination(Cursor c, Packet p) {
        int addresses = c.u8(1) / 2;
        if (c.u8(3) > 0 && addresses > 0) {
            p.addressData = p.buffer;
            p.dstAddressOffset = c.pos() + 8 + (addresses - 1) * 16;
        }
    }

    /**
     * RFC 5570's CALIPSO option at {@code i}, as Wireshark reads it: shorter than its 8 fixed bytes is its
     * malformed-group error, and it reads those 8 bytes and the compartment bitmap (4 bytes per unit of the
     * compartment length) wherever the option ends. Where those bytes run past the captured ones, or -1.
     */
    private static int calipso(Cursor c, Packet p, int i) {
        int length = c.u8(i + 1);
        if (length < 8) {
            p.malformedExpert("CALIPSO: Invalid Length (" + length + " bytes)");
        }
        if (!c.need(i + 10)) {
            return i + 10;
        }
        int end = i + 10 + c.u8(i + 6) * 4;
        return c.need(end) ? -1 : end;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        int layer = p.layer(PROTOCOL);
        if (c.need(1) && c.u8(0) >>> 4 != 6) {
            // As Wireshark: the version alone, and "Bogus IPv6 version", an error of its malformed group. Its
            // dissector then declines the packet: not listed in frame.protocols, and the bytes are the data of
            // whoever called it (an ethertype, IP), or nothing at all as the link type's (layer 1, after frame).
            p.uint(VERSION, c.u8(0) >>> 4);
            p.malformedExpert("Bogus IPv6 version"); // no exception: no "Malformed Packet" item after it
            p.unlisted(layer);
            return layer == 1 ? Dispatch.STOP : Dispatch.DATA;
        }
        if (!c.need(40)) {
            if (!c.withinReported(40)) {
                // Fewer than 40 bytes in the packet (not merely captured): Wireshark's malformed-group error on the
                // version, then the fields that are there, then its exception.
                p.malformedExpert("IPv6 header must be exactly 40 bytes");
            }
            partialHeader(c, p);
            return Decoder.missing(c, p, 40, "IPv6 header");
        }
        int plen = c.u16(4);
        int next = c.u8(6);
        partialHeader(c, p);
        int at = c.pos();
        p.bytes(DST, Packet.IPV6, at + 24, 16);
        p.bytes(ADDR, Packet.IPV6, at + 24, 16);
        p.addressLength = 16;
        p.addressData = p.buffer;
        p.srcAddressOffset = at + 8;
        p.dstAddressOffset = at + 24;
        if (plen != 0) {
            Ethernet.trailer(c, p, at, 40 + plen);
        }
        c.skip(40);
        if (plen == 0 && !p.inError) {
            zeroPayloadLength(c, p, next);
        } else if (!c.limit(plen) && !p.inError) {
            p.expert("IPv6 payload length exceeds framing length (" + c.reported() + " bytes)");
        }
        for (int n = 0; n < MAX_EXTENSIONS; n++) {
            switch (next) {
                case 0, 43, 60 -> {
                    String prefix = next == 0 ? "hopopts" : next == 43 ? "routing" : "dstopts";
                    p.pass(next == 0 ? HOPOPTS : next == 43 ? ROUTING : DSTOPTS);
                    // Field by field, as Wireshark: a header cut short still shows the fields that are there.
                    if (c.need(1)) {
                        p.uint(switch (next) {
                            case 0 -> HOPOPTS_NXT;
                            case 43 -> ROUTING_NXT;
                            default -> DSTOPTS_NXT;
                        }, c.u8(0));
                    }
                    if (next == 43 && c.need(4)) {
                        p.uint(ROUTING_TYPE, c.u8(2));
                        p.uint(ROUTING_SEGLEFT, c.u8(3));
                    }
                    if (!c.need(8)) {
                        return Decoder.missing(c, p, 8, "IPv6 " + prefix + " header");
                    }
                    int len = (c.u8(1) + 1) * 8;
                    if (!c.need(len)) {
                        return Decoder.missing(c, p, len, "IPv6 " + prefix + " header");
                    }
                    if (next == 43 && c.u8(2) == 0) {
                        // Type 0, source routing, deprecated by RFC 5095: Wireshark says so once it has the whole header.
                        p.expert(ROUTING_DEPRECATED);
                        finalDestination(c, p);
                    }
                    int past = next == 43 ? -1 : optionPastTheFrame(c, p, len);
                    if (past >= 0) {
                        return Decoder.missing(c, p, past, "IPv6 " + prefix + " option");
                    }
                    next = c.u8(0);
                    c.skip(len);
                }
                case 44 -> {
                    p.pass(FRAGHDR);
                    if (!c.need(8)) {
                        return Decoder.missing(c, p, 8, "IPv6 fragment header");
                    }
                    int offMore = c.u16(2);
                    // Wireshark 4.0's names; the offset in 8-byte units, as on the wire.
                    p.uint(FRAGHDR_NXT, c.u8(0));
                    p.uint(FRAGHDR_OFFSET, offMore >>> 3);
                    p.bool(FRAGHDR_MORE, (offMore & 1) != 0);
                    p.hex(FRAGHDR_IDENT, c.u32(4), 8);
                    long ident = c.u32(4);
                    next = c.u8(0);
                    c.skip(8);
                    if (offMore != 0) {
                        int length = c.reported();
                        if (p.inError || !c.need(length)) {
                            return Dispatch.DATA;
                        }
                        byte[] whole = p.reassembly.add(p.data, 16, at + 8, at + 24, ident, next, (offMore >>> 3) * 8,
                                (offMore & 1) != 0, c, length);
                        if (whole == null) {
                            return Dispatch.DATA; // a fragment that does not complete its datagram: Wireshark's data
                        }
                        p.reassembly.decodeWhole(whole, p, c, FRAGMENT_COUNT, REASSEMBLED_LENGTH);
                    }
                }
                case 59 -> {
                    // "No next header": bytes after it all the same are Wireshark's data.
                    return c.reported() > 0 ? Dispatch.DATA : Dispatch.STOP;
                }
                default -> {
                    return Dispatch.ipProto(next);
                }
            }
        }
        p.malformed("more than " + MAX_EXTENSIONS + " IPv6 extension headers");
        return Dispatch.STOP;
    }
}
