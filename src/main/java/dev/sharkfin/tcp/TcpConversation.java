package dev.sharkfin.tcp;

/**
 * One TCP conversation (one tcp.stream): Wireshark's {@code struct tcp_analysis}, with its two flows and the
 * conversation-wide state (timestamps, initial RTT, completeness, AccECN negotiation).
 *
 * <p>Contract: created by {@link Conversations} and mutated only by the analysis, in capture order. Flow 1 is
 * the direction Wireshark calls "fwd" when cmp_address(src, dst) (ports as tie-break) is {@code >= 0}.
 * The fields after the analysis state are {@link Conversations}' bookkeeping for eviction (its key, its place in
 * the least-recently-seen list, when it was last seen and closed, the unacked-list capacity it is charged for).
 */
final class TcpConversation {
    final long stream;
    final FlowState flow1 = new FlowState();
    final FlowState flow2 = new FlowState();
    final long tsFirst;
    long tsPrev;
    long tsMruSyn;
    long tsFirstRtt;
    int completeness;
    boolean accEcnSyn;
    boolean accEcnSynAck;
    /** A SYN carried data and a TCP Fast Open cookie (Wireshark's tfo_syn_data). */
    boolean tfoSynData;

    final ConvKey key;
    TcpConversation older;
    TcpConversation newer;
    /** Capture time (the conversations' clock) of its last segment, and of its closing; NOT_CLOSED while open. */
    long lastSeen;
    long closedAt = NOT_CLOSED;
    /** Still the table's conversation for its key (not evicted, not replaced by a port reuse). */
    boolean inTable = true;
    /** Unacked-list entries (capacity) charged to the table's total. */
    int charged;

    static final long NOT_CLOSED = Long.MIN_VALUE;

    TcpConversation(long stream, long now, ConvKey key) {
        this.stream = stream;
        this.key = key;
        this.tsFirst = now;
        this.tsPrev = now;
    }

    /** The flow of the segment's sender, for Wireshark's {@code direction} (see {@link ConvKey#set}). */
    FlowState forward(int direction) {
        return direction >= 0 ? flow1 : flow2;
    }

    /** Capacity of both flows' unacked lists, in entries. */
    int unackedCapacity() {
        return flow1.uSeq.length + flow2.uSeq.length;
    }

    /** The flow of the segment's receiver. */
    FlowState reverse(int direction) {
        return direction >= 0 ? flow2 : flow1;
    }
}
