package dev.sharkfin.dissect;

/** A pcapng custom block shown as a frame, as Wireshark does: its data, undecoded. */
final class PcapngCustom implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("pcapng");
        p.bool("pcapng_custom_block", true);
        int data = p.layer("data");
        p.uint(data, "data_len", c.remaining());
        c.skip(c.remaining());
        return Dispatch.STOP;
    }
}
