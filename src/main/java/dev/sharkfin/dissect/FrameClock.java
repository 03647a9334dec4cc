package dev.sharkfin.dissect;

/**
 * The capture-wide clock behind {@code frame.time_delta} and {@code frame.time_relative}: the first frame's time and
 * the previous frame's, in capture order. Kept apart from the {@link Dissector} so that a reader that hands frames to
 * several workers can run it over every frame, in order, and give each worker the two times its frame is measured
 * from (a worker sees only some of the frames; see normalize.ParallelDocuments).
 *
 * <p>A frame without a timestamp ({@link Packet#NO_TIME}) counts as time 0, as in Wireshark; a pcapng custom block
 * (link type 65535) does not move the previous time.
 */
public final class FrameClock {
    private static final int PCAPNG_CUSTOM_BLOCK = 65535;

    private long first = Long.MIN_VALUE;
    private long previous;
    private long frameFirst;
    private long framePrevious;

    /** Moves the clock over the next frame; {@link #first()} and {@link #previous()} are then that frame's. */
    public void advance(long wireNanos, int linkType) {
        long wire = wireNanos == Packet.NO_TIME ? 0 : wireNanos;
        if (first == Long.MIN_VALUE) {
            first = wire;
            previous = wire;
        }
        frameFirst = first;
        framePrevious = previous;
        if (linkType != PCAPNG_CUSTOM_BLOCK) {
            previous = wire;
        }
    }

    /** The first frame's time (0 for a frame without one), as the last advanced frame measures from it. */
    public long first() {
        return frameFirst;
    }

    /** The time of the frame before the last advanced one (itself, for the first frame). */
    public long previous() {
        return framePrevious;
    }
}
