package dev.sharkfin.tcp;

/**
 * Reusable per-segment output of {@link TcpAnalyzer}: what Wireshark 4.0 shows under the TCP tree for one
 * segment, as primitives. The names follow the Wireshark display-filter fields.
 *
 * <p>Convention: {@code -1} (or {@code false}) means "Wireshark shows no such field for this segment".
 * The one exception is {@link #windowSizeScalefactor}, whose -1 and -2 are real values; there, 0 means absent
 * (Wireshark shows no scale factor on SYN segments).
 *
 * <p>Single pass semantics: like {@code tshark} without {@code -2}, every value reflects what was known when the
 * segment was dissected (e.g. {@link #completeness} is the conversation state <em>before</em> this segment).
 */
public final class TcpAnalysis {
    /**
     * "Not shown" for the time fields, which can be negative (Wireshark shows a negative RTT when a capture's
     * clock goes backwards), so -1 cannot mean absent there.
     */
    public static final long ABSENT_TIME = Long.MIN_VALUE;

    /** tcp.stream */
    public long stream;
    /** tcp.seq, relative (32-bit unsigned). */
    public long seq;
    /** tcp.ack: relative on an analysed segment with the ACK flag, else as on the wire (as tshark). */
    public long ack;
    /**
     * tcp.nxtseq, relative; -1 when len == 0 and neither SYN nor FIN is set. Contract choice: tshark 4.0 still
     * prints nxtseq == seq for such segments (newer Wireshark omits it).
     */
    public long nxtseq;
    /** tcp.len as the analyzer used it. */
    public int len;
    /** tcp.window_size: the window after scaling (raw on SYN segments, which are never scaled). */
    public long windowSize;
    /** tcp.window_size_scalefactor: -1 unknown, -2 no scaling, else 2^shift; 0 = absent (SYN segments). */
    public int windowSizeScalefactor;
    /** tcp.analysis.bytes_in_flight; -1 when absent (Wireshark hides a zero value). */
    public long bytesInFlight;
    /** tcp.analysis.push_bytes_sent; -1 when absent (only shown together with bytes in flight). */
    public long pushBytesSent;

    /**
     * tcp.analysis.retransmission as a display filter sees it: Wireshark adds this expert item for plain,
     * fast and spurious retransmissions alike. {@link #fastRetransmission} / {@link #spuriousRetransmission}
     * tell the kinds apart; a plain (RTO) retransmission is {@code retransmission && !fast && !spurious}.
     */
    public boolean retransmission;
    public boolean fastRetransmission;
    public boolean spuriousRetransmission;
    public boolean outOfOrder;
    /** tcp.analysis.lost_segment ("previous segment not captured"). */
    public boolean lostSegment;
    /** tcp.analysis.ack_lost_segment ("ACKed unseen segment"). */
    public boolean ackLostSegment;
    public boolean keepAlive;
    public boolean keepAliveAck;
    public boolean windowUpdate;
    public boolean windowFull;
    public boolean zeroWindow;
    public boolean zeroWindowProbe;
    public boolean zeroWindowProbeAck;
    public boolean duplicateAck;
    public boolean reusedPorts;

    /** tcp.analysis.duplicate_ack_num / duplicate_ack_frame; -1 when absent. */
    public int duplicateAckNum;
    public long duplicateAckFrame;
    /** tcp.analysis.acks_frame; -1 when absent. */
    public long acksFrame;
    /** tcp.analysis.ack_rtt in ns; {@link #ABSENT_TIME} when absent (Wireshark hides a zero RTT). */
    public long ackRttNanos;
    /** tcp.analysis.initial_rtt in ns; {@link #ABSENT_TIME} when absent. */
    public long initialRttNanos;
    /** tcp.analysis.rto / rto_frame (plain retransmissions only); {@link #ABSENT_TIME} / -1 when absent. */
    public long rtoNanos;
    public long rtoFrame;
    /** tcp.time_relative / tcp.time_delta in ns. */
    public long timeRelativeNanos;
    public long timeDeltaNanos;
    /** tcp.completeness bitmask: 1 SYN, 2 SYN-ACK, 4 ACK, 8 DATA, 16 FIN, 32 RST. */
    public int completeness;
    /** tcp.options.sack_le / sack_re: the SACK blocks, relative to the receiver's base sequence number. */
    public int sackCount;
    public final long[] sackLe = new long[dev.sharkfin.dissect.TcpSegment.MAX_SACK];
    public final long[] sackRe = new long[dev.sharkfin.dissect.TcpSegment.MAX_SACK];
    /** The first SACK block reports a duplicate (D-SACK): tcp.options.sack.dsack_le/re are its edges. */
    public boolean dsack;
    /** A FIN: 1 when this side initiates the connection closing, 2 when it undergoes it; 0 otherwise. */
    public int finClosing;
    /** AccECN was set up by the handshake: the flag letters show the ACE counter (tcp.flags.str). */
    public boolean ace;
    /** A SYN+ACK of TCP Fast Open: {@link #TFO_ACCEPTING} (it acknowledges the SYN's data), {@link #TFO_IGNORING}; or 0. */
    public int fastOpen;
    public static final int TFO_ACCEPTING = 1, TFO_IGNORING = 2;

    /** Raw TCP_A_* bitmask (see {@link TcpAnalyzer}); 0 when nothing was flagged. */
    public int analysisFlags;

    public TcpAnalysis() {
        reset();
    }

    public void reset() {
        stream = -1;
        seq = ack = nxtseq = -1;
        len = 0;
        windowSize = -1;
        windowSizeScalefactor = 0;
        bytesInFlight = pushBytesSent = -1;
        retransmission = fastRetransmission = spuriousRetransmission = outOfOrder = false;
        lostSegment = ackLostSegment = keepAlive = keepAliveAck = false;
        windowUpdate = windowFull = zeroWindow = zeroWindowProbe = zeroWindowProbeAck = false;
        duplicateAck = reusedPorts = false;
        duplicateAckNum = -1;
        duplicateAckFrame = -1;
        acksFrame = -1;
        ackRttNanos = ABSENT_TIME;
        initialRttNanos = ABSENT_TIME;
        rtoNanos = ABSENT_TIME;
        rtoFrame = -1;
        timeRelativeNanos = timeDeltaNanos = ABSENT_TIME;
        completeness = 0;
        analysisFlags = 0;
        sackCount = 0;
        dsack = false;
        finClosing = 0;
        ace = false;
        fastOpen = 0;
    }
}
