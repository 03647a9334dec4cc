package dev.sharkfin.tcp;

/**
 * How many TCP conversations one capture's analysis evicted, by rule (see {@link ConversationLimits}): where a flow
 * seen again afterwards gets a new tcp.stream and a fresh analysis, unlike in Wireshark.
 *
 * @param closed     closed, and quiet for the closed grace
 * @param idle       quiet for the idle timeout
 * @param overCount  least recently seen, at the conversation cap
 * @param overUnacked least recently seen, at the unacked-segment cap
 */
public record ConversationEvictions(long closed, long idle, long overCount, long overUnacked) {
    public static final ConversationEvictions NONE = new ConversationEvictions(0, 0, 0, 0);

    public long total() {
        return closed + idle + overCount + overUnacked;
    }

    /** The sum of both (several analyses over parts of one capture). */
    public ConversationEvictions plus(ConversationEvictions o) {
        return new ConversationEvictions(closed + o.closed, idle + o.idle, overCount + o.overCount,
                overUnacked + o.overUnacked);
    }
}
