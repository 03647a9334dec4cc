package dev.sharkfin.capture;

/** One frame as read from a source: a holder that the source refills for every frame. */
public final class Frame {
    /**
     * The link type given to pcapng custom blocks, which Wireshark shows as frames of their own: the frame's
     * data is the block's custom data (after its private enterprise number).
     */
    public static final int PCAPNG_CUSTOM_BLOCK = 65535;

    public byte[] data;
    public int capturedLength;
    public int originalLength;
    public long timeNanos;
    /** The link-layer header type of this frame (pcapng interfaces may differ). */
    public int linkType;
    /** The capture's timestamp was outside what a nanosecond date can hold (1970 to 2262), and was clamped. */
    public boolean timeOutOfRange;
    /**
     * The timestamp as the capture has it, in nanoseconds modulo 2^64: equal to {@link #timeNanos} unless that
     * was clamped. Differences between frames (RTTs, deltas) are taken from it, as Wireshark takes them from
     * the capture's own clock, however wrong its absolute value.
     */
    public long wireNanos;
    /**
     * The frame's comments (a pcapng packet block's opt_comment options, in order; empty otherwise), which
     * Wireshark shows as expert items before the frame's. Cleared by the reader for every frame.
     */
    public final java.util.List<String> comments = new java.util.ArrayList<>(0);

    /**
     * {@link #wireNanos} of a frame the capture gives no timestamp (a pcapng simple packet block): Wireshark shows
     * it without time fields. Its {@link #timeNanos} (what it is indexed at) is the previous frame's.
     */
    public static final long NO_TIME = Long.MIN_VALUE;
}
