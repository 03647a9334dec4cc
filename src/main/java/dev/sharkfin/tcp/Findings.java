package dev.sharkfin.tcp;

import static dev.sharkfin.tcp.TcpAnalyzer.A_ACK_LOST_PACKET;
import static dev.sharkfin.tcp.TcpAnalyzer.A_DUPLICATE_ACK;
import static dev.sharkfin.tcp.TcpAnalyzer.A_FAST_RETRANSMISSION;
import static dev.sharkfin.tcp.TcpAnalyzer.A_KEEP_ALIVE;
import static dev.sharkfin.tcp.TcpAnalyzer.A_KEEP_ALIVE_ACK;
import static dev.sharkfin.tcp.TcpAnalyzer.A_LOST_PACKET;
import static dev.sharkfin.tcp.TcpAnalyzer.A_OUT_OF_ORDER;
import static dev.sharkfin.tcp.TcpAnalyzer.A_RETRANSMISSION;
import static dev.sharkfin.tcp.TcpAnalyzer.A_REUSED_PORTS;
import static dev.sharkfin.tcp.TcpAnalyzer.A_SPURIOUS_RETRANSMISSION;
import static dev.sharkfin.tcp.TcpAnalyzer.A_WINDOW_FULL;
import static dev.sharkfin.tcp.TcpAnalyzer.A_WINDOW_UPDATE;
import static dev.sharkfin.tcp.TcpAnalyzer.A_ZERO_WINDOW;
import static dev.sharkfin.tcp.TcpAnalyzer.A_ZERO_WINDOW_PROBE;
import static dev.sharkfin.tcp.TcpAnalyzer.A_ZERO_WINDOW_PROBE_ACK;

/**
 * What the sequence analysis found about the current segment: Wireshark's {@code tcpd->ta} (struct tcp_acked),
 * which exists only once something was recorded, and which tcp_print_sequence_number_analysis shows.
 *
 * <p>Contract: one instance per analyzer, {@link #reset()} before every segment (the only place its fields are
 * cleared); {@link #print} copies it into the segment's {@link TcpAnalysis}.
 */
final class Findings {
    boolean exists;
    int flags;
    long frameAcked;
    long ackRtt;
    long bytesInFlight; // unsigned 32-bit value, 0 = hidden
    long pushBytes;
    int dupackNum;
    long dupackFrame;
    long rto;
    long rtoFrame;

    void reset() {
        exists = false;
        flags = 0;
        frameAcked = 0;
        ackRtt = 0;
        bytesInFlight = 0;
        pushBytes = 0;
        dupackNum = 0;
        dupackFrame = 0;
        rto = 0;
        rtoFrame = 0;
    }

    /** Marks that this segment has analysis data (Wireshark creates its tcp_acked) and adds TCP_A_* flags. */
    void flag(int flag) {
        exists = true;
        flags |= flag;
    }

    /** Whether any of the TCP_A_* {@code mask} bits was flagged. */
    boolean has(int mask) {
        return (flags & mask) != 0;
    }

    /** This segment acknowledges exactly the end of {@code frame}, sent {@code rtt} ns earlier. */
    void acked(long frame, long rtt) {
        exists = true;
        frameAcked = frame;
        ackRtt = rtt;
    }

    /** Ports tcp_print_sequence_number_analysis: {@code initialRtt} is the conversation's ts_first_rtt. */
    void print(long initialRtt, TcpAnalysis out) {
        if (!exists) {
            return;
        }
        if (frameAcked != 0) {
            out.acksFrame = frameAcked;
            if (ackRtt != 0) {
                out.ackRttNanos = ackRtt;
            }
        }
        if (initialRtt != 0) {
            out.initialRttNanos = initialRtt;
        }
        if (bytesInFlight != 0) {
            out.bytesInFlight = bytesInFlight;
            out.pushBytesSent = pushBytes;
        }
        out.analysisFlags = flags;
        if (flags != 0) {
            printFlags(out);
        }
    }

    /** The tcp.analysis.* expert items and the duplicate-ACK / RTO details that go with them. */
    private void printFlags(TcpAnalysis out) {
        int f = flags;
        out.reusedPorts = (f & A_REUSED_PORTS) != 0;
        out.retransmission = (f & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) != 0;
        out.fastRetransmission = (f & A_FAST_RETRANSMISSION) != 0;
        out.spuriousRetransmission = (f & A_SPURIOUS_RETRANSMISSION) != 0;
        out.outOfOrder = (f & A_OUT_OF_ORDER) != 0;
        out.lostSegment = (f & A_LOST_PACKET) != 0;
        out.ackLostSegment = (f & A_ACK_LOST_PACKET) != 0;
        out.windowUpdate = (f & A_WINDOW_UPDATE) != 0;
        out.windowFull = (f & A_WINDOW_FULL) != 0;
        out.keepAlive = (f & A_KEEP_ALIVE) != 0;
        out.keepAliveAck = (f & A_KEEP_ALIVE_ACK) != 0;
        out.zeroWindow = (f & A_ZERO_WINDOW) != 0;
        out.zeroWindowProbe = (f & A_ZERO_WINDOW_PROBE) != 0;
        out.zeroWindowProbeAck = (f & A_ZERO_WINDOW_PROBE_ACK) != 0;
        if (dupackNum != 0) {
            out.duplicateAck = (f & A_DUPLICATE_ACK) != 0;
            out.duplicateAckNum = dupackNum;
            out.duplicateAckFrame = dupackFrame;
        }
        if ((f & A_RETRANSMISSION) != 0 && rto != 0) {
            out.rtoNanos = rto;
            out.rtoFrame = rtoFrame;
        }
    }
}
