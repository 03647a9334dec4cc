package dev.sharkfin.dissect;

/** UDP. */
public final class Udp implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("udp", "User Datagram Protocol").ipProtocol(17, new Udp());
    public static final Field SRCPORT = PROTOCOL.number("udp.srcport", "Source port");
    public static final Field DSTPORT = PROTOCOL.number("udp.dstport", "Destination port");
    public static final Field PORT = PROTOCOL.number("udp.port", "Source and destination ports").list();
    public static final Field LENGTH = PROTOCOL.number("udp.length", "Length, header included, in bytes");
    public static final Field CHECKSUM = PROTOCOL.number("udp.checksum", "Checksum, as on the wire (not verified)").storedOnly();
    public static final Field STREAM = PROTOCOL.number("udp.stream", "Stream index: the UDP conversation (address and port pair), numbered from 0 in capture order");
    public static final Field TIME_RELATIVE = PROTOCOL.seconds("udp.time_relative", "Seconds since the conversation's first datagram");
    public static final Field TIME_DELTA = PROTOCOL.seconds("udp.time_delta", "Seconds since the conversation's previous datagram");
    public static final Field CHECKSUM_STATUS = PROTOCOL.number("udp.checksum.status",
            "Checksum status, as Wireshark with checksum checking off: 2 unverified, 3 not present (zero)");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(8)) {
            if (c.need(4)) {
                ports(p, c.u16(0), c.u16(2)); // as Wireshark: the ports that are there, then "UDP truncated"
            }
            return Decoder.missing(c, p, 8, "UDP header");
        }
        int src = c.u16(0);
        int dst = c.u16(2);
        int len = c.u16(4);
        ports(p, src, dst);
        p.uint(LENGTH, len);
        if (len == 0 && p.addressLength == 16) {
            // RFC 2675: over IPv6 a length of 0 is a jumbogram's, the IP payload's length stands (Wireshark's rule).
            len = c.reported();
        }
        if (len < 8) {
            // Over IPv4 even 0 is bogus. Wireshark stops there, before the checksum (a TSO frame's 0 does not
            // carry on into VXLAN/Geneve).
            p.malformedExpert("Bad length value " + len + " < 8"); // Wireshark's malformed group: no exception
            return Dispatch.STOP;
        }
        p.hex(CHECKSUM, c.u16(6), 4);
        p.uint(CHECKSUM_STATUS, c.u16(6) == 0 ? Checksums.NOT_PRESENT : Checksums.UNVERIFIED);
        if (!c.limit(len) && !p.inError && !p.fragmented) {
            // Wireshark flags a length past the IP payload (an error of its malformed group) and goes on with the
            // payload there is. A datagram quoted in an ICMP error, or a first fragment, is cut short by design.
            p.malformedExpert("Bad length value " + len + " > IP payload length");
        }
        c.skip(8);
        if (c.remaining() == 0) {
            if (c.reported() > 0) {
                p.truncated(); // a payload none of which was captured: Wireshark's "UDP truncated"
            }
            return Dispatch.STOP;
        }
        p.destPort = dst;
        int next = DecoderRegistry.DEFAULT.byPort(Dispatch.UDP_PORT, src, dst);
        if (next != Dispatch.STOP) {
            return next;
        }
        // Wireshark tries its heuristics only where no port's dissector took the datagram: NetBIOS names (137),
        // whose messages look like DNS, are such a port's, one Sharkfin does not decode.
        return src == NBNS || dst == NBNS ? Dispatch.DATA : DecoderRegistry.DEFAULT.udpHeuristic(c);
    }

    private static final int NBNS = 137;

    private static void ports(Packet p, int src, int dst) {
        p.uint(SRCPORT, src);
        p.uint(DSTPORT, dst);
        p.uint(PORT, src);
        p.uint(PORT, dst);
    }
}
