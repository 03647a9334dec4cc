package dev.sharkfin.tcp;

import static dev.sharkfin.tcp.Scratch.ACK;
import static dev.sharkfin.tcp.Scratch.FIN;
import static dev.sharkfin.tcp.Scratch.PSH;
import static dev.sharkfin.tcp.Scratch.RST;
import static dev.sharkfin.tcp.Scratch.SYN;
import static dev.sharkfin.tcp.SeqNumbers.gtSeq;
import static dev.sharkfin.tcp.SeqNumbers.leSeq;
import static dev.sharkfin.tcp.SeqNumbers.ltSeq;
import static dev.sharkfin.tcp.TcpAnalyzer.A_ACK_LOST_PACKET;
import static dev.sharkfin.tcp.TcpAnalyzer.A_DUPLICATE_ACK;
import static dev.sharkfin.tcp.TcpAnalyzer.A_FAST_RETRANSMISSION;
import static dev.sharkfin.tcp.TcpAnalyzer.A_KEEP_ALIVE;
import static dev.sharkfin.tcp.TcpAnalyzer.A_KEEP_ALIVE_ACK;
import static dev.sharkfin.tcp.TcpAnalyzer.A_LOST_PACKET;
import static dev.sharkfin.tcp.TcpAnalyzer.A_OUT_OF_ORDER;
import static dev.sharkfin.tcp.TcpAnalyzer.A_RETRANSMISSION;
import static dev.sharkfin.tcp.TcpAnalyzer.A_SPURIOUS_RETRANSMISSION;
import static dev.sharkfin.tcp.TcpAnalyzer.A_WINDOW_FULL;
import static dev.sharkfin.tcp.TcpAnalyzer.A_WINDOW_UPDATE;
import static dev.sharkfin.tcp.TcpAnalyzer.A_ZERO_WINDOW;
import static dev.sharkfin.tcp.TcpAnalyzer.A_ZERO_WINDOW_PROBE;
import static dev.sharkfin.tcp.TcpAnalyzer.A_ZERO_WINDOW_PROBE_ACK;

/**
 * Wireshark 4.0's tcp_analyze_sequence_number() as ordered steps, each named after the block of packet-tcp.c
 * it ports: base sequence numbers, the flag checks (zero window probe ... duplicate ACK), "finished_fwd", ACKed
 * lost packet, retransmission / fast retransmission / spurious / out-of-order, the unacked-segment list, the
 * ACKed segments of the other side and bytes in flight.
 *
 * <p>Contract: {@link #analyze} runs on a loaded and bound {@link Scratch} whose segment has a known length;
 * it updates the two flows and records what it found in the scratch's {@link Findings}. Stateless; the order of
 * the steps is Wireshark's and matters (later checks read flags set by earlier ones).
 */
final class SequenceAnalysis {
    private static final long FAST_RETRANSMISSION_WINDOW_NANOS = 20_000_000L;
    private static final long DEFAULT_OOO_THRESHOLD_NANOS = 3_000_000L;

    private SequenceAnalysis() {
    }

    /** The body of tcp_analyze_sequence_number(); seq/ack absolute, window raw (unscaled). */
    static void analyze(Scratch x) {
        setBaseSequences(x);
        checkFlags(x);
        finishedFwd(x);
        checkAckedLostPacket(x);
        checkRetransmission(x);
        rememberUnacked(x);
        rememberLastSegment(x);
        x.rev.ackedSegments(x.ack, x.now, x.ta);
        updateBytesInFlight(x);
    }

    /**
     * Relative base: the ISN for a SYN, else seq-1 so that the first seen segment is seq 1 (bug 1542). The
     * reverse ISN comes from the first ACK (ack-1); the ACK field of a SYN is not trusted. An ACK also makes the
     * other side's bytes in flight valid again (after a lost segment).
     */
    private static void setBaseSequences(Scratch x) {
        if (!x.fwd.baseSeqSet) {
            x.fwd.baseSeq = x.any(SYN) ? x.seq : x.seq - 1;
            x.fwd.baseSeqSet = true;
        }
        if (!x.rev.baseSeqSet && x.any(ACK)) {
            x.rev.baseSeq = x.ack - 1;
            x.rev.baseSeqSet = true;
        }
        if (x.any(ACK)) {
            x.rev.validBif = true;
        }
    }

    /**
     * The checks before "finished_fwd:", in Wireshark's order; a zero window probe, keep-alive ACK or zero window
     * probe ACK ends them (Wireshark's {@code goto finished_fwd}).
     */
    private static void checkFlags(Scratch x) {
        if (checkZeroWindowProbe(x)) {
            return;
        }
        checkZeroWindow(x);
        checkLostPacket(x);
        checkKeepAlive(x);
        checkWindowUpdate(x);
        checkWindowFull(x);
        if (checkKeepAliveAck(x) || checkZeroWindowProbeAck(x)) {
            return;
        }
        checkDuplicateAck(x);
    }

    /** ZERO WINDOW PROBE: exactly 1 byte at the next expected seq while the peer's window is 0. */
    private static boolean checkZeroWindowProbe(Scratch x) {
        if (x.seglen == 1 && x.seq == x.fwd.nextseq && x.rev.window == 0) {
            x.ta.flag(A_ZERO_WINDOW_PROBE);
            return true;
        }
        return false;
    }

    /** ZERO WINDOW: this side advertises a zero window (not on RST/FIN/SYN). */
    private static void checkZeroWindow(Scratch x) {
        if (x.window == 0 && !x.any(RST | FIN | SYN)) {
            x.ta.flag(A_ZERO_WINDOW);
        }
    }

    /** LOST PACKET: beyond the highest nextseq seen (not checked on RSTs); bytes in flight invalid until an ACK. */
    private static void checkLostPacket(Scratch x) {
        if (x.fwd.nextseq != 0 && gtSeq(x.seq, x.fwd.nextseq) && !x.any(RST)) {
            x.ta.flag(A_LOST_PACKET);
            x.fwd.validBif = false; // until an ACK is seen in the other direction
        }
    }

    /**
     * KEEP ALIVE: 0 or 1 byte starting one byte before nextseq. (With nextseq unknown (0) this compares against
     * 0xFFFFFFFF, as in Wireshark.)
     */
    private static void checkKeepAlive(Scratch x) {
        if ((x.seglen == 0 || x.seglen == 1) && x.seq == x.fwd.nextseq - 1 && !x.any(SYN | FIN | RST)) {
            x.ta.flag(A_KEEP_ALIVE);
        }
    }

    /** WINDOW UPDATE: empty segment repeating seq/ack with a new, non-zero (raw) window. */
    private static void checkWindowUpdate(Scratch x) {
        if (x.window != 0 && x.window != x.fwd.window && repeatsLastAck(x)) {
            x.ta.flag(A_WINDOW_UPDATE);
        }
    }

    /**
     * WINDOW FULL: data reaching exactly the right edge of the peer's advertised window. Quirk kept: the peer
     * window is not scaled until that side has sent its first pure ACK (issue 14690), and the sum is 32-bit
     * unsigned arithmetic.
     */
    private static void checkWindowFull(Scratch x) {
        FlowState rev = x.rev;
        if (x.seglen > 0 && rev.winScale != -1 && !x.any(SYN | FIN | RST)) {
            int shift = rev.isFirstAck ? 0 : (rev.winScale == -2 ? 0 : rev.winScale);
            if (x.seq + x.seglen == rev.lastack + (rev.window << shift)) {
                x.ta.flag(A_WINDOW_FULL);
            }
        }
    }

    /** KEEP ALIVE ACK: repeats the previous ACK and the peer's last segment was a keep-alive. */
    private static boolean checkKeepAliveAck(Scratch x) {
        if (x.window != 0 && x.window == x.fwd.window && repeatsLastAck(x)
                && (x.rev.lastSegmentFlags & A_KEEP_ALIVE) != 0) {
            x.ta.flag(A_KEEP_ALIVE_ACK);
            return true;
        }
        return false;
    }

    /** ZERO WINDOW PROBE ACK: repeats the previous ACK, window still 0, after the peer's zero window probe. */
    private static boolean checkZeroWindowProbeAck(Scratch x) {
        if (x.window == 0 && x.window == x.fwd.window && repeatsLastAck(x)
                && (x.rev.lastSegmentFlags & A_ZERO_WINDOW_PROBE) != 0) {
            x.ta.flag(A_ZERO_WINDOW_PROBE_ACK);
            return true;
        }
        return false;
    }

    /**
     * DUPLICATE ACK: empty, same window/seq/ack as the previous segment in this direction. -1 marks an "ACKed
     * unseen segment" already reported (see {@link #checkAckedLostPacket}): the count restarts at 1.
     */
    private static void checkDuplicateAck(Scratch x) {
        FlowState fwd = x.fwd;
        if (x.window != 0 && x.window == fwd.window && repeatsLastAck(x)) {
            fwd.dupacknum = fwd.dupacknum == -1 ? 1 : fwd.dupacknum + 1;
            x.ta.flag(A_DUPLICATE_ACK);
            x.ta.dupackNum = fwd.dupacknum;
            x.ta.dupackFrame = fwd.lastnondupack;
        }
    }

    /** An empty, non-SYN/FIN/RST segment repeating this direction's nextseq and last ACK (window not compared). */
    private static boolean repeatsLastAck(Scratch x) {
        return x.seglen == 0 && x.seq == x.fwd.nextseq && x.ack == x.fwd.lastack && !x.any(SYN | FIN | RST);
    }

    /** finished_fwd: a changed ACK number resets the duplicate-ACK counter. */
    private static void finishedFwd(Scratch x) {
        if (x.ack != x.fwd.lastack) {
            x.fwd.lastnondupack = x.frame;
            x.fwd.dupacknum = 0;
        }
    }

    /**
     * ACKED LOST PACKET: acks beyond the highest contiguous seq we saw the other side send.
     * <ul>
     * <li>If the other side had sent data beyond a hole (LT_SEQ(maxseqtobeacked, nextseq)), report it and move the
     * boundary to nextseq, so the same hole is reported once.</li>
     * <li>Otherwise the ACK covers data never seen at all (e.g. the other direction is stalled/missing): report it
     * only once until that side's ACK number changes again, using the other side's dupacknum as a marker (-1),
     * which the duplicate-ACK counter then treats as "restart at 1".</li>
     * </ul>
     * The boundary test is a sequence-space comparison (LT_SEQ), not a plain unsigned one: the two only differ when
     * nextseq has moved past a 2^32 boundary relative to maxseqtobeacked, typically when a SYN/ACK with a new ISN
     * re-bases a flow whose first segment carried an unrelated (challenge-ACK) seq, e.g. maxseqtobeacked
     * 4080053130, nextseq 155123799. An unsigned test keeps the stale boundary there and reports every later ACK
     * of that flow's data as "ACKed unseen segment" (and the -1 marker then turns plain retransmissions into fast
     * ones); tshark 4.0.17 reports only the first, on all reference captures. (The development-branch source we
     * read has "maxseqtobeacked > nextseq", unsigned, which disagrees with tshark 4.0.17 on ordinary holes as
     * well: it is not the 4.0 rule.)
     */
    private static void checkAckedLostPacket(Scratch x) {
        FlowState rev = x.rev;
        if (rev.maxseqtobeacked == 0 || !gtSeq(x.ack, rev.maxseqtobeacked) || !x.any(ACK)) {
            return;
        }
        x.ta.exists = true;
        if (ltSeq(rev.maxseqtobeacked, rev.nextseq)) {
            rev.maxseqtobeacked = rev.nextseq;
            x.ta.flag(A_ACK_LOST_PACKET);
        } else {
            if (rev.dupacknum == 0) {
                x.ta.flag(A_ACK_LOST_PACKET);
            }
            rev.dupacknum = -1;
        }
    }

    /**
     * RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS / OUT-OF-ORDER, for segments occupying sequence space that
     * are no keep-alives; the first that applies wins. tcp.fastrt_supersedes_ooo = TRUE: fast retransmission is
     * tested before out-of-order.
     */
    private static void checkRetransmission(Scratch x) {
        if (!x.occupiesSequenceSpace() || x.ta.has(A_KEEP_ALIVE)) {
            return;
        }
        FlowState fwd = x.fwd;
        boolean seqNotAdvanced = fwd.nextseq != 0 && ltSeq(x.seq, fwd.nextseq);
        // More than one byte starting at nextseq-1 (after a possible zero window probe) adds new data.
        if (x.seglen > 1 && fwd.nextseq - 1 == x.seq) {
            seqNotAdvanced = false;
        }
        if (checkSpuriousRetransmission(x) || !seqNotAdvanced) {
            return;
        }
        if (checkFastRetransmission(x) || checkOutOfOrder(x)) {
            return;
        }
        markRetransmission(x);
    }

    /** SPURIOUS: everything in it was already acknowledged. */
    private static boolean checkSpuriousRetransmission(Scratch x) {
        if (x.seglen > 0 && x.rev.lastack != 0 && leSeq(x.seq + x.seglen, x.rev.lastack)) {
            x.ta.flag(A_SPURIOUS_RETRANSMISSION);
            return true;
        }
        return false;
    }

    /**
     * FAST RETRANSMISSION: at the peer's ACK after at least two duplicate ACKs, within 20 ms of it. Quirk kept:
     * dupacknum is unsigned in Wireshark, so the -1 "ACKed unseen segment" marker counts as ">= 2 duplicate ACKs"
     * (tshark flags such segments as fast retransmissions). Times are differences of guint64 in Wireshark: a
     * "negative" delta is huge, hence unsigned compares.
     */
    private static boolean checkFastRetransmission(Scratch x) {
        FlowState rev = x.rev;
        long sinceDupAck = x.now - rev.lastacktime;
        if (Integer.compareUnsigned(rev.dupacknum, 2) >= 0 && rev.lastack == x.seq
                && Long.compareUnsigned(sinceDupAck, FAST_RETRANSMISSION_WINDOW_NANOS) < 0) {
            x.ta.flag(A_FAST_RETRANSMISSION);
            return true;
        }
        return false;
    }

    /** OUT-OF-ORDER: sooner after nextseq advanced than the initial RTT (3 ms if unknown), not ending at it. */
    private static boolean checkOutOfOrder(Scratch x) {
        FlowState fwd = x.fwd;
        long sinceNext = x.now - fwd.nextseqtime;
        long oooThreshold = x.conv.tsFirstRtt == 0 ? DEFAULT_OOO_THRESHOLD_NANOS : x.conv.tsFirstRtt;
        if (Long.compareUnsigned(sinceNext, oooThreshold) < 0 && fwd.nextseq != x.seq + x.seglen + x.synFinLength()) {
            x.ta.flag(A_OUT_OF_ORDER);
            return true;
        }
        return false;
    }

    /** RETRANSMISSION, with its RTO reference: the oldest unacked segment, else the segment that set nextseq. */
    private static void markRetransmission(Scratch x) {
        FlowState fwd = x.fwd;
        x.ta.flag(A_RETRANSMISSION);
        if (fwd.count > 0) {
            x.ta.rto = x.now - fwd.uTs[0];
            x.ta.rtoFrame = fwd.uFrame[0];
        } else {
            x.ta.rto = x.now - fwd.nextseqtime;
            x.ta.rtoFrame = fwd.nextseqframe;
        }
    }

    /**
     * Remembers this segment as unacked (if it occupies sequence space and the list is not full), then advances
     * nextseq (the highest seen) and maxseqtobeacked (the highest contiguous, for "ACKed unseen segment"); zero
     * window probes advance neither.
     */
    private static void rememberUnacked(Scratch x) {
        FlowState fwd = x.fwd;
        int nextseq = x.seq + x.seglen;
        if (x.occupiesSequenceSpace() && fwd.count < FlowState.MAX_UNACKED) {
            // Quirk kept: the SYN/FIN +1 is only applied on this path, so with a full list nextseq lacks it.
            nextseq += x.synFinLength();
            fwd.add(x.frame, x.seq, nextseq, x.now);
        }
        if (x.ta.has(A_ZERO_WINDOW_PROBE)) {
            return;
        }
        if (gtSeq(nextseq, fwd.nextseq) || fwd.nextseq == 0) {
            fwd.nextseq = nextseq;
            fwd.nextseqframe = x.frame;
            fwd.nextseqtime = x.now;
        }
        if (x.seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0) {
            fwd.maxseqtobeacked = fwd.nextseq;
        }
    }

    /**
     * The window, ACK and flags of this direction's last segment, which the next segment's window-update,
     * duplicate-ACK, keep-alive-ACK and zero-window-probe-ACK checks compare against. Quirk kept: lastack is
     * stored even when the ACK flag is not set, as in Wireshark.
     */
    private static void rememberLastSegment(Scratch x) {
        FlowState fwd = x.fwd;
        fwd.window = x.window;
        fwd.lastack = x.ack;
        fwd.lastacktime = x.now;
        fwd.lastSegmentFlags = x.ta.flags;
    }

    /**
     * BYTES IN FLIGHT (payload based, the default: the unacked span minus the peer's latest SACKed bytes) and
     * PUSH BYTES SENT, for data segments while bytes in flight are valid.
     */
    private static void updateBytesInFlight(Scratch x) {
        FlowState fwd = x.fwd;
        if (x.seglen == 0 || fwd.count == 0 || !fwd.validBif) {
            return;
        }
        int inFlight = fwd.unackedSpan() - x.rev.sackedBytes();
        if (inFlight != 0 && Integer.compareUnsigned(inFlight, 2_000_000_000) < 0) {
            x.ta.exists = true;
            int bif = inFlight - x.synFinLength(); // SYN/FIN occupy a virtual byte
            x.ta.bytesInFlight = bif & 0xFFFFFFFFL;
        }
        x.ta.exists = true;
        x.ta.pushBytes = fwd.pushBytes(x.any(PSH), x.seglen) & 0xFFFFFFFFL;
    }
}
