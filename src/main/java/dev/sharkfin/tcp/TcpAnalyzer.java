package dev.sharkfin.tcp;

import dev.sharkfin.dissect.TcpSegment;

import java.util.HashMap;

/**
 * Wireshark-faithful TCP sequence analysis (tcp.stream, relative seq/ack, window scaling, bytes in flight and
 * the tcp.analysis.* flags), modelled on Wireshark 4.0's {@code epan/dissectors/packet-tcp.c} with default
 * preferences, {@code tcp.analyze_sequence_numbers}, {@code tcp.track_bytes_in_flight}, relative sequence
 * numbers, {@code tcp.fastrt_supersedes_ooo} (default TRUE) and a single pass (tshark without -2).
 *
 * <p>Contract: one instance per capture, single-threaded, segments fed in capture order. The analyzer never
 * keeps a reference to the {@link TcpSegment}; it copies the primitives it needs. The steady-state path
 * allocates nothing: conversations are looked up with a reusable probe key; the only allocations are a new
 * conversation (key + state) and growth of a direction's unacked-segment arrays (capped at 10000 entries,
 * Wireshark's TCP_MAX_UNACKED_SEGMENTS).
 *
 * <p>Sequence arithmetic is done on Java {@code int}s: the 32-bit wrap is free, and Wireshark's
 * GT_SEQ/LT_SEQ ("signed difference") comparisons become {@code (b - a) < 0}. Where Wireshark compares
 * unsigned values directly (not via *_SEQ), we do the same with {@link Integer#compareUnsigned}. Wireshark
 * also uses 0 as "not known yet" for several sequence fields (nextseq, lastack, maxseqtobeacked); that quirk
 * is kept, so a real value of 0 behaves as unknown, exactly as in Wireshark.
 */
public final class TcpAnalyzer {

    // TCP_A_* bits, same values as packet-tcp.c (exposed through TcpAnalysis.analysisFlags).
    public static final int A_RETRANSMISSION = 0x0001;
    public static final int A_LOST_PACKET = 0x0002;
    public static final int A_ACK_LOST_PACKET = 0x0004;
    public static final int A_KEEP_ALIVE = 0x0008;
    public static final int A_DUPLICATE_ACK = 0x0010;
    public static final int A_ZERO_WINDOW = 0x0020;
    public static final int A_ZERO_WINDOW_PROBE = 0x0040;
    public static final int A_ZERO_WINDOW_PROBE_ACK = 0x0080;
    public static final int A_KEEP_ALIVE_ACK = 0x0100;
    public static final int A_OUT_OF_ORDER = 0x0200;
    public static final int A_FAST_RETRANSMISSION = 0x0400;
    public static final int A_WINDOW_UPDATE = 0x0800;
    public static final int A_WINDOW_FULL = 0x1000;
    public static final int A_REUSED_PORTS = 0x2000;
    public static final int A_SPURIOUS_RETRANSMISSION = 0x4000;

    public static final int COMPLETENESS_SYNSENT = 0x01, COMPLETENESS_SYNACK = 0x02, COMPLETENESS_ACK = 0x04,
            COMPLETENESS_DATA = 0x08, COMPLETENESS_FIN = 0x10, COMPLETENESS_RST = 0x20;

    /** Wireshark's TCP_MAX_UNACKED_SEGMENTS: past this, segments are no longer remembered. */
    static final int MAX_UNACKED = 10000;
    /** Wireshark's MAX_TCP_SACK_RANGES; because its store index starts at 1, only 3 blocks are ever kept. */
    private static final int MAX_SACK_RANGES = 4;

    private static final int FIN = TcpSegment.FIN, SYN = TcpSegment.SYN, RST = TcpSegment.RST,
            PSH = TcpSegment.PSH, ACK = TcpSegment.ACK;

    private static final long FAST_RETRANSMISSION_WINDOW_NANOS = 20_000_000L;
    private static final long DEFAULT_OOO_THRESHOLD_NANOS = 3_000_000L;

    private final HashMap<ConvKey, Conv> conversations = new HashMap<>();
    private final ConvKey probe = new ConvKey();
    private final FtpDataConversations ftpData = new FtpDataConversations();
    private long streamCount;

    // ---- per-segment "tcp_acked" (Wireshark's tcpd->ta), reset for every segment ----
    private boolean taExists;
    private int taFlags;
    private long taFrameAcked;
    private long taAckRtt;
    private long taBytesInFlight; // unsigned 32-bit value, 0 = hidden
    private long taPushBytes;
    private int taDupackNum;
    private long taDupackFrame;
    private long taRto;
    private long taRtoFrame;

    /** Number of TCP conversations (streams) created so far. */
    public long streamCount() {
        return streamCount;
    }

    /** Same as {@link #analyze(TcpSegment, TcpAnalysis, boolean)} for a header without a block-less SACK option. */
    public void analyze(TcpSegment s, TcpAnalysis out) {
        analyze(s, out, false);
    }

    /**
     * Analyzes one segment and fills {@code out} (reset first).
     *
     * @param sackWithoutBlock the header carries a SACK option (kind 5) too short to hold one complete block
     *        (option length 2..9). {@link TcpSegment} cannot express this (its {@code sackCount} is 0 both for
     *        no option and for such an option), yet Wireshark 4.0 reacts to it (see {@code optionsThrow}).
     */
    public void analyze(TcpSegment s, TcpAnalysis out, boolean sackWithoutBlock) {
        out.reset();
        taExists = false;
        taFlags = 0;
        taFrameAcked = 0;
        taAckRtt = 0;
        taBytesInFlight = 0;
        taPushBytes = 0;
        taDupackNum = 0;
        taDupackFrame = 0;
        taRto = 0;
        taRtoFrame = 0;

        final long now = s.timeNanos;
        final int flags = s.flags;
        final int seq = (int) s.seq;
        final int ack = (int) s.ack;
        final boolean haveLen = s.payloadLength >= 0;
        final int seglen = haveLen ? s.payloadLength : 0;

        // ---- conversation lookup (find_conversation_pinfo / conversation_new) ----
        int direction = probe.set(s);
        Conv conv = conversations.get(probe);
        boolean conversationIsNew = false;
        if (conv == null) {
            conv = new Conv(streamCount++, now);
            conversations.put(probe.copy(), conv);
            // An FTP data connection's conversation was opened by the passive-mode reply (see FtpDataConversations).
            conversationIsNew = !ftpData.claim(s);
        }
        if (haveLen) {
            ftpData.read(s);
        }
        // Wireshark: direction = cmp_address(src, dst), ports as tie-break; >= 0 means flow1 is "fwd".
        Flow fwd = direction >= 0 ? conv.flow1 : conv.flow2;
        Flow rev = direction >= 0 ? conv.flow2 : conv.flow1;

        // ---- port reuse ----
        if ((flags & (SYN | ACK)) == SYN && fwd.baseSeqSet) {
            if (seq != fwd.baseSeq) {
                // A new SYN with another ISN: a new conversation, hence a new tcp.stream, replaces the old one
                // for all later lookups.
                conv = new Conv(streamCount++, now);
                conversations.put(probe.copy(), conv);
                fwd = direction >= 0 ? conv.flow1 : conv.flow2;
                rev = direction >= 0 ? conv.flow2 : conv.flow1;
                ta(A_REUSED_PORTS);
                // "a new conversation starting with a SYN implies conversation completeness value 1";
                // conversationIsNew stays false, as in Wireshark, so the SYN adds nothing further.
                conv.completeness = COMPLETENESS_SYNSENT;
            } else {
                // Same ISN: a SYN retransmission. Wireshark 4.0 restores nextseq (issue 17616: a RST may carry
                // SEQ == the ACK received, which pushed nextseq away) but does not flag port reuse.
                fwd.nextseq = fwd.maxseqtobeacked;
            }
        }
        if ((flags & (SYN | ACK)) == (SYN | ACK) && fwd.baseSeqSet && seq != fwd.baseSeq) {
            // SYN/ACK with another ISN: Wireshark keeps the (same) conversation, rebases the flow (issue 16944)
            // and flags it as reused ports.
            fwd.baseSeq = seq;
            ta(A_REUSED_PORTS);
        }

        out.stream = conv.stream;
        out.completeness = conv.completeness; // shown before this segment updates it (single pass)
        fwd.numSackRanges = 0;

        // ---- conversation timestamps ----
        out.timeDeltaNanos = now - conv.tsPrev;
        conv.tsPrev = now;
        out.timeRelativeNanos = now - conv.tsFirst;

        // ---- sequence analysis, relative numbers, window scaling ----
        int win = s.window;
        long winOut = win & 0xFFFFL;
        if (haveLen) {
            analyzeSequence(now, s.frameNumber, seq, ack, seglen, flags, win, conv, fwd, rev);
            int relSeq = seq - fwd.baseSeq;
            out.seq = relSeq & 0xFFFFFFFFL;
            out.ack = (flags & ACK) != 0 ? (ack - rev.baseSeq) & 0xFFFFFFFFL : ack & 0xFFFFFFFFL;
            if ((flags & SYN) == 0) { // SYNs are never scaled
                if (fwd.winScale >= 0) {
                    // Wireshark shifts a guint32, so the result is truncated to 32 bits.
                    winOut = (winOut << fwd.winScale) & 0xFFFFFFFFL;
                }
                // -1 (unknown): the tcp.default_window_scaling preference is "Not known": no scaling.
            }
            int nxt = relSeq + seglen + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
            if (seglen > 0 || (flags & (SYN | FIN)) != 0) {
                out.nxtseq = nxt & 0xFFFFFFFFL;
            }
        } else {
            out.seq = seq & 0xFFFFFFFFL;
            out.ack = ack & 0xFFFFFFFFL;
        }
        out.len = seglen;
        out.windowSize = winOut;
        // The ack as dissect_tcp holds it when the options are dissected: relative only after the analysis ran
        // on an ACK segment (same condition as out.ack being relative above).
        int shownAck = haveLen && (flags & ACK) != 0 ? ack - rev.baseSeq : ack;
        final boolean optionsAborted = sackWithoutBlock && optionsThrow(shownAck);
        if ((flags & SYN) == 0) {
            out.windowSizeScalefactor = fwd.winScale >= 0 ? 1 << fwd.winScale : fwd.winScale;
        }

        // ---- conversation completeness ----
        int completeness = 0;
        if (conversationIsNew) { // a pure SYN counts only when it opened the conversation
            if ((flags & (SYN | ACK)) == SYN) {
                completeness |= COMPLETENESS_SYNSENT;
                if (seglen > 0) {
                    completeness |= COMPLETENESS_DATA; // TCP Fast Open
                }
            }
        } else {
            completeness = conv.completeness;
            if ((flags & (SYN | ACK)) == (SYN | ACK)) {
                completeness |= COMPLETENESS_SYNACK;
            }
            if ((flags & (SYN | ACK)) == ACK) {
                completeness |= seglen > 0 ? COMPLETENESS_DATA : COMPLETENESS_ACK;
            }
            if ((flags & (FIN | ACK)) == (FIN | ACK)) {
                completeness |= COMPLETENESS_FIN;
            }
            if ((flags & RST) != 0) {
                completeness |= COMPLETENESS_RST;
            }
        }
        conv.completeness = completeness;

        closingAndAccEcn(flags, conv, fwd, rev, out);
        // SACK edges relative to the receiver's base (Wireshark's base_ack), as the options show them.
        if (!optionsAborted) {
            sackEdges(s, shownAck, rev.baseSeq, out);
        }

        // ---- handshake bookkeeping: most recent SYN, initial RTT, first-ACK marker ----
        if ((flags & SYN) != 0) {
            if ((flags & ACK) == 0) {
                conv.tsMruSyn = now;
            }
            fwd.isFirstAck = true;
        }
        if ((flags & (SYN | ACK)) == ACK) {
            // Quirk kept: Wireshark tests the times against zero, so an initial RTT of exactly 0 ns is
            // "not measured yet" and the next pure ACK measures again.
            if (conv.tsMruSyn != 0 && conv.tsFirstRtt == 0) {
                conv.tsFirstRtt = now - conv.tsMruSyn;
            }
            fwd.isFirstAck = false;
        }

        // ---- options, dissected after the analysis of this segment ----
        if (s.windowScale >= 0) {
            // Stored from any segment carrying the option (not only SYNs); shifts above 14 are clamped.
            fwd.winScale = Math.min(s.windowScale, 14);
        }
        // When the option dissection aborts (see optionsThrow), the block-less SACK option has already reset the
        // stored count to 0 and no later option is dissected, so no SACK block is kept for this segment.
        for (int i = 0; !optionsAborted && i < s.sackCount && i < TcpSegment.MAX_SACK; i++) {
            // Wireshark stores SACK blocks at index 1.. and only while the count stays below
            // MAX_TCP_SACK_RANGES, so a 4th block is never used for bytes in flight.
            int n = i + 1;
            if (n >= MAX_SACK_RANGES) {
                break;
            }
            fwd.numSackRanges = n;
            fwd.sackLeft[n] = (int) s.sackLeft[i];
            fwd.sackRight[n] = (int) s.sackRight[i];
        }

        // ---- verify_tcp_window_scaling (never reached when the option dissection aborted) ----
        if ((flags & SYN) != 0 && !optionsAborted) {
            if (fwd.winScale == -1) {
                // No WS option on this SYN (or SYN/ACK): scaling is off in both directions.
                fwd.winScale = -2;
                rev.winScale = -2;
            } else if ((flags & ACK) != 0 && rev.winScale == -2) {
                // SYN/ACK offers WS but the SYN did not: endpoints will not scale.
                fwd.winScale = -2;
            }
        }

        // ---- print: what tcp_print_sequence_number_analysis shows ----
        // Skipped when the option dissection aborted: the analysis above did run (its state changes stay, e.g.
        // the ACKed segments are gone from the unacked list), but tshark shows none of it for this segment.
        if (taExists && !optionsAborted) {
            if (taFrameAcked != 0) {
                out.acksFrame = taFrameAcked;
                if (taAckRtt != 0) {
                    out.ackRttNanos = taAckRtt;
                }
            }
            if (conv.tsFirstRtt != 0) {
                out.initialRttNanos = conv.tsFirstRtt;
            }
            if (taBytesInFlight != 0) {
                out.bytesInFlight = taBytesInFlight;
                out.pushBytesSent = taPushBytes;
            }
            int f = taFlags;
            out.analysisFlags = f;
            if (f != 0) {
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
                if (taDupackNum != 0) {
                    out.duplicateAck = (f & A_DUPLICATE_ACK) != 0;
                    out.duplicateAckNum = taDupackNum;
                    out.duplicateAckFrame = taDupackFrame;
                }
                if ((f & A_RETRANSMISSION) != 0 && taRto != 0) {
                    out.rtoNanos = taRto;
                    out.rtoFrame = taRtoFrame;
                }
            }
        }
    }

    /**
     * Whether Wireshark 4.0's option dissection throws (and the frame turns "Malformed Packet") for a header
     * with a block-less SACK option. dissect_tcpopt_sack ends with the D-SACK test
     * {@code LE_SEQ(tcph->sack_right_edge[0], tcph->th_ack)}; with no complete block, sack_right_edge[0] is
     * still 0, so the test holds whenever LE_SEQ(0, ack) does, and it then reads the first block's edges with
     * tvb_get_ntohl() past the end of the option: a bounds exception. dissect_tcp had already run the sequence
     * analysis, the initial-RTT bookkeeping and printed the conversation timestamps; everything after the
     * options is lost: tcp_print_sequence_number_analysis, verify_tcp_window_scaling and any later option.
     * {@code shownAck} is tcph->th_ack at that point: relative on analyzed ACK segments, else raw.
     * Limitation: TcpSegment keeps no option order, so a window-scale option is still used even if it came
     * after the SACK option (Wireshark would not have dissected it); block-less SACK options show up on
     * ACKs of established flows, where no WS option is sent.
     */
    static boolean optionsThrow(int shownAck) {
        return leSeq(0, shownAck);
    }

    /**
     * Who closes (a FIN of the side that sent none before the other did "initiates" the closing, else it
     * "undergoes" it) and whether the handshake set up AccECN: a SYN with AE, CWR and ECE, a SYN/ACK with
     * exactly one of AE and CWR; the pure ACKs of such a conversation show the ACE counter in their flag letters.
     */
    private static void closingAndAccEcn(int flags, Conv conv, Flow fwd, Flow rev, TcpAnalysis out) {
        if ((flags & FIN) != 0) {
            if (rev.closingInitiator) {
                out.finClosing = 2;
            } else {
                fwd.closingInitiator = true;
                out.finClosing = 1;
            }
        }
        int ecn = flags & (TcpSegment.AE | TcpSegment.CWR | TcpSegment.ECE);
        if ((flags & (SYN | ACK)) == SYN) {
            conv.accEcnSyn = ecn == (TcpSegment.AE | TcpSegment.CWR | TcpSegment.ECE);
        } else if ((flags & (SYN | ACK)) == (SYN | ACK)) {
            int aeCwr = flags & (TcpSegment.AE | TcpSegment.CWR);
            conv.accEcnSynAck = aeCwr == TcpSegment.AE || aeCwr == TcpSegment.CWR;
        }
        out.ace = (flags & SYN) == 0 && conv.accEcnSyn && conv.accEcnSynAck;
    }

    /** The SACK blocks relative to {@code base}; D-SACK when the first lies below the ACK or within the second. */
    private static void sackEdges(TcpSegment s, int shownAck, int base, TcpAnalysis out) {
        int n = Math.min(s.sackCount, TcpSegment.MAX_SACK);
        for (int i = 0; i < n; i++) {
            out.sackLe[i] = ((int) s.sackLeft[i] - base) & 0xFFFFFFFFL;
            out.sackRe[i] = ((int) s.sackRight[i] - base) & 0xFFFFFFFFL;
        }
        out.sackCount = n;
        if (n > 0) {
            int re0 = (int) out.sackRe[0];
            out.dsack = leSeq(re0, shownAck) || n > 1 && ltSeq((int) out.sackLe[1], re0) && leSeq(re0, (int) out.sackRe[1]);
        }
    }

    /** Marks that this segment has analysis data (Wireshark creates its tcp_acked) and adds flags. */
    private void ta(int flag) {
        taExists = true;
        taFlags |= flag;
    }

    private static boolean gtSeq(int x, int y) {
        return (y - x) < 0;
    }

    private static boolean ltSeq(int x, int y) {
        return (x - y) < 0;
    }

    private static boolean leSeq(int x, int y) {
        return (x - y) <= 0;
    }

    /** The body of Wireshark's tcp_analyze_sequence_number(); seq/ack absolute, window raw (unscaled). */
    private void analyzeSequence(long now, long frame, int seq, int ack, int seglen, int flags, int window,
                                 Conv conv, Flow fwd, Flow rev) {
        // Relative base: the ISN for a SYN, else seq-1 so that the first seen segment is seq 1 (bug 1542).
        if (!fwd.baseSeqSet) {
            fwd.baseSeq = (flags & SYN) != 0 ? seq : seq - 1;
            fwd.baseSeqSet = true;
        }
        // The reverse ISN comes from the first ACK (ack-1); the ACK field of a SYN is not trusted.
        if (!rev.baseSeqSet && (flags & ACK) != 0) {
            rev.baseSeq = ack - 1;
            rev.baseSeqSet = true;
        }
        if ((flags & ACK) != 0) {
            rev.validBif = true;
        }

        checks:
        {
            // ZERO WINDOW PROBE: exactly 1 byte at the next expected seq while the peer's window is 0.
            if (seglen == 1 && seq == fwd.nextseq && rev.window == 0) {
                ta(A_ZERO_WINDOW_PROBE);
                break checks;
            }
            // ZERO WINDOW
            if (window == 0 && (flags & (RST | FIN | SYN)) == 0) {
                ta(A_ZERO_WINDOW);
            }
            // LOST PACKET: beyond the highest nextseq seen (not checked on RSTs).
            if (fwd.nextseq != 0 && gtSeq(seq, fwd.nextseq) && (flags & RST) == 0) {
                ta(A_LOST_PACKET);
                fwd.validBif = false; // until an ACK is seen in the other direction
            }
            // KEEP ALIVE: 0 or 1 byte starting one byte before nextseq. (With nextseq unknown (0) this compares
            // against 0xFFFFFFFF, as in Wireshark.)
            if ((seglen == 0 || seglen == 1) && seq == fwd.nextseq - 1 && (flags & (SYN | FIN | RST)) == 0) {
                ta(A_KEEP_ALIVE);
            }
            // WINDOW UPDATE: empty segment repeating seq/ack with a new, non-zero (raw) window.
            if (seglen == 0 && window != 0 && window != fwd.window && seq == fwd.nextseq && ack == fwd.lastack
                    && (flags & (SYN | FIN | RST)) == 0) {
                ta(A_WINDOW_UPDATE);
            }
            // WINDOW FULL: data reaching exactly the right edge of the peer's advertised window. Quirk kept:
            // the peer window is not scaled until that side has sent its first pure ACK (issue 14690), and
            // the sum is 32-bit unsigned arithmetic.
            if (seglen > 0 && rev.winScale != -1 && (flags & (SYN | FIN | RST)) == 0) {
                int shift = rev.isFirstAck ? 0 : (rev.winScale == -2 ? 0 : rev.winScale);
                if (seq + seglen == rev.lastack + (rev.window << shift)) {
                    ta(A_WINDOW_FULL);
                }
            }
            // KEEP ALIVE ACK: repeats the previous ACK and the peer's last segment was a keep-alive.
            if (seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack
                    && (rev.lastSegmentFlags & A_KEEP_ALIVE) != 0 && (flags & (SYN | FIN | RST)) == 0) {
                ta(A_KEEP_ALIVE_ACK);
                break checks;
            }
            // ZERO WINDOW PROBE ACK
            if (seglen == 0 && window == 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack
                    && (rev.lastSegmentFlags & A_ZERO_WINDOW_PROBE) != 0 && (flags & (SYN | FIN | RST)) == 0) {
                ta(A_ZERO_WINDOW_PROBE_ACK);
                break checks;
            }
            // DUPLICATE ACK: empty, same window/seq/ack as the previous segment in this direction.
            if (seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack
                    && (flags & (SYN | FIN | RST)) == 0) {
                // -1 marks an "ACKed unseen segment" already reported (see below): the count restarts at 1.
                fwd.dupacknum = fwd.dupacknum == -1 ? 1 : fwd.dupacknum + 1;
                ta(A_DUPLICATE_ACK);
                taDupackNum = fwd.dupacknum;
                taDupackFrame = fwd.lastnondupack;
            }
        }
        // finished_fwd: a changed ACK number resets the duplicate-ACK counter.
        if (ack != fwd.lastack) {
            fwd.lastnondupack = frame;
            fwd.dupacknum = 0;
        }

        // ACKED LOST PACKET: acks beyond the highest contiguous seq we saw the other side send.
        // - If the other side had sent data beyond a hole (LT_SEQ(maxseqtobeacked, nextseq)), report it and move
        //   the boundary to nextseq, so the same hole is reported once.
        // - Otherwise the ACK covers data never seen at all (e.g. the other direction is stalled/missing):
        //   report it only once until that side's ACK number changes again, using the other side's dupacknum
        //   as a marker (-1), which the duplicate-ACK counter then treats as "restart at 1".
        // The boundary test is a sequence-space comparison (LT_SEQ), not a plain unsigned one: the two only
        // differ when nextseq has moved past a 2^32 boundary relative to maxseqtobeacked, typically when a
        // SYN/ACK with a new ISN re-bases a flow whose first segment carried an unrelated (challenge-ACK) seq,
        // e.g. maxseqtobeacked 4080053130, nextseq 155123799. An unsigned test keeps the stale boundary there
        // and reports every later ACK of that flow's data as "ACKed unseen segment" (and the -1 marker then
        // turns plain retransmissions into fast ones); tshark 4.0.17 reports only the first, on all reference
        // captures. (The development-branch source we read has "maxseqtobeacked > nextseq", unsigned, which
        // disagrees with tshark 4.0.17 on ordinary holes as well: it is not the 4.0 rule.)
        if (rev.maxseqtobeacked != 0 && gtSeq(ack, rev.maxseqtobeacked) && (flags & ACK) != 0) {
            taExists = true;
            if (ltSeq(rev.maxseqtobeacked, rev.nextseq)) {
                rev.maxseqtobeacked = rev.nextseq;
                ta(A_ACK_LOST_PACKET);
            } else {
                if (rev.dupacknum == 0) {
                    ta(A_ACK_LOST_PACKET);
                }
                rev.dupacknum = -1;
            }
        }

        // RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS / OUT-OF-ORDER
        retrans:
        if (seglen > 0 || (flags & (SYN | FIN)) != 0) {
            boolean seqNotAdvanced = fwd.nextseq != 0 && ltSeq(seq, fwd.nextseq);
            if ((taFlags & A_KEEP_ALIVE) != 0) {
                break retrans;
            }
            // More than one byte starting at nextseq-1 (after a possible zero window probe) adds new data.
            if (seglen > 1 && fwd.nextseq - 1 == seq) {
                seqNotAdvanced = false;
            }
            // SPURIOUS: everything in it was already acknowledged.
            if (seglen > 0 && rev.lastack != 0 && leSeq(seq + seglen, rev.lastack)) {
                ta(A_SPURIOUS_RETRANSMISSION);
                break retrans;
            }
            // tcp.fastrt_supersedes_ooo = TRUE: fast retransmission is tested before out-of-order.
            // Quirk kept: dupacknum is unsigned in Wireshark, so the -1 "ACKed unseen segment" marker counts as
            // ">= 2 duplicate ACKs" here (tshark flags such segments as fast retransmissions).
            // Times are differences of guint64 in Wireshark: a "negative" delta is huge, hence unsigned compares.
            long sinceDupAck = now - rev.lastacktime;
            if (seqNotAdvanced && Integer.compareUnsigned(rev.dupacknum, 2) >= 0 && rev.lastack == seq
                    && Long.compareUnsigned(sinceDupAck, FAST_RETRANSMISSION_WINDOW_NANOS) < 0) {
                ta(A_FAST_RETRANSMISSION);
                break retrans;
            }
            long sinceNext = now - fwd.nextseqtime;
            long oooThreshold = conv.tsFirstRtt == 0 ? DEFAULT_OOO_THRESHOLD_NANOS : conv.tsFirstRtt;
            if (seqNotAdvanced && Long.compareUnsigned(sinceNext, oooThreshold) < 0
                    && fwd.nextseq != seq + seglen + ((flags & (SYN | FIN)) != 0 ? 1 : 0)) {
                ta(A_OUT_OF_ORDER);
                break retrans;
            }
            if (seqNotAdvanced) {
                ta(A_RETRANSMISSION);
                // RTO reference: the oldest unacked segment, else the segment that set nextseq.
                if (fwd.count > 0) {
                    taRto = now - fwd.uTs[0];
                    taRtoFrame = fwd.uFrame[0];
                } else {
                    taRto = now - fwd.nextseqtime;
                    taRtoFrame = fwd.nextseqframe;
                }
            }
        }

        // Remember this segment as unacked (if it occupies sequence space and the list is not full).
        int nextseq = seq + seglen;
        if ((seglen != 0 || (flags & (SYN | FIN)) != 0) && fwd.count < MAX_UNACKED) {
            // Quirk kept: the SYN/FIN +1 is only applied on this path, so with a full list nextseq lacks it.
            if ((flags & (SYN | FIN)) != 0) {
                nextseq += 1;
            }
            fwd.add(frame, seq, nextseq, now);
        }
        boolean zwp = (taFlags & A_ZERO_WINDOW_PROBE) != 0;
        // Highest nextseq seen so far (zero window probes do not advance it).
        if (gtSeq(nextseq, fwd.nextseq) || fwd.nextseq == 0) {
            if (!zwp) {
                fwd.nextseq = nextseq;
                fwd.nextseqframe = frame;
                fwd.nextseqtime = now;
            }
        }
        // Highest contiguous seq, for "ACKed unseen segment".
        if (seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0) {
            if (!zwp) {
                fwd.maxseqtobeacked = fwd.nextseq;
            }
        }

        fwd.window = window;
        fwd.lastack = ack; // Quirk kept: stored even when the ACK flag is not set.
        fwd.lastacktime = now;
        fwd.lastSegmentFlags = taFlags;

        // Drop the reverse segments this ACK covers; the oldest exact match gives acks_frame and ack_rtt.
        // (Wireshark walks newest-first and the last exact match wins, i.e. the oldest.) This runs whether or
        // not the ACK flag is set, as in Wireshark.
        Flow r = rev;
        int keep = 0;
        boolean matched = false;
        for (int i = 0; i < r.count; i++) {
            int useq = r.uSeq[i];
            int unext = r.uNext[i];
            if (ack == unext) {
                if (!matched) {
                    matched = true;
                    taExists = true;
                    taFrameAcked = r.uFrame[i];
                    taAckRtt = now - r.uTs[i];
                }
                continue; // delete
            }
            if (gtSeq(ack, useq) && leSeq(ack, unext)) {
                useq = ack; // partially acked: keep the unacked tail
            } else if (!gtSeq(unext, ack)) {
                continue; // fully acked: delete
            }
            r.uSeq[keep] = useq;
            r.uNext[keep] = unext;
            r.uFrame[keep] = r.uFrame[i];
            r.uTs[keep] = r.uTs[i];
            keep++;
        }
        r.count = keep;

        // BYTES IN FLIGHT (payload based, the default) and PUSH BYTES SENT.
        if (seglen != 0 && fwd.count > 0 && fwd.validBif) {
            int base = fwd.baseSeq;
            // Wireshark seeds min/max from the newest segment; min/max are order independent.
            int first = fwd.uSeq[fwd.count - 1] - base;
            int last = fwd.uNext[fwd.count - 1] - base;
            for (int i = 0; i < fwd.count; i++) {
                int n = fwd.uNext[i] - base;
                if (Integer.compareUnsigned(n, last) > 0) {
                    last = n;
                }
                int f = fwd.uSeq[i] - base;
                if (Integer.compareUnsigned(f, first) < 0) {
                    first = f;
                }
            }
            int inFlight = last - first;
            // Subtract SACKed blocks from the peer's most recent segment.
            if (rev.numSackRanges > 0) {
                int delivered = 0;
                for (int i = 0; i < rev.numSackRanges; i++) {
                    delivered += rev.sackRight[i + 1] - rev.sackLeft[i + 1];
                }
                inFlight -= delivered;
            }
            if (inFlight != 0 && Integer.compareUnsigned(inFlight, 2_000_000_000) < 0) {
                taExists = true;
                int bif = inFlight;
                if ((flags & (SYN | FIN)) != 0) {
                    bif -= 1; // SYN/FIN occupy a virtual byte
                }
                taBytesInFlight = bif & 0xFFFFFFFFL;
            }
            boolean push = (flags & PSH) != 0;
            if (push && !fwd.pushSetLast) {
                fwd.pushBytesSent += seglen;
                fwd.pushSetLast = true;
            } else if (push) {
                fwd.pushBytesSent = seglen;
            } else if (fwd.pushSetLast) {
                fwd.pushBytesSent = seglen;
                fwd.pushSetLast = false;
            } else {
                fwd.pushBytesSent += seglen;
            }
            taExists = true;
            taPushBytes = fwd.pushBytesSent & 0xFFFFFFFFL;
        }
    }

    // =====================================================================================================

    /** One direction of a conversation (Wireshark's tcp_flow_t + tcp_analyze_seq_flow_info_t). */
    static final class Flow {
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

        // Unacked segments, oldest first, as parallel primitive arrays.
        int count;
        int[] uSeq = new int[8];
        int[] uNext = new int[8];
        long[] uFrame = new long[8];
        long[] uTs = new long[8];

        void add(long frame, int seq, int next, long ts) {
            if (count == uSeq.length) {
                int cap = Math.min(MAX_UNACKED, count * 2);
                uSeq = java.util.Arrays.copyOf(uSeq, cap);
                uNext = java.util.Arrays.copyOf(uNext, cap);
                uFrame = java.util.Arrays.copyOf(uFrame, cap);
                uTs = java.util.Arrays.copyOf(uTs, cap);
            }
            uSeq[count] = seq;
            uNext[count] = next;
            uFrame[count] = frame;
            uTs[count] = ts;
            count++;
        }
    }

    /** Wireshark's struct tcp_analysis: one per conversation (tcp.stream). */
    static final class Conv {
        final long stream;
        final Flow flow1 = new Flow();
        final Flow flow2 = new Flow();
        final long tsFirst;
        long tsPrev;
        long tsMruSyn;
        long tsFirstRtt;
        int completeness;
        boolean accEcnSyn;
        boolean accEcnSynAck;

        Conv(long stream, long now) {
            this.stream = stream;
            this.tsFirst = now;
            this.tsPrev = now;
        }
    }

    /**
     * Direction-independent conversation key: the two (address, port) endpoints in a canonical order, with
     * addresses packed into longs so hashing and equality touch no arrays.
     */
    static final class ConvKey {
        int addrLen;
        long a0, a1, b0, b1;
        int portA, portB;

        /**
         * Fills this key from the segment and returns Wireshark's direction: cmp_address(src, dst) (address
         * length first, then bytes as unsigned), ports as tie-break (src > dst ? 1 : -1).
         */
        int set(TcpSegment s) {
            byte[] d = s.data;
            int len = s.addressLength;
            long s0 = pack(d, s.srcAddressOffset, len, 0), s1 = pack(d, s.srcAddressOffset, len, 8);
            long d0 = pack(d, s.dstAddressOffset, len, 0), d1 = pack(d, s.dstAddressOffset, len, 8);
            int cmp = Long.compareUnsigned(s0, d0);
            if (cmp == 0) {
                cmp = Long.compareUnsigned(s1, d1);
            }
            int direction = cmp != 0 ? cmp : (s.srcPort > s.dstPort ? 1 : -1);
            addrLen = len;
            if (direction >= 0) {
                a0 = s0; a1 = s1; portA = s.srcPort;
                b0 = d0; b1 = d1; portB = s.dstPort;
            } else {
                a0 = d0; a1 = d1; portA = s.dstPort;
                b0 = s0; b1 = s1; portB = s.srcPort;
            }
            return direction;
        }

        /** Big-endian packing of up to 8 address bytes starting at {@code from}; missing bytes are 0. */
        static long pack(byte[] d, int off, int len, int from) {
            long v = 0;
            for (int i = from; i < from + 8; i++) {
                v = (v << 8) | (i < len ? (d[off + i] & 0xFF) : 0);
            }
            return v;
        }

        ConvKey copy() {
            ConvKey k = new ConvKey();
            k.addrLen = addrLen;
            k.a0 = a0; k.a1 = a1; k.b0 = b0; k.b1 = b1;
            k.portA = portA; k.portB = portB;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ConvKey k && k.addrLen == addrLen && k.a0 == a0 && k.a1 == a1 && k.b0 == b0
                    && k.b1 == b1 && k.portA == portA && k.portB == portB;
        }

        @Override
        public int hashCode() {
            long h = a0 * 31 + a1;
            h = h * 31 + b0;
            h = h * 31 + b1;
            h = h * 31 + ((long) portA << 16 | portB);
            h = h * 31 + addrLen;
            return (int) (h ^ (h >>> 32));
        }
    }
}
