package dev.sharkfin.dissect;

/** A pcapng custom block shown as a frame, as Wireshark does: its enterprise number and data length. */
final class PcapngCustom implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("pcapng");
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "pcapng custom block");
        }
        p.uint("pcapng_cb_pen", c.u32(0));
        c.skip(4);
        int data = p.layer("data");
        p.uint(data, "data_len", c.remaining());
        return Dispatch.STOP;
    }
}
