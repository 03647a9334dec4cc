package dev.sharkfin.dissect;

/**
 * IEEE 802.11 frames, as radiotap, LWAPP and tunnels (Aruba's GRE) carry them, read as far as Wireshark 4.0 reads
 * them: each frame type's header (a control frame's few bytes, a data frame's addresses, QoS and HT control),
 * the HE variant's first A-Control subfield, a management frame's fixed parameters and elements
 * ({@link WlanManagement}), a data frame's LLC/SNAP. Protected frames keep their header fields only.
 */
public final class Wlan implements Decoder {
    private static final Wlan DECODER = new Wlan();
    public static final Protocol PROTOCOL = Protocol.of("wlan", "IEEE 802.11 wireless LAN").linkType(105, DECODER); // LINKTYPE_IEEE802_11
    /** What radiotap, LWAPP and Aruba's GRE answer: an 802.11 frame follows. */
    static final int BY_NAME = PROTOCOL.byName(DECODER);
    public static final Field FC_TYPE_SUBTYPE = PROTOCOL.number("wlan.fc.type_subtype", "Frame type and subtype (type << 4 | subtype)");
    public static final Field FLAGS = PROTOCOL.number("wlan.flags", "Frame control flags (0x40: protected)");
    public static final Field DURATION = PROTOCOL.number("wlan.duration", "Duration, in microseconds");
    public static final Field RA = PROTOCOL.mac("wlan.ra", "Receiver address");
    public static final Field TA = PROTOCOL.mac("wlan.ta", "Transmitter address");
    public static final Field ADDR = PROTOCOL.mac("wlan.addr", "The header's addresses, in order").list();
    public static final Field SEQ = PROTOCOL.number("wlan.seq", "Sequence number");
    private static final int RETRY = 0x08, PROTECTED = 0x40, ORDER = 0x80;
    /** PV1: the frame control's from-DS bit (its second byte's first), the SID's "address 3/4 present" bits. */
    private static final int FROM_DS_PV1 = 0x01, SID_A3 = 0x2000, SID_A4 = 0x4000;
    private static final int MANAGEMENT = 0, CONTROL = 1, DATA = 2;
    static final String RETRANSMISSION = "Retransmission (retry)";
    static final String INVALID_CONTROL_WORD = "Invalid control word";
    /**
     * The bytes Wireshark reads of each control subtype (header and body): CTS and ACK 10, RTS, PS-Poll, CF-End 16,
     * Block Ack Request 20, Beamforming Report Poll 17, VHT NDP Announcement 19, the trigger's fixed part 24; the
     * subtypes whose length depends on their contents (Block Ack, TACK, Control Wrapper) at least 16.
     */
    private static final int[] CONTROL_LENGTH = {10, 10, 24, 16, 17, 19, 10, 16, 20, 16, 16, 16, 10, 10, 16, 16};

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(2)) {
            return Decoder.missing(c, p, 2, "802.11 frame control");
        }
        int fc = c.u8(0);
        return switch (fc & 3) {
            case 0 -> version0(c, p, fc, c.u8(1));
            case 1 -> version1(c, p, fc);
            default -> unknownVersion(c, p);
        };
    }

    private static int version0(Cursor c, Packet p, int fc, int flags) {
        int type = (fc >>> 2) & 3;
        int subtype = (fc >>> 4) & 0xf;
        int n = headerLength(type, subtype, flags);
        if (!c.need(n)) {
            return cutHeader(c, p, type, subtype, flags, n);
        }
        p.uint(FC_TYPE_SUBTYPE, (type << 4) | subtype);
        p.uint(FLAGS, flags);
        if ((flags & RETRY) != 0) {
            p.expert(RETRANSMISSION); // Wireshark's note on the frame control's retry flag
        }
        addresses(c, p, type, n);
        if (type == CONTROL || type == 3) {
            return Dispatch.STOP; // control and extension frames carry no payload
        }
        if ((flags & ORDER) != 0 && (type == MANAGEMENT || (subtype & 0x8) != 0)) {
            aControl(c, p, n - 4);
        }
        if ((flags & PROTECTED) != 0) {
            // Wireshark reads the security header's first 4 bytes (WEP's IV, CCMP's PN and key id) of a protected body.
            return c.need(n + 4) ? Dispatch.STOP : Decoder.missing(c, p, n + 4, "802.11 security header");
        }
        c.skip(n);
        if (type == MANAGEMENT) {
            return WlanManagement.body(c, p, subtype);
        }
        return (subtype & 0x4) != 0 ? Dispatch.STOP : Llc.BY_NAME; // a null-function frame has no body
    }

    /** The bytes of the frame's header, as Wireshark 4.0 counts them: the +HTC/Order flag adds HT control. */
    static int headerLength(int type, int subtype, int flags) {
        int htc = (flags & ORDER) != 0 ? 4 : 0;
        return switch (type) {
            case MANAGEMENT -> 24 + htc;
            case CONTROL -> CONTROL_LENGTH[subtype];
            case DATA -> ((flags & 3) == 3 ? 30 : 24) + ((subtype & 0x8) != 0 ? 2 + htc : 0); // WDS address, QoS
            default -> 10; // an extension frame (DMG beacon, S1G beacon): at least its frame control, duration, address
        };
    }

    /**
     * A header cut short, as far as Wireshark 4.0 shows it before it fails. A QoS data frame's QoS control is read
     * first, so without it nothing at all. Otherwise the frame control (and its retry note), the duration (4 bytes),
     * the first address (10 bytes), and every address and the sequence number once the header without its QoS and
     * HT control is there (a management or data frame's 24 bytes, 30 with a WDS address).
     */
    private static int cutHeader(Cursor c, Packet p, int type, int subtype, int flags, int n) {
        int base = type == DATA && (flags & 3) == 3 ? 30 : 24;
        boolean qos = type == DATA && (subtype & 0x8) != 0;
        if (qos && !c.need(base + 2)) {
            return Decoder.missing(c, p, n, "802.11 header");
        }
        p.uint(FC_TYPE_SUBTYPE, (type << 4) | subtype);
        p.uint(FLAGS, flags);
        if ((flags & RETRY) != 0) {
            p.expert(RETRANSMISSION);
        }
        if ((type == MANAGEMENT || type == DATA) && c.need(base)) {
            addresses(c, p, type, n);
        } else if (c.need(4)) {
            p.uint(DURATION, c.u16le(2));
            if (c.need(10)) {
                p.bytes(RA, Packet.MAC, c.pos() + 4, 6);
                p.bytes(ADDR, Packet.MAC, c.pos() + 4, 6);
            }
        }
        return Decoder.missing(c, p, n, "802.11 header");
    }

    private static void addresses(Cursor c, Packet p, int type, int n) {
        int at = c.pos();
        p.uint(DURATION, c.u16le(2));
        p.bytes(RA, Packet.MAC, at + 4, 6);
        if (n >= 16 && type <= DATA) {
            p.bytes(TA, Packet.MAC, at + 10, 6);
        }
        p.bytes(ADDR, Packet.MAC, at + 4, 6);
        if (n >= 16 && type <= DATA) {
            p.bytes(ADDR, Packet.MAC, at + 10, 6);
        }
        if (type == MANAGEMENT || type == DATA) {
            p.bytes(ADDR, Packet.MAC, at + 16, 6);
            p.uint(SEQ, c.u16le(22) >>> 4);
        }
    }

    /**
     * The HT control field's HE variant (its two low bits set) is an A-Control: Wireshark finds a first control
     * subfield whose id is none it knows (9, 11 to 15) an "Invalid control word". Later subfields are not read.
     */
    private static void aControl(Cursor c, Packet p, int at) {
        long htc = c.u32le(at);
        int id = (int) (htc >>> 2) & 0xf;
        if ((htc & 3) == 3 && (id == 9 || id >= 11)) {
            p.expert(INVALID_CONTROL_WORD);
        }
    }

    /**
     * Protocol version 1 (802.11ah's PV1 frames): Wireshark reads the short header (frame control, first address,
     * SID or second address, sequence control) and no body. Sharkfin shows the fields of a QoS data frame with one
     * SID, its from-DS bit clear; of the others (where Wireshark 4.0 lists the transmitter address twice) none.
     */
    private static int version1(Cursor c, Packet p, int fc) {
        int type = (fc >>> 2) & 7;
        if (type == 0 && (c.u8(1) & FROM_DS_PV1) == 0) {
            return pv1ToStation(c, p);
        }
        int n = type == 0 ? 12 : type == 1 || type == 3 ? 16 : 10;
        return c.need(n) ? Dispatch.STOP : Decoder.missing(c, p, n, "802.11 PV1 header");
    }

    /**
     * A PV1 QoS data frame with one SID, its from-DS bit clear: receiver address (2), the transmitter's SID (8),
     * sequence control (10), then a third and a fourth address (12) where the SID's A3 and A4 bits say so. Wireshark
     * shows each as far as the bytes go, the addresses also as wlan.addr.
     */
    private static int pv1ToStation(Cursor c, Packet p) {
        int at = c.pos();
        if (c.need(8)) {
            p.bytes(RA, Packet.MAC, at + 2, 6);
            p.bytes(ADDR, Packet.MAC, at + 2, 6);
        }
        if (!c.need(12)) {
            return Decoder.missing(c, p, 12, "802.11 PV1 header");
        }
        p.uint(SEQ, c.u16le(10) >>> 4);
        int sid = c.u16le(8);
        int n = 12;
        for (int bit = SID_A3; bit <= SID_A4; bit <<= 1) {
            if ((sid & bit) != 0) {
                if (!c.need(n + 6)) {
                    return Decoder.missing(c, p, n + 6, "802.11 PV1 header");
                }
                p.bytes(ADDR, Packet.MAC, at + n, 6);
                n += 6;
            }
        }
        return Dispatch.STOP;
    }

    /**
     * Protocol versions 2 and 3: Wireshark 4.0 shows the bytes after the frame control as data and then fails on
     * the frame (malformed); a frame cut short by the snapshot length fails before the data, as a short frame.
     */
    private static int unknownVersion(Cursor c, Packet p) {
        if (c.remaining() < c.reported()) {
            p.truncated();
            return Dispatch.STOP;
        }
        p.malformed("802.11 protocol version " + (c.u8(0) & 3) + " is unknown");
        c.skip(2);
        return Dispatch.DATA;
    }

    /**
     * 802.2 LLC, after an 802.3 length (Ethernet, VLAN, Linux cooked) or in 802.11 frames, and SNAP after it: the
     * payload's ethertype where the organization code says the protocol id is one (RFC 1042, Cisco's 0x0000f8,
     * Apple's AppleTalk). Any other payload (STP, CDP, ...) is data.
     */
    public static final class Llc implements Decoder {
        private static final Llc DECODER = new Llc();
        public static final Protocol PROTOCOL = Protocol.of("llc", "Logical-Link Control");
        static final int BY_NAME = PROTOCOL.byName(DECODER);
        public static final Field DSAP = PROTOCOL.number("llc.dsap", "Destination service access point (0xaa: SNAP, 0x42: STP)");
        public static final Field SSAP = PROTOCOL.number("llc.ssap", "Source service access point");
        public static final Field CONTROL = PROTOCOL.number("llc.control", "Control field");
        public static final Field OUI = PROTOCOL.number("llc.oui", "SNAP organization code");
        public static final Field TYPE = PROTOCOL.number("llc.type", "SNAP protocol id, an ethertype (with an organization code that says so)");

        private static final int SNAP = 0xaa, OUI_ETHERTYPE = 0x000000, OUI_CISCO_90 = 0x0000f8, OUI_APPLE_ATALK = 0x080007;

        @Override
        public int decode(Cursor c, Packet p) {
            p.layer(PROTOCOL);
            if (!c.need(3)) {
                return Decoder.missing(c, p, 3, "LLC header");
            }
            int dsap = c.u8(0);
            int ssap = c.u8(1);
            p.hex(DSAP, dsap, 2);
            p.hex(SSAP, ssap, 2);
            // The control field is one byte in unnumbered (U) frames, two in information and supervisory ones.
            boolean unnumbered = (c.u8(2) & 3) == 3;
            if (!unnumbered && !c.need(4)) {
                return Decoder.missing(c, p, 4, "LLC control field");
            }
            p.hex(CONTROL, unnumbered ? c.u8(2) : c.u16le(2), unnumbered ? 2 : 4);
            if (dsap != SNAP || ssap != SNAP) {
                c.skip(unnumbered ? 3 : 4);
                return Dispatch.DATA;
            }
            if (!c.need(8)) {
                return Decoder.missing(c, p, 8, "SNAP header");
            }
            int oui = (c.u8(3) << 16) | c.u16(4);
            p.hex(OUI, oui, 6);
            int type = c.u16(6);
            c.skip(8);
            if (oui == OUI_ETHERTYPE || oui == OUI_CISCO_90 || oui == OUI_APPLE_ATALK) {
                p.hex(TYPE, type, 4);
                return Dispatch.ethertype(type);
            }
            return Dispatch.DATA;
        }
    }
}
