package dev.sharkfin.dissect;

/**
 * IEEE 802.11 data frames, as tunnels (Aruba's GRE) carry them: the MAC header, then LLC/SNAP. Management,
 * control and protected frames keep their header fields only.
 */
public final class Wlan implements Decoder {
    private static final Wlan DECODER = new Wlan();
    public static final Protocol PROTOCOL = Protocol.of("wlan", "IEEE 802.11 wireless LAN").linkType(105, DECODER); // LINKTYPE_IEEE802_11
    /** What radiotap and Aruba's GRE answer: an 802.11 frame follows. */
    static final int BY_NAME = PROTOCOL.byName(DECODER);
    public static final Field FC_TYPE_SUBTYPE = PROTOCOL.number("wlan.fc.type_subtype", "Frame type and subtype (type << 4 | subtype)");
    public static final Field FLAGS = PROTOCOL.number("wlan.flags", "Frame control flags (0x40: protected)");
    public static final Field DURATION = PROTOCOL.number("wlan.duration", "Duration, in microseconds");
    public static final Field RA = PROTOCOL.mac("wlan.ra", "Receiver address");
    public static final Field TA = PROTOCOL.mac("wlan.ta", "Transmitter address");
    public static final Field ADDR = PROTOCOL.mac("wlan.addr", "The header's three addresses, in order").list();
    public static final Field SEQ = PROTOCOL.number("wlan.seq", "Sequence number");
    private static final int RETRY = 0x08;
    static final String RETRANSMISSION = "Retransmission (retry)";

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(24)) {
            return Decoder.missing(c, p, 24, "802.11 header");
        }
        int fc = c.u8(0);
        int flags = c.u8(1);
        int type = (fc >>> 2) & 3;
        int subtype = (fc >>> 4) & 0xf;
        p.uint(FC_TYPE_SUBTYPE, (type << 4) | subtype);
        p.uint(FLAGS, flags);
        if ((flags & RETRY) != 0) {
            p.expert(RETRANSMISSION); // Wireshark's note on the frame control's retry flag
        }
        p.uint(DURATION, c.u16le(2));
        int at = c.pos();
        p.bytes(RA, Packet.MAC, at + 4, 6);
        p.bytes(TA, Packet.MAC, at + 10, 6);
        p.bytes(ADDR, Packet.MAC, at + 4, 6);
        p.bytes(ADDR, Packet.MAC, at + 10, 6);
        p.bytes(ADDR, Packet.MAC, at + 16, 6);
        p.uint(SEQ, c.u16le(22) >>> 4);
        if (type != 2 || (flags & 0x40) != 0 || (subtype & 0x4) != 0) {
            return Dispatch.STOP; // not data, protected, or a null-function frame without a body
        }
        int n = 24;
        if ((flags & 3) == 3) {
            n += 6; // a fourth address in WDS frames
        }
        if ((subtype & 0x8) != 0) {
            n += 2; // QoS control
            if ((flags & 0x80) != 0) {
                n += 4; // HT control
            }
        }
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "802.11 header");
        }
        c.skip(n);
        return Llc.BY_NAME;
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
