package dev.sharkfin.tcp;

import dev.sharkfin.dissect.Packet;

/**
 * The TCP analysis's expert information in Wireshark 4.0's words and order ({@code _ws.expert.message}), and
 * the flag letters of {@code tcp.flags.str}. Every text is made once: the hot path allocates nothing.
 */
final class TcpExperts {
    static final String DSACK = "D-SACK Sequence";
    static final String FIN_ACTIVE = "This frame initiates the connection closing";
    static final String FIN_PASSIVE = "This frame undergoes the connection closing";
    static final String REUSED_PORTS = "A new tcp session is started with the same ports as an earlier session in this trace";
    static final String RETRANSMISSION = "This frame is a (suspected) retransmission";
    static final String FAST_RETRANSMISSION = "This frame is a (suspected) fast retransmission";
    static final String SPURIOUS_RETRANSMISSION = "This frame is a (suspected) spurious retransmission";
    static final String OUT_OF_ORDER = "This frame is a (suspected) out-of-order segment";
    static final String LOST_SEGMENT = "Previous segment(s) not captured (common at capture start)";
    static final String ACK_LOST_SEGMENT = "ACKed segment that wasn't captured (common at capture start)";
    static final String WINDOW_UPDATE = "TCP window update";
    static final String WINDOW_FULL = "TCP window specified by the receiver is now completely full";
    static final String KEEP_ALIVE = "TCP keep-alive segment";
    static final String KEEP_ALIVE_ACK = "ACK to a TCP keep-alive segment";
    static final String ZERO_WINDOW_PROBE = "TCP Zero Window Probe";
    static final String ZERO_WINDOW = "TCP Zero Window segment";
    static final String ZERO_WINDOW_PROBE_ACK = "ACK to a TCP Zero Window Probe";
    static final String TFO_ACCEPTING = "TCP SYN-ACK accepting TFO data";
    static final String TFO_IGNORING = "TCP SYN-ACK ignoring TFO data";

    private static final String[] DUPLICATE_ACKS = new String[4096];
    private static final String[] LETTERS = new String[4096];
    private static final String[] ACE_LETTERS = new String[4096];
    private static final char DOT = '\u00b7';

    private TcpExperts() {
    }

    /** Inserts the sequence analysis's messages at {@code at}, in the order tcp_print_sequence_number_analysis adds them. */
    static void analysis(Packet p, int at, TcpAnalysis a) {
        int i = at;
        if (a.reusedPorts) {
            p.insertExpert(i++, REUSED_PORTS);
        }
        if (a.fastRetransmission) {
            p.insertExpert(i++, FAST_RETRANSMISSION);
        } else if (a.spuriousRetransmission) {
            p.insertExpert(i++, SPURIOUS_RETRANSMISSION);
        }
        if (a.retransmission) {
            p.insertExpert(i++, RETRANSMISSION);
        }
        if (a.outOfOrder) {
            p.insertExpert(i++, OUT_OF_ORDER);
        }
        if (a.lostSegment) {
            p.insertExpert(i++, LOST_SEGMENT);
        }
        if (a.ackLostSegment) {
            p.insertExpert(i++, ACK_LOST_SEGMENT);
        }
        if (a.windowUpdate) {
            p.insertExpert(i++, WINDOW_UPDATE);
        }
        if (a.windowFull) {
            p.insertExpert(i++, WINDOW_FULL);
        }
        if (a.keepAlive) {
            p.insertExpert(i++, KEEP_ALIVE);
        }
        if (a.keepAliveAck) {
            p.insertExpert(i++, KEEP_ALIVE_ACK);
        }
        if (a.duplicateAck) {
            p.insertExpert(i++, duplicateAck(a.duplicateAckNum));
        }
        if (a.zeroWindowProbe) {
            p.insertExpert(i++, ZERO_WINDOW_PROBE);
        }
        if (a.zeroWindow) {
            p.insertExpert(i++, ZERO_WINDOW);
        }
        if (a.zeroWindowProbeAck) {
            p.insertExpert(i, ZERO_WINDOW_PROBE_ACK);
        }
    }

    private static String duplicateAck(int n) {
        if (n < 0 || n >= DUPLICATE_ACKS.length) {
            return "Duplicate ACK (#" + n + ")";
        }
        String m = DUPLICATE_ACKS[n];
        if (m == null) {
            m = DUPLICATE_ACKS[n] = "Duplicate ACK (#" + n + ")";
        }
        return m;
    }

    /**
     * tcp.flags.str: one letter per flag bit from the reserved ones down to FIN ({@code RRRACEUAPRSF}), a middle
     * dot where the bit is off; with AccECN set up, the AE, CWR and ECE bits read as the ACE counter ({@code -5-}).
     */
    static String flagLetters(int flags, boolean ace) {
        String[] cache = ace ? ACE_LETTERS : LETTERS;
        int f = flags & 0x0fff;
        String s = cache[f];
        if (s == null) {
            s = cache[f] = letters(f, ace);
        }
        return s;
    }

    private static String letters(int flags, boolean ace) {
        String names = "RRRACEUAPRSF";
        StringBuilder b = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            if (ace && i == 3) {
                b.append('-').append((flags >> 6) & 7).append('-');
                i = 5;
                continue;
            }
            b.append((flags >> (11 - i) & 1) != 0 ? names.charAt(i) : DOT);
        }
        return b.toString();
    }
}
