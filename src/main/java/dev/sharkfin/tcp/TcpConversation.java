package dev.sharkfin.tcp;

/**
 * One TCP conversation (one tcp.stream): Wireshark's {@code struct tcp_analysis}, with its two flows and the
 * conversation-wide state (timestamps, initial RTT, completeness, AccECN negotiation).
 *
 * <p>Contract: created by {@link Conversations} and mutated only by the analysis, in capture order. Flow 1 is
 * the direction Wireshark calls "fwd" when cmp_address(src, dst) (ports as tie-break) is {@code >= 0}.
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

    TcpConversation(long stream, long now) {
        this.stream = stream;
        this.tsFirst = now;
        this.tsPrev = now;
    }

    /** The flow of the segment's sender, for Wireshark's {@code direction} (see {@link ConvKey#set}). */
    FlowState forward(int direction) {
        return direction >= 0 ? flow1 : flow2;
    }

    /** The flow of the segment's receiver. */
    FlowState reverse(int direction) {
        return direction >= 0 ? flow2 : flow1;
    }
}
