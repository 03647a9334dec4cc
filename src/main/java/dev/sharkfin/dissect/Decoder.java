package dev.sharkfin.dissect;

/**
 * One protocol's decoder. It reads its header at the cursor, adds its layer and fields to the packet,
 * moves the cursor to its payload and answers what comes next as a {@link Dispatch} key
 * ({@link Dispatch#STOP} when nothing does). It never throws on bad input: missing bytes and
 * impossible lengths are recorded on the packet ({@link Packet#malformed}, {@link Packet#truncated}).
 * Decoders are stateless and shared by all threads.
 */
interface Decoder {
    int decode(Cursor c, Packet p);

    /**
     * The common answer when a header needs {@code n} bytes that are not there: a snaplen cut when the
     * frame said they were there, a malformed packet otherwise.
     */
    static int missing(Cursor c, Packet p, int n, String what) {
        if (c.withinReported(n)) {
            p.truncated();
        } else {
            p.malformed(what + ": needs " + n + " bytes, " + c.reported() + " left");
        }
        return Dispatch.STOP;
    }
}
