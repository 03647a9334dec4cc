package dev.sharkfin.tcp;

/**
 * How much TCP conversation state one capture's analysis keeps. Wireshark keeps every conversation for the whole
 * capture; Sharkfin forgets (evicts) some, so that memory stays bounded whatever the capture: past
 * {@code maxConversations} conversations or {@code maxUnackedBytes} of unacked-segment lists, a closed conversation
 * (both FINs, or a RST) quiet for {@code closedGraceNanos} of capture time if there is one, else the least recently
 * seen; and, when {@code idleTimeoutNanos} is set, any conversation idle that long. A flow seen again after its
 * conversation was evicted starts a new conversation (a new tcp.stream, its analysis from scratch); nothing changes
 * for a capture that never reaches a cap (and has no idle timeout).
 *
 * @param maxConversations  conversations kept at once (at least 1)
 * @param idleTimeoutNanos  capture time after which a conversation with no segment is forgotten even below the
 *                          caps (0: never, the default: at the caps the least recently seen goes anyway)
 * @param closedGraceNanos  capture time after its last segment from which a closed conversation goes first at a cap
 * @param maxUnackedBytes   bytes the unacked-segment lists of all conversations may hold together (each remembered
 *                          segment costs {@value #UNACKED_ENTRY_BYTES}); at least {@link #MIN_UNACKED_BYTES}, what
 *                          one conversation can hold, so the conversation being analysed never has to go
 */
public record ConversationLimits(int maxConversations, long idleTimeoutNanos, long closedGraceNanos, long maxUnackedBytes) {
    /** Bytes one remembered unacked segment takes: seq, next (ints), frame, time (longs). */
    public static final int UNACKED_ENTRY_BYTES = 24;
    /** The unacked lists of one conversation at Wireshark's cap of 10000 segments per direction. */
    public static final long MIN_UNACKED_BYTES = 2L * FlowState.MAX_UNACKED * UNACKED_ENTRY_BYTES;
    private static final long MINUTE = 60_000_000_000L;
    /** The defaults of {@code sharkfin.tcp.*}: see the README's configuration table. */
    public static final ConversationLimits DEFAULT = new ConversationLimits(65_536, 0, 4 * MINUTE, 32L << 20);

    public ConversationLimits {
        if (maxConversations < 1) {
            throw new IllegalArgumentException("maxConversations must be at least 1, not " + maxConversations);
        }
        if (idleTimeoutNanos < 0 || closedGraceNanos < 0) {
            throw new IllegalArgumentException("idle timeout and closed grace must not be negative");
        }
        if (maxUnackedBytes < MIN_UNACKED_BYTES) {
            throw new IllegalArgumentException("maxUnackedBytes must be at least " + MIN_UNACKED_BYTES
                    + " (one conversation's unacked lists), not " + maxUnackedBytes);
        }
    }

    /**
     * One of {@code parts} analyses that share these limits (flow-affine workers, each with its own conversations):
     * the caps divided, so that all parts together keep within them; never below one conversation's worth.
     */
    public ConversationLimits shared(int parts) {
        if (parts <= 1) {
            return this;
        }
        return new ConversationLimits(Math.max(1, maxConversations / parts), idleTimeoutNanos, closedGraceNanos,
                Math.max(MIN_UNACKED_BYTES, maxUnackedBytes / parts));
    }
}
