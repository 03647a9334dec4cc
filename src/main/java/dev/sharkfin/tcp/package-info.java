/**
 * Wireshark-faithful TCP analysis, ported from Wireshark 4.0's {@code packet-tcp.c}: streams, relative sequence
 * numbers, window scaling, bytes in flight, duplicate ACKs, retransmissions and RTT, per segment, in capture
 * order. Entry classes: {@link dev.sharkfin.tcp.TcpAnalyzer} (the analysis) and {@link dev.sharkfin.tcp.TcpFields}
 * (its results appended to a dissected packet's TCP layer); and the UDP conversations ({@code udp.stream}, times
 * within a conversation), {@link dev.sharkfin.tcp.UdpConversations}: the per-capture, per-flow state.
 * Inside, the TCP analysis follows packet-tcp.c's structure: {@code TcpAnalyzer} runs dissect_tcp's steps in
 * order, {@code SequenceAnalysis} the steps of tcp_analyze_sequence_number, on the flow table
 * ({@code Conversations}, {@code ConvKey}, {@code TcpConversation}; bounded by {@code ConversationLimits}, unlike
 * Wireshark's, with what it evicted counted in {@code ConversationEvictions}), the per-direction state ({@code FlowState}),
 * the segment being analysed and its findings ({@code Scratch}, {@code Findings}, reset in one place) and the 32-bit
 * sequence arithmetic ({@code SeqNumbers}).
 *
 * <p>May depend on {@code dissect} only; must not reach {@code api}, {@code job}, {@code capture}, {@code index},
 * {@code kibana} or {@code security}: the analysis is a function of the packets ({@code ArchitectureTest}).
 */
package dev.sharkfin.tcp;
