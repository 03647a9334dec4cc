package dev.sharkfin.dissect;

/** A pcapng custom block shown as a frame, as Wireshark does: its data, undecoded. */
public final class PcapngCustom implements Decoder {
    /** Sharkfin's own link type for a custom block (see capture.Frame). */
    public static final Protocol PROTOCOL = Protocol.of("pcapng", "pcapng custom block").linkType(65535, new PcapngCustom());
    public static final Field CUSTOM_BLOCK = PROTOCOL.sharkfinOnly("pcapng_custom_block", FieldType.BOOLEAN,
            "The frame is a pcapng custom block, not a packet (Wireshark shows it as a frame too, without a field saying so)", null);

    @Override
    public int decode(Cursor c, Packet p) {
        p.unlisted(p.layer(PROTOCOL)); // Wireshark's frame.protocols has the data only
        p.bool(CUSTOM_BLOCK, true);
        int data = p.layer(Dissector.DATA);
        p.uint(data, Dissector.DATA_LEN, c.remaining());
        c.skip(c.remaining());
        return Dispatch.STOP;
    }
}
