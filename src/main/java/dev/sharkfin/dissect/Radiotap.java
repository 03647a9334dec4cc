package dev.sharkfin.dissect;

/**
 * Radiotap (link type 127): the capture-side radio header before an 802.11 frame. Only what finding the
 * frame needs is read: the header length, and the flags field's "frame ends with an FCS" bit, so that the
 * 4-byte FCS is not taken for payload.
 */
public final class Radiotap implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("radiotap", "IEEE 802.11 radiotap capture header")
            .linkType(127, new Radiotap());   // LINKTYPE_IEEE802_11_RADIOTAP
    public static final Field VERSION = PROTOCOL.number("radiotap.version", "Radiotap header version");
    public static final Field LENGTH = PROTOCOL.number("radiotap.length", "Radiotap header length, in bytes");
    public static final Field PRESENT_WORD = PROTOCOL.number("radiotap.present.word", "The first word of the present-fields bitmap");
    public static final Field FLAGS = PROTOCOL.number("radiotap.flags", "Flags (0x10: the frame ends with an FCS)");

    private static final int TSFT = 1, PRESENT_FLAGS = 1 << 1, EXT = 1 << 31, FLAG_FCS = 0x10;

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "radiotap header");
        }
        int length = c.u16le(2);
        p.uint(VERSION, c.u8(0));
        p.uint(LENGTH, length);
        if (length < 8 || !c.need(length)) {
            if (length < 8) {
                p.malformed("radiotap length " + length + " is below its 8-byte header");
                return Dispatch.STOP;
            }
            return Decoder.missing(c, p, length, "radiotap header");
        }
        long present = c.u32le(4);
        p.uint(PRESENT_WORD, present);
        int at = 8;
        long word = present;
        while ((word & EXT) != 0 && at + 4 <= length) { // extended presence bitmaps
            word = c.u32le(at);
            at += 4;
        }
        boolean fcs = false;
        if ((present & TSFT) != 0) {
            at = (at + 7) & ~7;
            at += 8;
        }
        if ((present & PRESENT_FLAGS) != 0 && at < length) {
            int flags = c.u8(at);
            p.uint(FLAGS, flags);
            fcs = (flags & FLAG_FCS) != 0;
        }
        c.skip(length);
        if (fcs && c.reported() >= 4) {
            c.limit(c.reported() - 4);
        }
        return Wlan.BY_NAME;
    }
}
