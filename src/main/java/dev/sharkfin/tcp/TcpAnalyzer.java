package dev.sharkfin.tcp;

import static dev.sharkfin.tcp.Scratch.ACK;
import static dev.sharkfin.tcp.Scratch.FIN;
import static dev.sharkfin.tcp.Scratch.RST;
import static dev.sharkfin.tcp.Scratch.SYN;
import static dev.sharkfin.tcp.SeqNumbers.leSeq;
import static dev.sharkfin.tcp.SeqNumbers.ltSeq;

import dev.sharkfin.dissect.TcpSegment;

/**
 * Wireshark-faithful TCP sequence analysis (tcp.stream, relative seq/ack, window scaling, bytes in flight and
 * the tcp.analysis.* flags), modelled on Wireshark 4.0's {@code epan/dissectors/packet-tcp.c} with default
 * preferences, {@code tcp.analyze_sequence_numbers}, {@code tcp.track_bytes_in_flight}, relative sequence
 * numbers, {@code tcp.fastrt_supersedes_ooo} (default TRUE) and a single pass (tshark without -2).
 *
 * <p>Contract: one instance per capture, single-threaded, segments fed in capture order. The analyzer never
 * keeps a reference to the {@link TcpSegment}; it copies the primitives it needs into a reusable {@link Scratch}.
 * The steady-state path allocates nothing: conversations are looked up with a reusable probe key; the only
 * allocations are a new conversation (key + state) and growth of a direction's unacked-segment arrays (capped at
 * {@link FlowState#MAX_UNACKED} entries, Wireshark's TCP_MAX_UNACKED_SEGMENTS). The state is bounded by
 * {@link ConversationLimits}: unlike Wireshark, conversations are evicted (see {@link Conversations}).
 *
 * <p>{@link #analyze(TcpSegment, TcpAnalysis, boolean)} runs the steps of dissect_tcp() in Wireshark's order;
 * the sequence analysis proper (tcp_analyze_sequence_number) is {@link SequenceAnalysis}, the flow table
 * {@link Conversations}, the per-direction state {@link FlowState}, the 32-bit arithmetic {@link SeqNumbers}.
 * Sequence numbers are Java {@code int}s (see {@link SeqNumbers}); where Wireshark compares unsigned values
 * directly (not via *_SEQ), we do the same with {@link Integer#compareUnsigned}. Wireshark also uses 0 as "not
 * known yet" for several sequence fields (nextseq, lastack, maxseqtobeacked); that quirk is kept, so a real
 * value of 0 behaves as unknown, exactly as in Wireshark.
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

    private static final long U32 = 0xFFFFFFFFL;

    private final Conversations conversations;
    private final Scratch scratch = new Scratch();

    public TcpAnalyzer() {
        this(ConversationLimits.DEFAULT);
    }

    /** An analyzer that keeps conversations within {@code limits} (see {@link ConversationLimits}). */
    public TcpAnalyzer(ConversationLimits limits) {
        this.conversations = new Conversations(limits);
    }

    /** The conversations evicted so far, by rule. */
    public ConversationEvictions evictions() {
        return conversations.evictions();
    }

    /** The flow table (for tests). */
    Conversations conversations() {
        return conversations;
    }

    /** Number of TCP conversations (streams) created so far. */
    public long streamCount() {
        return conversations.streamCount();
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
        Scratch x = scratch.load(s);
        findConversation(x, s);
        checkPortReuse(x);
        out.stream = x.conv.stream;
        out.completeness = x.conv.completeness; // shown before this segment updates it (single pass)
        x.fwd.numSackRanges = 0;
        conversationTimestamps(x, out);
        if (x.haveLen) {
            SequenceAnalysis.analyze(x);
            conversations.charge(x.conv);
        }
        showSequenceNumbers(x, out);
        int shownAck = shownAck(x);
        final boolean optionsAborted = sackWithoutBlock && optionsThrow(shownAck);
        updateCompleteness(x);
        closingAndAccEcn(x, out);
        fastOpen(x, s, shownAck, out);
        if (!optionsAborted) {
            // SACK edges relative to the receiver's base (Wireshark's base_ack), as the options show them.
            sackEdges(s, shownAck, x.rev.baseSeq, out);
        }
        handshakeBookkeeping(x);
        dissectOptions(x, s, optionsAborted);
        // print: what tcp_print_sequence_number_analysis shows. Skipped when the option dissection aborted: the
        // analysis above did run (its state changes stay, e.g. the ACKed segments are gone from the unacked
        // list), but tshark shows none of it for this segment.
        if (!optionsAborted) {
            x.ta.print(x.conv.tsFirstRtt, out);
        }
    }

    /** find_conversation_pinfo / conversation_new, and which flow is "fwd" for this segment. */
    private void findConversation(Scratch x, TcpSegment s) {
        TcpConversation conv = conversations.find(s);
        x.opened = conversations.opened();
        x.bind(conv, conversations.direction());
    }

    /** The port-reuse checks dissect_tcp runs before the analysis: a SYN or SYN/ACK with a new ISN. */
    private void checkPortReuse(Scratch x) {
        if (!x.fwd.baseSeqSet) {
            return;
        }
        if (x.only(SYN | ACK, SYN)) {
            if (x.seq != x.fwd.baseSeq) {
                // A new SYN with another ISN: a new conversation, hence a new tcp.stream, replaces the old one
                // for all later lookups.
                x.bind(conversations.replace(x.now), conversations.direction());
                x.ta.flag(A_REUSED_PORTS);
                // "a new conversation starting with a SYN implies conversation completeness value 1";
                // x.opened stays false, as in Wireshark, so the SYN adds nothing further.
                x.conv.completeness = COMPLETENESS_SYNSENT;
            } else {
                // Same ISN: a SYN retransmission. Wireshark 4.0 restores nextseq (issue 17616: a RST may carry
                // SEQ == the ACK received, which pushed nextseq away) but does not flag port reuse.
                x.fwd.nextseq = x.fwd.maxseqtobeacked;
            }
        }
        if (x.only(SYN | ACK, SYN | ACK) && x.fwd.baseSeqSet && x.seq != x.fwd.baseSeq) {
            // SYN/ACK with another ISN: Wireshark keeps the (same) conversation, rebases the flow (issue 16944)
            // and flags it as reused ports.
            x.fwd.baseSeq = x.seq;
            x.ta.flag(A_REUSED_PORTS);
        }
    }

    /** tcp.time_delta and tcp.time_relative: since the conversation's previous and first segment. */
    private static void conversationTimestamps(Scratch x, TcpAnalysis out) {
        out.timeDeltaNanos = x.now - x.conv.tsPrev;
        x.conv.tsPrev = x.now;
        out.timeRelativeNanos = x.now - x.conv.tsFirst;
    }

    /**
     * seq/ack (relative once analysed), tcp.len, tcp.nxtseq and the window as dissect_tcp shows them after the
     * analysis: the window is scaled by the flow's known shift, except on SYNs, which are never scaled; an unknown
     * shift (-1) means the tcp.default_window_scaling preference "Not known": no scaling.
     */
    private static void showSequenceNumbers(Scratch x, TcpAnalysis out) {
        long window = x.window & 0xFFFFL;
        if (x.haveLen) {
            int relSeq = x.seq - x.fwd.baseSeq;
            out.seq = relSeq & U32;
            out.ack = x.any(ACK) ? (x.ack - x.rev.baseSeq) & U32 : x.ack & U32;
            if (!x.any(SYN) && x.fwd.winScale >= 0) {
                // Wireshark shifts a guint32, so the result is truncated to 32 bits.
                window = (window << x.fwd.winScale) & U32;
            }
            if (x.occupiesSequenceSpace()) {
                out.nxtseq = (relSeq + x.seglen + x.synFinLength()) & U32;
            }
        } else {
            out.seq = x.seq & U32;
            out.ack = x.ack & U32;
        }
        out.len = x.seglen;
        out.windowSize = window;
        if (!x.any(SYN)) {
            out.windowSizeScalefactor = x.fwd.winScale >= 0 ? 1 << x.fwd.winScale : x.fwd.winScale;
        }
    }

    /**
     * The ack as dissect_tcp holds it when the options are dissected: relative only after the analysis ran on an
     * ACK segment (same condition as the shown ack being relative).
     */
    private static int shownAck(Scratch x) {
        return x.haveLen && x.any(ACK) ? x.ack - x.rev.baseSeq : x.ack;
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

    /** tcp.completeness: a pure SYN counts only when it opened the conversation; later segments add their bits. */
    private static void updateCompleteness(Scratch x) {
        int completeness = 0;
        if (x.opened) {
            if (x.only(SYN | ACK, SYN)) {
                completeness |= COMPLETENESS_SYNSENT;
                if (x.seglen > 0) {
                    completeness |= COMPLETENESS_DATA; // TCP Fast Open
                }
            }
        } else {
            completeness = x.conv.completeness;
            if (x.only(SYN | ACK, SYN | ACK)) {
                completeness |= COMPLETENESS_SYNACK;
            }
            if (x.only(SYN | ACK, ACK)) {
                completeness |= x.seglen > 0 ? COMPLETENESS_DATA : COMPLETENESS_ACK;
            }
            if (x.only(FIN | ACK, FIN | ACK)) {
                completeness |= COMPLETENESS_FIN;
            }
            if (x.any(RST)) {
                completeness |= COMPLETENESS_RST;
            }
        }
        x.conv.completeness = completeness;
    }

    /**
     * Who closes (a FIN of the side that sent none before the other did "initiates" the closing, else it
     * "undergoes" it) and whether the handshake set up AccECN: a SYN with AE, CWR and ECE, a SYN/ACK with
     * exactly one of AE and CWR; the pure ACKs of such a conversation show the ACE counter in their flag letters.
     * A RST, or the second side's FIN, closes the conversation for eviction (see {@link Conversations}).
     */
    private void closingAndAccEcn(Scratch x, TcpAnalysis out) {
        if (x.any(RST)) {
            conversations.closed(x.conv);
        }
        if (x.any(FIN)) {
            if (x.rev.closingInitiator) {
                out.finClosing = 2;
                conversations.closed(x.conv); // both sides sent a FIN
            } else {
                x.fwd.closingInitiator = true;
                out.finClosing = 1;
            }
        }
        TcpConversation conv = x.conv;
        int ecn = x.flags & (TcpSegment.AE | TcpSegment.CWR | TcpSegment.ECE);
        if (x.only(SYN | ACK, SYN)) {
            conv.accEcnSyn = ecn == (TcpSegment.AE | TcpSegment.CWR | TcpSegment.ECE);
        } else if (x.only(SYN | ACK, SYN | ACK)) {
            int aeCwr = x.flags & (TcpSegment.AE | TcpSegment.CWR);
            conv.accEcnSynAck = aeCwr == TcpSegment.AE || aeCwr == TcpSegment.CWR;
        }
        out.ace = !x.any(SYN) && conv.accEcnSyn && conv.accEcnSynAck;
    }

    /**
     * TCP Fast Open as dissect_tcp sees it at the acknowledgment number, before the options: a SYN+ACK acknowledging
     * more than the SYN (relative ack above 1) accepts the SYN's data; else, if a SYN of the conversation carried data
     * and a cookie (marked by its option, after this check), the SYN+ACK ignores it.
     */
    private static void fastOpen(Scratch x, TcpSegment s, int shownAck, TcpAnalysis out) {
        if (x.any(SYN) && x.any(ACK)) {
            out.fastOpen = Integer.compareUnsigned(shownAck, 1) > 0 ? TcpAnalysis.TFO_ACCEPTING
                    : x.conv.tfoSynData ? TcpAnalysis.TFO_IGNORING : 0;
        }
        if (s.tfoSynData) {
            x.conv.tfoSynData = true;
        }
    }

    /** The SACK blocks relative to {@code base}; D-SACK when the first lies below the ACK or within the second. */
    private static void sackEdges(TcpSegment s, int shownAck, int base, TcpAnalysis out) {
        int n = Math.min(s.sackCount, TcpSegment.MAX_SACK);
        for (int i = 0; i < n; i++) {
            out.sackLe[i] = ((int) s.sackLeft[i] - base) & U32;
            out.sackRe[i] = ((int) s.sackRight[i] - base) & U32;
        }
        out.sackCount = n;
        if (n > 0) {
            int re0 = (int) out.sackRe[0];
            out.dsack = leSeq(re0, shownAck) || n > 1 && ltSeq((int) out.sackLe[1], re0) && leSeq(re0, (int) out.sackRe[1]);
        }
    }

    /**
     * Handshake bookkeeping: the most recent SYN's time, the initial RTT (at the first pure ACK after it) and the
     * first-ACK marker that keeps the window-full check from scaling too early. Quirk kept: Wireshark tests the
     * times against zero, so an initial RTT of exactly 0 ns is "not measured yet" and the next pure ACK measures
     * again.
     */
    private static void handshakeBookkeeping(Scratch x) {
        TcpConversation conv = x.conv;
        if (x.any(SYN)) {
            if (!x.any(ACK)) {
                conv.tsMruSyn = x.now;
            }
            x.fwd.isFirstAck = true;
        }
        if (x.only(SYN | ACK, ACK)) {
            if (conv.tsMruSyn != 0 && conv.tsFirstRtt == 0) {
                conv.tsFirstRtt = x.now - conv.tsMruSyn;
            }
            x.fwd.isFirstAck = false;
        }
    }

    /**
     * The options, dissected after the analysis of this segment: the window scale (stored from any segment
     * carrying it, not only SYNs; shifts above 14 are clamped), the SACK blocks and verify_tcp_window_scaling.
     * When the option dissection aborts (see optionsThrow), the block-less SACK option has already reset the
     * stored count to 0 and no later option is dissected, so no SACK block is kept and no scaling verified.
     */
    private static void dissectOptions(Scratch x, TcpSegment s, boolean optionsAborted) {
        if (s.windowScale >= 0) {
            x.fwd.winScale = Math.min(s.windowScale, 14);
        }
        if (!optionsAborted) {
            x.fwd.storeSackBlocks(s);
            verifyWindowScaling(x);
        }
    }

    /** verify_tcp_window_scaling, on SYNs: no scaling unless both the SYN and the SYN/ACK carry the option. */
    private static void verifyWindowScaling(Scratch x) {
        if (!x.any(SYN)) {
            return;
        }
        if (x.fwd.winScale == -1) {
            // No WS option on this SYN (or SYN/ACK): scaling is off in both directions.
            x.fwd.winScale = -2;
            x.rev.winScale = -2;
        } else if (x.any(ACK) && x.rev.winScale == -2) {
            // SYN/ACK offers WS but the SYN did not: endpoints will not scale.
            x.fwd.winScale = -2;
        }
    }
}
