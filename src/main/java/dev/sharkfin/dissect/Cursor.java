package dev.sharkfin.dissect;

/**
 * A bounds-checked view of one frame's bytes, shared by the decoders of a packet.
 *
 * <p>Two limits matter, as in Wireshark: the bytes that were <em>captured</em> ({@code end}) and the
 * bytes the headers say are there ({@code reportedEnd}). A decoder asks {@link #need(int)} before it
 * reads a header; when the bytes are missing the cursor records why, as data, instead of throwing:
 * past the captured end but within the reported length is a snaplen cut ({@link #shortFrame()}),
 * past the reported length is a malformed packet. Reads at absolute offsets are unchecked and only
 * valid after a successful {@code need}.
 */
public final class Cursor {
    private byte[] data;
    private int pos;
    private int end;
    private int reportedEnd;

    void reset(byte[] data, int capturedLength, int originalLength) {
        this.data = data;
        this.pos = 0;
        this.end = Math.min(capturedLength, data.length);
        this.reportedEnd = Math.max(originalLength, end);
    }

    /** Goes on in another buffer: a reassembled datagram's payload, all of it captured. */
    void replace(byte[] data, int length) {
        this.data = data;
        this.pos = 0;
        this.end = length;
        this.reportedEnd = length;
    }

    /**
     * Goes on at {@code length} bytes from {@code start} of a buffer (a queued sub-packet, {@link Packet#queue}):
     * the bytes there are captured, and the view ends after them.
     */
    void window(byte[] data, int start, int length) {
        this.data = data;
        this.pos = start;
        this.end = Math.min(start + length, data.length);
        this.reportedEnd = start + length;
    }

    public byte[] data() {
        return data;
    }

    public int pos() {
        return pos;
    }

    /** Bytes captured from here on (may be fewer than {@link #reported()}). */
    public int remaining() {
        return Math.max(0, end - pos);
    }

    /** Bytes the enclosing headers say are there from here on. */
    public int reported() {
        return Math.max(0, reportedEnd - pos);
    }

    public boolean need(int n) {
        return pos + n <= end;
    }

    /** True when the missing bytes were cut by the capture's snaplen rather than by a bad header. */
    public boolean withinReported(int n) {
        return pos + n <= reportedEnd;
    }

    public void skip(int n) {
        pos += n;
    }

    /**
     * Narrows the view to {@code length} bytes from here (an IP total length, a UDP length): what
     * follows is trailer or padding. Returns false, and leaves the view as it is, when the header
     * claims more than the enclosing layer holds (a malformed length).
     */
    public boolean limit(int length) {
        if (length < 0 || pos + length > reportedEnd) {
            return false;
        }
        reportedEnd = pos + length;
        end = Math.min(end, reportedEnd);
        return true;
    }

    public int u8(int at) {
        return data[pos + at] & 0xff;
    }

    public int u16(int at) {
        return ((data[pos + at] & 0xff) << 8) | (data[pos + at + 1] & 0xff);
    }

    public int u16le(int at) {
        return (data[pos + at] & 0xff) | ((data[pos + at + 1] & 0xff) << 8);
    }

    public long u32(int at) {
        return ((long) u16(at) << 16) | u16(at + 2);
    }

    public long u32le(int at) {
        return (long) u16le(at) | ((long) u16le(at + 2) << 16);
    }
}
