package dev.sharkfin.capture;

/** One frame as read from a source: a holder that the source refills for every frame. */
public final class Frame {
    public byte[] data;
    public int capturedLength;
    public int originalLength;
    public long timeNanos;
    /** The capture's timestamp was outside what a nanosecond date can hold (1970 to 2262), and was clamped. */
    public boolean timeOutOfRange;
}
