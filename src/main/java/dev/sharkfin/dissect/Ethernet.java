package dev.sharkfin.dissect;

/**
 * Ethernet II, and 802.3 frames (a length in place of the type), whose payload is 802.2 LLC. As in
 * Wireshark, each address is shown with its OUI and its LG (locally administered) and IG (group) bits, and
 * again under the eth.addr family that matches either address.
 */
public final class Ethernet implements Decoder {
    private static final Ethernet DECODER = new Ethernet();
    public static final Protocol PROTOCOL = Protocol.of("eth", "Ethernet")
            .linkType(1, DECODER)          // LINKTYPE_ETHERNET
            .ipProtocol(143, DECODER);     // Ethernet as an IP payload (RFC 8986: SRv6's End.DX2), as Wireshark
    /** What a decoder answers when its payload is an Ethernet frame (tunnels, pseudowires, ERSPAN). */
    static final int BY_NAME = PROTOCOL.byName(DECODER);
    public static final Field DST = PROTOCOL.mac("eth.dst", "Destination MAC address");
    public static final Field DST_OUI = PROTOCOL.number("eth.dst.oui", "Destination address: its OUI (first three bytes)");
    public static final Field DST_LG = PROTOCOL.bool("eth.dst.lg", "Destination address: locally administered (LG bit)");
    public static final Field DST_IG = PROTOCOL.bool("eth.dst.ig", "Destination address: a group (multicast or broadcast) address (IG bit)");
    public static final Field ADDR = PROTOCOL.mac("eth.addr", "Source and destination MAC addresses").list();
    public static final Field ADDR_OUI = PROTOCOL.number("eth.addr.oui", "The OUI of either address, destination first").list();
    public static final Field LG = PROTOCOL.bool("eth.lg", "The LG bit of either address, destination first").list();
    public static final Field IG = PROTOCOL.bool("eth.ig", "The IG bit of either address, destination first").list();
    public static final Field SRC = PROTOCOL.mac("eth.src", "Source MAC address");
    public static final Field SRC_OUI = PROTOCOL.number("eth.src.oui", "Source address: its OUI (first three bytes)");
    public static final Field SRC_LG = PROTOCOL.bool("eth.src.lg", "Source address: locally administered (LG bit)");
    public static final Field SRC_IG = PROTOCOL.bool("eth.src.ig", "Source address: a group address (IG bit; set only by a broken sender)");
    public static final Field LEN = PROTOCOL.number("eth.len", "Length of an 802.3 frame's payload (in place of a type); LLC follows");
    public static final Field TYPE = PROTOCOL.number("eth.type", "Ethertype of the payload (0x0800: IPv4)");

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(14)) {
            return Decoder.missing(c, p, 14, "Ethernet header");
        }
        int at = c.pos();
        if (c.u16(12) <= 1500 && isl(c)) {
            // Cisco ISL: a 26-byte header (its addresses are ISL's, not Ethernet's fields), then the switched
            // frame, an Ethernet frame when the type says 0. Wireshark lists it as eth:eth.
            boolean ethernet = c.u8(5) >>> 4 == 0 && c.need(ISL_HEADER);
            c.skip(Math.min(ISL_HEADER, c.remaining()));
            return ethernet ? BY_NAME : Dispatch.STOP;
        }
        address(c, p, at, 0, DST, DST_OUI, DST_LG, DST_IG);
        address(c, p, at, 6, SRC, SRC_OUI, SRC_LG, SRC_IG);
        int type = c.u16(12);
        boolean groupSource = (c.u8(6) & 1) != 0;
        c.skip(14);
        if (type <= 1500) {
            p.uint(LEN, type);
            ieee8023(c, p, type, at == 0);
            return Wlan.Llc.BY_NAME;
        }
        if (type >= 0x600 && groupSource) {
            p.expert(SRC_NOT_GROUP); // Wireshark checks the source of an Ethernet II frame only
        }
        p.hex(TYPE, type, 4);
        p.pass(Dissector.ETHERTYPE);
        ethertypePayload(c, p, at == 0);
        return Dispatch.ethertype(type);
    }

    static final String SRC_NOT_GROUP = "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)";
    static final String PADDING_BAD = "Didn't find padding of zeros, and an undecoded trailer exists. "
            + "There may be padding of non-zeros.";

    static final String LENGTH_PAST_END = "Length field value goes past the end of the payload";

    /**
     * An 802.3 payload of {@code length} bytes (Ethernet's or an 802.1Q tag's length field), as Wireshark's
     * dissect_802_3: a length past the frame's end is noted and cut to it; the bytes after the payload are a
     * trailer, checked as an ethertype payload's ({@link #trailer}); then the cursor is limited to the payload.
     */
    static void ieee8023(Cursor c, Packet p, int length, boolean fcs) {
        if (length > c.reported()) {
            p.malformedExpert(LENGTH_PAST_END); // Wireshark's malformed group: the frame is malformed, decoding goes on
        }
        ethertypePayload(c, p, fcs);
        trailer(c, p, c.pos(), Math.min(length, c.reported()));
        c.limit(length); // a length past the frame's end leaves the frame's
    }

    /** Marks where an ethertype's payload starts (Ethernet, 802.1Q), for {@link #trailer}. */
    static void ethertypePayload(Cursor c, Packet p, boolean fcs) {
        p.ethertypePayload = c.pos();
        p.ethertypeExperts = p.expertCount();
        p.ethertypeFcs = fcs;
        p.ethertypeTrailer = null;
    }

    /**
     * As {@link #ethertypePayload(Cursor, Packet, boolean)}, without an FCS, for a layer that shows the trailer as a
     * field of its own (MACsec's ICV): {@link #trailer} writes what remains after the padding to {@code field} of
     * {@code layer}, as Wireshark's trailer item.
     */
    static void ethertypePayload(Cursor c, Packet p, int layer, Field field) {
        ethertypePayload(c, p, false);
        p.ethertypeTrailer = field;
        p.ethertypeTrailerLayer = layer;
    }

    /**
     * Wireshark's padding check on the trailer an ethertype payload leaves ({@code length} bytes from
     * {@code start}, as an IP header says): called by the payload's decoder, it counts only for the payload
     * right after the ethertype. A frame of 60 bytes or more whose payload ends before byte 60 was padded;
     * when the padding is not all zeros and a trailer remains beyond it (and beyond a 4-byte FCS, assumed at
     * 64 bytes or more when the frame starts with Ethernet), Wireshark notes it on the Ethernet (or 802.1Q, MACsec)
     * layer: {@link #PADDING_BAD}, before the payload's experts. The trailer's captured bytes after a padding of zeros
     * are the layer's trailer field, if it has one ({@link #ethertypePayload(Cursor, Packet, int, Field)}).
     */
    static void trailer(Cursor c, Packet p, int start, int length) {
        int end = start + length;
        int reported = c.pos() + c.reported() - end;
        if (start != p.ethertypePayload || reported <= 0) {
            return;
        }
        int captured = Math.min(c.pos() + c.remaining() - end, reported);
        if (captured <= 0) {
            return; // none of it captured: Wireshark shows no trailer
        }
        int frame = p.originalLength;
        boolean fcs = p.ethertypeFcs && frame >= 64 && reported >= 4;
        int padding = frame >= 60 && frame - reported < 60 ? 60 - (frame - reported) : 0;
        int zeros = 0; // the padding Wireshark finds: all zeros
        if (padding > 0) {
            // Wireshark checks the padding byte by byte up to the first that is not zero: one it cannot see first
            // throws ("Ethertype truncated": _ws.short), before any trailer or note; a non-zero byte makes it
            // no padding, and what remains an undecoded trailer with its note.
            int nonZero = firstNonZero(c.data(), end, Math.min(captured, padding));
            if (nonZero < 0 && captured < padding) {
                p.truncated();
                return;
            }
            int trailer = fcs ? Math.min(captured, reported - 4) : captured;
            if (nonZero >= 0 && trailer > 0) {
                p.insertExpert(p.ethertypeExperts, PADDING_BAD);
            }
            zeros = nonZero < 0 ? padding : 0;
        }
        if (fcs && captured < reported) {
            // Wireshark reads an assumed FCS at the trailer's end: past the captured bytes, its "Ethertype truncated".
            p.truncated();
        }
        trailerField(p, end + zeros, captured - zeros);
    }

    /** Wireshark's trailer item, {@code length} captured bytes at {@code offset}, when the layer has a field for it. */
    private static void trailerField(Packet p, int offset, int length) {
        if (p.ethertypeTrailer != null && length > 0) {
            p.bytes(p.ethertypeTrailerLayer, p.ethertypeTrailer, Packet.BYTES, offset, length); // no FCS there
        }
    }

    /** The index of the first non-zero of {@code length} bytes from {@code from}, or -1. */
    private static int firstNonZero(byte[] data, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (data[i] != 0) {
                return i - from;
            }
        }
        return -1;
    }

    private static final int ISL_HEADER = 26;

    /** Wireshark's test for an ISL frame (in place of an 802.3 one): a destination of 01-00-0C-00-00 or 0C-00-0C-00-00. */
    private static boolean isl(Cursor c) {
        return (c.u8(0) == 0x01 || c.u8(0) == 0x0c) && c.u8(1) == 0 && c.u8(2) == 0x0c && c.u8(3) == 0 && c.u8(4) == 0;
    }

    /** One address with its OUI and LG and IG bits, each also under the eth.addr family, as Wireshark shows them. */
    private static void address(Cursor c, Packet p, int at, int offset, Field mac, Field oui, Field lg, Field ig) {
        long first = c.u8(offset);
        long value = (first << 16) | c.u16(offset + 1);
        p.bytes(mac, Packet.MAC, at + offset, 6);
        p.uint(oui, value);
        p.bool(lg, (first & 2) != 0);
        p.bool(ig, (first & 1) != 0);
        p.bytes(ADDR, Packet.MAC, at + offset, 6);
        p.uint(ADDR_OUI, value);
        p.bool(LG, (first & 2) != 0);
        p.bool(IG, (first & 1) != 0);
    }
}
