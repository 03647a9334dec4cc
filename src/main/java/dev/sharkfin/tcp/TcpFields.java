package dev.sharkfin.tcp;

import dev.sharkfin.dissect.Packet;
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
        p.uint(l, "tcp_stream", a.stream);
        p.uint(l, "tcp_completeness", a.completeness);
        p.uint(l, "tcp_seq", a.seq);
        // Wireshark 4.0 shows the next sequence number on every analysed segment (= seq when nothing is sent).
        if (s.payloadLength >= 0) {
            p.uint(l, "tcp_nxtseq", a.nxtseq >= 0 ? a.nxtseq : a.seq);
        }
        if (a.ack >= 0) {
            p.uint(l, "tcp_ack", a.ack);
        }
        if (a.windowSize >= 0) {
            p.uint(l, "tcp_window_size", a.windowSize);
        }
        if (a.windowSizeScalefactor != 0) {
            p.sint(l, "tcp_window_size_scalefactor", a.windowSizeScalefactor);
        }
        if (a.timeRelativeNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, "tcp_time_relative", a.timeRelativeNanos);
            p.seconds(l, "tcp_time_delta", a.timeDeltaNanos);
        }
        if (a.bytesInFlight >= 0) {
            p.uint(l, "tcp_analysis_bytes_in_flight", a.bytesInFlight);
        }
        if (a.pushBytesSent >= 0) {
            p.uint(l, "tcp_analysis_push_bytes_sent", a.pushBytesSent);
        }
        if (a.acksFrame >= 0) {
            p.uint(l, "tcp_analysis_acks_frame", a.acksFrame);
        }
        if (a.ackRttNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, "tcp_analysis_ack_rtt", a.ackRttNanos);
        }
        if (a.initialRttNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, "tcp_analysis_initial_rtt", a.initialRttNanos);
        }
        flag(p, l, a.retransmission, "tcp_analysis_retransmission");
        flag(p, l, a.fastRetransmission, "tcp_analysis_fast_retransmission");
        flag(p, l, a.spuriousRetransmission, "tcp_analysis_spurious_retransmission");
        flag(p, l, a.outOfOrder, "tcp_analysis_out_of_order");
        flag(p, l, a.lostSegment, "tcp_analysis_lost_segment");
        flag(p, l, a.ackLostSegment, "tcp_analysis_ack_lost_segment");
        flag(p, l, a.keepAlive, "tcp_analysis_keep_alive");
        flag(p, l, a.keepAliveAck, "tcp_analysis_keep_alive_ack");
        flag(p, l, a.windowUpdate, "tcp_analysis_window_update");
        flag(p, l, a.windowFull, "tcp_analysis_window_full");
        flag(p, l, a.zeroWindow, "tcp_analysis_zero_window");
        flag(p, l, a.zeroWindowProbe, "tcp_analysis_zero_window_probe");
        flag(p, l, a.zeroWindowProbeAck, "tcp_analysis_zero_window_probe_ack");
        flag(p, l, a.reusedPorts, "tcp_analysis_reused_ports");
        flag(p, l, a.duplicateAck, "tcp_analysis_duplicate_ack");
        if (a.duplicateAckNum >= 0) {
            p.uint(l, "tcp_analysis_duplicate_ack_num", a.duplicateAckNum);
        }
        if (a.duplicateAckFrame >= 0) {
            p.uint(l, "tcp_analysis_duplicate_ack_frame", a.duplicateAckFrame);
        }
        if (a.rtoNanos != TcpAnalysis.ABSENT_TIME) {
            p.seconds(l, "tcp_analysis_rto", a.rtoNanos);
            p.uint(l, "tcp_analysis_rto_frame", a.rtoFrame);
        }
    }

    private static void flag(Packet p, int l, boolean set, String key) {
        if (set) {
            p.bool(l, key, true);
        }
    }
}
