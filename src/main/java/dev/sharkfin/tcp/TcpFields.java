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
    private final TcpAnalyzer analyzer;
    private final TcpAnalysis a = new TcpAnalysis();

    public TcpFields() {
        this(ConversationLimits.DEFAULT);
    }

    public TcpFields(ConversationLimits limits) {
        analyzer = new TcpAnalyzer(limits);
    }

    /** The conversations the analysis evicted so far, by rule (see {@link ConversationLimits}). */
    public ConversationEvictions evictions() {
        return analyzer.evictions();
    }

    public void analyze(Packet p) {
        int shift = 0; // expert messages inserted for the TCP headers before this one
        for (int i = 0; i < p.tcpCount(); i++) {
            TcpSegment s = p.tcp(i);
            analyzer.analyze(s, a, s.sackWithoutBlock);
            write(p, p.tcpLayer(i), s);
            int before = p.expertCount();
            // tshark's default (tcp.no_subdissector_on_error): the payload of a retransmitted or out-of-order
            // segment is not dissected; a fast or spurious retransmission's is.
            if ((a.retransmission && !a.fastRetransmission && !a.spuriousRetransmission) || a.outOfOrder) {
                p.hidePayloadOf(p.tcpLayer(i));
                if (s.expertAt >= 0) {
                    p.truncateExperts(Math.min(s.expertAt + shift, p.expertCount()));
                }
            }
            experts(p, s, shift);
            shift += p.expertCount() - before;
        }
    }

    /**
     * Inserts the analysis's expert messages where Wireshark's tree has them: TCP Fast Open at the acknowledgment
     * number (before the flags' chats), the closing after the FIN chat,
     * D-SACK after the SACK option, the sequence analysis after the header (before the payload's). The latest
     * place first, so the earlier places stay where they were.
     */
    private void experts(Packet p, TcpSegment s, int shift) {
        if (s.expertAt >= 0) {
            int at = Math.min(s.expertAt + shift, p.expertCount());
            TcpExperts.analysis(p, at, a);
        }
        if (a.dsack && s.sackOptionAt >= 0) {
            p.insertExpert(Math.min(s.sackOptionAt + shift, p.expertCount()), TcpExperts.DSACK);
        }
        if (a.finClosing != 0 && s.finExpertAt >= 0) {
            p.insertExpert(Math.min(s.finExpertAt + shift, p.expertCount()),
                    a.finClosing == 1 ? TcpExperts.FIN_ACTIVE : TcpExperts.FIN_PASSIVE);
        }
        if (a.fastOpen != 0 && s.ackExpertAt >= 0) {
            p.insertExpert(Math.min(s.ackExpertAt + shift, p.expertCount()),
                    a.fastOpen == TcpAnalysis.TFO_ACCEPTING ? TcpExperts.TFO_ACCEPTING : TcpExperts.TFO_IGNORING);
        }
    }

    /** The analysis's fields in the order Wireshark's tree shows them: header values first, then SEQ/ACK analysis. */
    private void write(Packet p, int l, TcpSegment s) {
        writeHeaderFields(p, l, s);
        writeSequenceAnalysis(p, l);
    }

    /** What dissect_tcp adds among the header fields: stream, relative numbers, SACK edges, window, timestamps. */
    private void writeHeaderFields(Packet p, int l, TcpSegment s) {
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
        p.string(l, Tcp.FLAGS_STR, TcpExperts.flagLetters(s.flagBits, a.ace));
        for (int i = 0; i < a.sackCount; i++) {
            p.uint(l, Tcp.OPTIONS_SACK_LE, a.sackLe[i]);
            p.uint(l, Tcp.OPTIONS_SACK_RE, a.sackRe[i]);
        }
        if (a.finClosing != 0) {
            p.bool(l, a.finClosing == 1 ? Tcp.CONNECTION_FIN_ACTIVE : Tcp.CONNECTION_FIN_PASSIVE, true);
        }
        flag(p, l, a.analysisFlags != 0, Tcp.ANALYSIS_FLAGS);
        if (a.dsack) {
            p.uint(l, Tcp.OPTIONS_SACK_DSACK_LE, a.sackLe[0]);
            p.uint(l, Tcp.OPTIONS_SACK_DSACK_RE, a.sackRe[0]);
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
    }

    /** What tcp_print_sequence_number_analysis shows: bytes in flight, ACK/RTT, the expert flags, duplicate ACK, RTO. */
    private void writeSequenceAnalysis(Packet p, int l) {
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
