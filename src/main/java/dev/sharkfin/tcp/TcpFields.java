package dev.sharkfin.tcp;

import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.dissect.Tcp;
import dev.sharkfin.dissect.TcpSegment;

/**
 * Runs the TCP analysis on each TCP header of a dissected packet and appends the results to that TCP
 * layer under Wireshark's names ({@code tcp.analysis.bytes_in_flight} → {@code tcp_analysis_bytes_in_flight}).
 * Presence-only expert flags ({@code tcp.analysis.retransmission}) become {@code true}; absent ones are not
 * written. One instance per capture: the analysis keeps per-conversation state across packets.
 */
public final class TcpFields {
    private final TcpAnalyzer analyzer = new TcpAnalyzer();
    private final TcpAnalysis a = new TcpAnalysis();

    public void analyze(Packet p) {
        for (int i = 0; i < p.tcpCount(); i++) {
            TcpSegment s = p.tcp(i);
            analyzer.analyze(s, a, s.sackWithoutBlock);
            write(p, p.tcpLayer(i), s);
            // tshark's default (tcp.no_subdissector_on_error): the payload of a retransmitted or out-of-order
            // segment is not dissected; a fast or spurious retransmission's is.
            if ((a.retransmission && !a.fastRetransmission && !a.spuriousRetransmission) || a.outOfOrder) {
                p.hidePayloadOf(p.tcpLayer(i));
            }
        }
    }

    private void write(Packet p, int l, TcpSegment s) {
        p.uint(l, Tcp.STREAM, a.stream);
        p.uint(l, Tcp.COMPLETENESS, a.completeness);
        p.uint(l, Tcp.SEQ, a.seq);
        // Wireshark 4.0 shows the next sequence number on every analysed segment (= seq when nothing is sent).
        if (s.payloadLength >= 0) {
            p.uint(l, Tcp.NXTSEQ, a.nxtseq >= 0 ? a.nxtseq : a.seq);
        }
        if (a.ack >= 0) {
            p.uint(l, Tcp.ACK, a.ack);
        }
        if (a.windowSize >= 0) {
            p.uint(l, Tcp.WINDOW_SIZE, a.windowSize);
        }
        if (a.windowSizeScalefactor != 0) {
            p.sint(l, Tcp.WINDOW_SIZE_SCALEFACTOR, a.windowSizeScalefactor);
        }
        if (a.timeRelativeNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, Tcp.TIME_RELATIVE, a.timeRelativeNanos);
            p.seconds(l, Tcp.TIME_DELTA, a.timeDeltaNanos);
        }
        if (a.bytesInFlight >= 0) {
            p.uint(l, Tcp.ANALYSIS_BYTES_IN_FLIGHT, a.bytesInFlight);
        }
        if (a.pushBytesSent >= 0) {
            p.uint(l, Tcp.ANALYSIS_PUSH_BYTES_SENT, a.pushBytesSent);
        }
        if (a.acksFrame >= 0) {
            p.uint(l, Tcp.ANALYSIS_ACKS_FRAME, a.acksFrame);
        }
        if (a.ackRttNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, Tcp.ANALYSIS_ACK_RTT, a.ackRttNanos);
        }
        if (a.initialRttNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, Tcp.ANALYSIS_INITIAL_RTT, a.initialRttNanos);
        }
        flag(p, l, a.retransmission, Tcp.ANALYSIS_RETRANSMISSION);
        flag(p, l, a.fastRetransmission, Tcp.ANALYSIS_FAST_RETRANSMISSION);
        flag(p, l, a.spuriousRetransmission, Tcp.ANALYSIS_SPURIOUS_RETRANSMISSION);
        flag(p, l, a.outOfOrder, Tcp.ANALYSIS_OUT_OF_ORDER);
        flag(p, l, a.lostSegment, Tcp.ANALYSIS_LOST_SEGMENT);
        flag(p, l, a.ackLostSegment, Tcp.ANALYSIS_ACK_LOST_SEGMENT);
        flag(p, l, a.keepAlive, Tcp.ANALYSIS_KEEP_ALIVE);
        flag(p, l, a.keepAliveAck, Tcp.ANALYSIS_KEEP_ALIVE_ACK);
        flag(p, l, a.windowUpdate, Tcp.ANALYSIS_WINDOW_UPDATE);
        flag(p, l, a.windowFull, Tcp.ANALYSIS_WINDOW_FULL);
        flag(p, l, a.zeroWindow, Tcp.ANALYSIS_ZERO_WINDOW);
        flag(p, l, a.zeroWindowProbe, Tcp.ANALYSIS_ZERO_WINDOW_PROBE);
        flag(p, l, a.zeroWindowProbeAck, Tcp.ANALYSIS_ZERO_WINDOW_PROBE_ACK);
        flag(p, l, a.reusedPorts, Tcp.ANALYSIS_REUSED_PORTS);
        flag(p, l, a.duplicateAck, Tcp.ANALYSIS_DUPLICATE_ACK);
        if (a.duplicateAckNum >= 0) {
            p.uint(l, Tcp.ANALYSIS_DUPLICATE_ACK_NUM, a.duplicateAckNum);
        }
        if (a.duplicateAckFrame >= 0) {
            p.uint(l, Tcp.ANALYSIS_DUPLICATE_ACK_FRAME, a.duplicateAckFrame);
        }
        if (a.rtoNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, Tcp.ANALYSIS_RTO, a.rtoNanos);
            p.uint(l, Tcp.ANALYSIS_RTO_FRAME, a.rtoFrame);
        }
    }

    private static void flag(Packet p, int l, boolean set, Field key) {
        if (set) {
            p.bool(l, key, true);
        }
    }
}
