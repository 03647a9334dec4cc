package dev.sharkfin.dissect;

/**
 * GRE (RFC 2784/2890): optional checksum, key and sequence number, and RFC 1701's source routes; the payload
 * by its ethertype.
 */
public final class Gre implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("gre", "Generic Routing Encapsulation").ipProtocol(47, new Gre());
    public static final Field FLAGS_AND_VERSION = PROTOCOL.number("gre.flags_and_version", "The flags (checksum, key, sequence number present, ...) and version");
    public static final Field FLAGS_CHECKSUM = PROTOCOL.bool("gre.flags.checksum", "A checksum is present");
    public static final Field FLAGS_ROUTING = PROTOCOL.bool("gre.flags.routing", "Routing information is present (RFC 1701)");
    public static final Field FLAGS_KEY = PROTOCOL.bool("gre.flags.key", "A key is present");
    public static final Field FLAGS_SEQUENCE_NUMBER = PROTOCOL.bool("gre.flags.sequence_number", "A sequence number is present");
    public static final Field FLAGS_STRICT_SOURCE_ROUTE = PROTOCOL.bool("gre.flags.strict_source_route", "Strict source route (RFC 1701)");
    public static final Field FLAGS_RECURSION_CONTROL = PROTOCOL.number("gre.flags.recursion_control", "Recursion control (RFC 1701)");
    public static final Field FLAGS_ACK = PROTOCOL.bool("gre.flags.ack", "Enhanced GRE (PPTP): an acknowledgement number is present");
    public static final Field FLAGS_RESERVED = PROTOCOL.number("gre.flags.reserved", "The reserved flag bits");
    public static final Field FLAGS_VERSION = PROTOCOL.number("gre.flags.version", "Version (0: GRE, 1: enhanced GRE of PPTP)");
    public static final Field PROTO = PROTOCOL.number("gre.proto", "Protocol of the payload, an ethertype");
    public static final Field CHECKSUM = PROTOCOL.number("gre.checksum", "Checksum, when present (not verified)").storedOnly();
    public static final Field KEY = PROTOCOL.number("gre.key", "Key");
    public static final Field KEY_PAYLOAD_LENGTH = PROTOCOL.number("gre.key.payload_length", "Enhanced GRE (PPTP): payload length");
    public static final Field KEY_CALL_ID = PROTOCOL.number("gre.key.call_id", "Enhanced GRE (PPTP): the peer's call id");
    public static final Field SEQUENCE_NUMBER = PROTOCOL.number("gre.sequence_number", "Sequence number");
    public static final Field ACK_NUMBER = PROTOCOL.number("gre.ack_number", "Enhanced GRE (PPTP): acknowledgement number");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "GRE header");
        }
        int flags = c.u16(0);
        int proto = c.u16(2);
        p.hex(FLAGS_AND_VERSION, flags, 4);
        flags(p, flags);
        p.hex(PROTO, proto, 4);
        int n = 4;
        if ((flags & 0xc000) != 0) {
            n += 4; // checksum and offset: there when either the checksum or the routing bit is set (RFC 1701)
        }
        int keyAt = n;
        if ((flags & 0x2000) != 0) {
            n += 4;
        }
        int seqAt = n;
        if ((flags & 0x1000) != 0) {
            n += 4;
        }
        boolean enhanced = (flags & 0x7) == 1;
        if (enhanced && (flags & 0x0080) != 0) {
            n += 4; // acknowledgement number (RFC 2637)
        }
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "GRE header");
        }
        if ((flags & 0x2000) != 0 && (flags & 0x7) == 0) {
            p.uint(KEY, c.u32(keyAt));
        } else if ((flags & 0x2000) != 0) {
            p.uint(KEY_PAYLOAD_LENGTH, c.u16(keyAt));
            p.uint(KEY_CALL_ID, c.u16(keyAt + 2));
        }
        if ((flags & 0xc000) != 0) {
            p.hex(CHECKSUM, c.u16(4), 4);
        }
        if ((flags & 0x1000) != 0) {
            p.uint(SEQUENCE_NUMBER, c.u32(seqAt));
        }
        if (enhanced && (flags & 0x0080) != 0) {
            p.uint(ACK_NUMBER, c.u32(n - 4));
        }
        if ((flags & 0x4000) != 0) {
            n = routing(c, n);
            if (n < 0) {
                return Decoder.missing(c, p, -n, "GRE routing");
            }
        }
        c.skip(n);
        if (enhanced) {
            // PPTP's enhanced GRE carries PPP; one with only an acknowledgement carries nothing.
            return proto == 0x880b && c.reported() > 0 ? Ppp.BY_NAME : Dispatch.STOP;
        }
        if ((flags & 0x7) != 0) {
            return Dispatch.STOP;
        }
        return switch (proto) {
            case 0x880b -> Ppp.BY_NAME;                 // PPP
            case 0x6558 -> Ethernet.BY_NAME;             // transparent Ethernet bridging
            case 0x8200, 0x8210 -> Wlan.BY_NAME;         // Aruba: 802.11 frames from access points
            // ERSPAN: type II has a GRE sequence number, type I has neither it nor a header of its own.
            case 0x88be -> (flags & 0x1000) != 0 ? Erspan.BY_NAME : Erspan.typeOne(p);
            case 0x22eb -> Erspan.BY_NAME;               // ERSPAN type III
            case 0x883e -> wccp(c);                      // WCCP redirection
            default -> Dispatch.ethertype(proto);
        };
    }

    /**
     * Skips RFC 1701's source route entries from {@code at}: each an address family, an offset and a length, then
     * that many bytes of routing information, until the entry of family 0 and length 0. As Wireshark reads them,
     * an entry past the bytes there is cut short. Returns where the payload starts, or minus the bytes needed.
     */
    private static int routing(Cursor c, int at) {
        while (true) {
            if (!c.need(at + 4)) {
                return -(at + 4);
            }
            int family = c.u16(at);
            int length = c.u8(at + 3);
            at += 4;
            if (family == 0 && length == 0) {
                return at;
            }
            at += length;
            if (!c.need(at)) {
                return -at;
            }
        }
    }

    /**
     * WCCP redirects an IPv4 datagram; version 2 puts a 4-byte redirect header before it. As Wireshark, that
     * header is assumed where the first byte does not start an IPv4 header.
     */
    private static int wccp(Cursor c) {
        if (c.need(1) && (c.u8(0) & 0xf0) != 0x40) {
            c.skip(Math.min(4, c.remaining()));
        }
        return Dispatch.ethertype(0x0800);
    }

    /** The flag bits, as Wireshark shows them; the acknowledgement flag belongs to enhanced GRE (version 1). */
    private static void flags(Packet p, int flags) {
        p.bool(FLAGS_CHECKSUM, (flags & 0x8000) != 0);
        p.bool(FLAGS_ROUTING, (flags & 0x4000) != 0);
        p.bool(FLAGS_KEY, (flags & 0x2000) != 0);
        p.bool(FLAGS_SEQUENCE_NUMBER, (flags & 0x1000) != 0);
        p.bool(FLAGS_STRICT_SOURCE_ROUTE, (flags & 0x0800) != 0);
        p.uint(FLAGS_RECURSION_CONTROL, (flags >>> 8) & 7);
        if ((flags & 7) == 1) {
            p.bool(FLAGS_ACK, (flags & 0x0080) != 0);
            p.uint(FLAGS_RESERVED, (flags >>> 3) & 0xf);
        } else {
            p.uint(FLAGS_RESERVED, (flags >>> 3) & 0x1f);
        }
        p.uint(FLAGS_VERSION, flags & 7);
    }
}
