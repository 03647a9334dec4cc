package dev.sharkfin.tcp;

import dev.sharkfin.dissect.TcpSegment;

import java.util.Arrays;

/**
 * One direction of a TCP conversation: Wireshark's {@code tcp_flow_t} together with its
 * {@code tcp_analyze_seq_flow_info_t} (the unacked-segment list, nextseq, lastack, dupacknum, ...).
 *
 * <p>Contract: owned by one {@link TcpConversation}, mutated only by the analysis of that conversation's
 * segments, in capture order. Sequence fields are absolute 32-bit values in {@code int}s; as in Wireshark,
 * 0 in nextseq, lastack and maxseqtobeacked means "not known yet". The unacked segments are kept oldest first
 * in parallel primitive arrays that grow by doubling (capped at {@link #MAX_UNACKED}), so the steady state
 * allocates nothing; a large list is given back once everything in it was acknowledged.
 */
final class FlowState {
    /** Wireshark's TCP_MAX_UNACKED_SEGMENTS: past this, segments are no longer remembered. */
    static final int MAX_UNACKED = 10000;
    /** Wireshark's MAX_TCP_SACK_RANGES; because its store index starts at 1, only 3 blocks are ever kept. */
    static final int MAX_SACK_RANGES = 4;

    /** This side sent the conversation's first FIN (Wireshark's closing_initiator). */
    boolean closingInitiator;
    boolean baseSeqSet;
    int baseSeq;
    /** -1 unknown, -2 no scaling, else the shift (0..14). */
    int winScale = -1;
    /** Last raw window; -1 stands for Wireshark's initial G_MAXUINT32 (never equal to a 16-bit value). */
    int window = -1;
    boolean isFirstAck;
    boolean validBif = true;
    int pushBytesSent;
    boolean pushSetLast;
    int lastSegmentFlags;

    int nextseq;
    long nextseqframe;
    long nextseqtime;
    int maxseqtobeacked;
    int lastack;
    long lastacktime;
    long lastnondupack;
    int dupacknum;

    int numSackRanges;
    final int[] sackLeft = new int[MAX_SACK_RANGES];
    final int[] sackRight = new int[MAX_SACK_RANGES];

    /** Lists emptied at this capacity or more are given back (see {@link #ackedSegments}). */
    static final int KEEP_CAPACITY = 1024;
    private static final int[] NO_INTS = {};
    private static final long[] NO_LONGS = {};

    // Unacked segments, oldest first, as parallel primitive arrays; empty until the first one (a SYN flood's
    // half-open conversations have one direction that never sends).
    int count;
    int[] uSeq = NO_INTS;
    int[] uNext = NO_INTS;
    long[] uFrame = NO_LONGS;
    long[] uTs = NO_LONGS;

    /** Remembers an unacked segment [seq, next) sent in {@code frame} at {@code ts}; callers respect MAX_UNACKED. */
    void add(long frame, int seq, int next, long ts) {
        if (count == uSeq.length) {
            int cap = Math.min(MAX_UNACKED, Math.max(4, count * 2));
            uSeq = Arrays.copyOf(uSeq, cap);
            uNext = Arrays.copyOf(uNext, cap);
            uFrame = Arrays.copyOf(uFrame, cap);
            uTs = Arrays.copyOf(uTs, cap);
        }
        uSeq[count] = seq;
        uNext[count] = next;
        uFrame[count] = frame;
        uTs[count] = ts;
        count++;
    }

    /**
     * Drops the segments that {@code ack} (sent by the other side at {@code now}) covers and trims a partially
     * acknowledged one to its unacked tail; the oldest exact match (segment end == ack) gives acks_frame and
     * ack_rtt in {@code ta}. Ports the unacked-list walk at the end of tcp_analyze_sequence_number(): Wireshark
     * walks newest first and the last exact match wins, i.e. the oldest. It runs whether or not the ACK flag
     * is set, as in Wireshark.
     */
    void ackedSegments(int ack, long now, Findings ta) {
        int keep = 0;
        boolean matched = false;
        for (int i = 0; i < count; i++) {
            int useq = uSeq[i];
            int unext = uNext[i];
            if (ack == unext) {
                if (!matched) {
                    matched = true;
                    ta.acked(uFrame[i], now - uTs[i]);
                }
                continue; // delete
            }
            if (SeqNumbers.gtSeq(ack, useq) && SeqNumbers.leSeq(ack, unext)) {
                useq = ack; // partially acked: keep the unacked tail
            } else if (!SeqNumbers.gtSeq(unext, ack)) {
                continue; // fully acked: delete
            }
            uSeq[keep] = useq;
            uNext[keep] = unext;
            uFrame[keep] = uFrame[i];
            uTs[keep] = uTs[i];
            keep++;
        }
        count = keep;
        if (keep == 0 && uSeq.length >= KEEP_CAPACITY) {
            // A burst is over: the conversation's memory goes back to what it needs (the bound on all lists
            // counts capacity, see Conversations). Small lists stay, so a steady flow does not reallocate.
            uSeq = NO_INTS;
            uNext = NO_INTS;
            uFrame = NO_LONGS;
            uTs = NO_LONGS;
        }
    }

    /**
     * The sequence space the unacked segments span, highest end minus lowest start, relative to the base and
     * compared unsigned as Wireshark does (it seeds min/max from the newest segment; the result does not depend
     * on the order). Requires {@code count > 0}.
     */
    int unackedSpan() {
        int first = uSeq[count - 1] - baseSeq;
        int last = uNext[count - 1] - baseSeq;
        for (int i = 0; i < count; i++) {
            int n = uNext[i] - baseSeq;
            if (Integer.compareUnsigned(n, last) > 0) {
                last = n;
            }
            int f = uSeq[i] - baseSeq;
            if (Integer.compareUnsigned(f, first) < 0) {
                first = f;
            }
        }
        return last - first;
    }

    /** Bytes covered by the SACK blocks of this side's most recent segment (subtracted from the peer's flight). */
    int sackedBytes() {
        int delivered = 0;
        for (int i = 0; i < numSackRanges; i++) {
            delivered += sackRight[i + 1] - sackLeft[i + 1];
        }
        return delivered;
    }

    /**
     * Wireshark's push_bytes_sent: the payload sent since the last PSH, counting the segment that carries a PSH
     * and restarting after it. Returns the new count.
     */
    int pushBytes(boolean push, int seglen) {
        if (push && !pushSetLast) {
            pushBytesSent += seglen;
            pushSetLast = true;
        } else if (push) {
            pushBytesSent = seglen;
        } else if (pushSetLast) {
            pushBytesSent = seglen;
            pushSetLast = false;
        } else {
            pushBytesSent += seglen;
        }
        return pushBytesSent;
    }

    /**
     * Stores the segment's SACK blocks for the bytes-in-flight of the other side, as dissect_tcpopt_sack does:
     * at index 1.. and only while the count stays below MAX_TCP_SACK_RANGES, so a 4th block is never used.
     */
    void storeSackBlocks(TcpSegment s) {
        for (int i = 0; i < s.sackCount && i < TcpSegment.MAX_SACK; i++) {
            int n = i + 1;
            if (n >= MAX_SACK_RANGES) {
                return;
            }
            numSackRanges = n;
            sackLeft[n] = (int) s.sackLeft[i];
            sackRight[n] = (int) s.sackRight[i];
        }
    }
}
