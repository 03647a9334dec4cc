package dev.sharkfin.capture;

/**
 * Frames in capture order. Single-threaded. A source that meets a damaged record stops there and says
 * so in {@link #warning()}: what came before is kept.
 */
public interface PacketSource extends AutoCloseable {
    /** The link-layer header type (LINKTYPE_/DLT_ number). */
    int linkType();

    /** Fills {@code frame} with the next frame; false at the end. */
    boolean next(Frame frame);

    /** Capture bytes consumed so far (an estimate where the reader does not tell). */
    long bytesRead();

    /** Null, or why reading ended before the end of the file. */
    String warning();

    @Override
    void close();
}
