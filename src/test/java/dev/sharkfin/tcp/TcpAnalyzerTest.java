package dev.sharkfin.tcp;

import dev.sharkfin.dissect.TcpSegment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.sharkfin.dissect.TcpSegment.ACK;
import static dev.sharkfin.dissect.TcpSegment.FIN;
import static dev.sharkfin.dissect.TcpSegment.PSH;
import static dev.sharkfin.dissect.TcpSegment.RST;
import static dev.sharkfin.dissect.TcpSegment.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built segments, one behaviour each. Client 10.0.0.1:40000, server 10.0.0.2:80. */
class TcpAnalyzerTest {
    private static final byte[] ADDRS = {10, 0, 0, 1, 10, 0, 0, 2};
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000_000_000L;

    private TcpAnalyzer analyzer;
    private final TcpSegment seg = new TcpSegment();
    private final TcpAnalysis out = new TcpAnalysis();
    private long frame;
    /** The next send() carries a SACK option without a complete block (consumed by that send). */
    private boolean sackWithoutBlock;

    @BeforeEach
    void setUp() {
        analyzer = new TcpAnalyzer();
        frame = 0;
    }

    /** Feeds one segment; {@code c2s} true = client to server. Returns the (reused) analysis. */
    private TcpAnalysis send(boolean c2s, long timeMs, long seq, long ack, int flags, int win, int len, int ws) {
        seg.reset();
        seg.frameNumber = ++frame;
        seg.timeNanos = T0 + timeMs * MS;
        seg.data = ADDRS;
        seg.addressLength = 4;
        seg.srcAddressOffset = c2s ? 0 : 4;
        seg.dstAddressOffset = c2s ? 4 : 0;
        seg.srcPort = c2s ? 40000 : 80;
        seg.dstPort = c2s ? 80 : 40000;
        seg.seq = seq & 0xFFFFFFFFL;
        seg.ack = ack & 0xFFFFFFFFL;
        seg.flags = flags;
        seg.window = win;
        seg.headerLength = 20;
        seg.payloadLength = len;
        seg.windowScale = ws;
        analyzer.analyze(seg, out, sackWithoutBlock);
        sackWithoutBlock = false;
        return out;
    }

    private TcpAnalysis send(boolean c2s, long timeMs, long seq, long ack, int flags, int win, int len) {
        return send(c2s, timeMs, seq, ack, flags, win, len, -1);
    }

    /** Client ISN 1000, server ISN 5000, no window scaling; frames 1..3 at t=0,10,20 ms. */
    private void handshake() {
        send(true, 0, 1000, 0, SYN, 65535, 0);
        send(false, 10, 5000, 1001, SYN | ACK, 65535, 0);
        send(true, 20, 1001, 5001, ACK, 65535, 0);
    }

    @Test
    void handshakeAndRelativeSequenceNumbers() {
        TcpAnalysis a = send(true, 0, 1000, 0, SYN, 65535, 0);
        assertEquals(0, a.stream);
        assertEquals(0, a.seq);
        assertEquals(0, a.ack, "no ACK flag: the ack as on the wire, as tshark shows it");
        assertEquals(1, a.nxtseq, "SYN occupies one sequence number");
        assertEquals(0, a.windowSizeScalefactor, "no scale factor shown on SYNs");

        a = send(false, 10, 5000, 1001, SYN | ACK, 65535, 0);
        assertEquals(0, a.seq);
        assertEquals(1, a.ack);
        assertEquals(1, a.acksFrame);
        assertEquals(10 * MS, a.ackRttNanos);

        a = send(true, 20, 1001, 5001, ACK, 65535, 0);
        assertEquals(1, a.seq);
        assertEquals(1, a.ack);
        assertEquals(-1, a.nxtseq, "empty segment: nxtseq absent by contract");
        assertEquals(2, a.acksFrame);
        assertEquals(20 * MS, a.initialRttNanos, "initial RTT = first pure ACK - SYN");
        assertEquals(-2, a.windowSizeScalefactor, "no WS option on the SYN: no scaling");
        assertEquals(TcpAnalyzer.COMPLETENESS_SYNSENT | TcpAnalyzer.COMPLETENESS_SYNACK, a.completeness,
                "completeness is shown before this segment updates it");

        a = send(true, 30, 1001, 5001, ACK | PSH, 65535, 100);
        assertEquals(1, a.seq);
        assertEquals(101, a.nxtseq);
        assertEquals(100, a.bytesInFlight);
        assertEquals(100, a.pushBytesSent);
        assertEquals(30 * MS, a.timeRelativeNanos);
        assertEquals(10 * MS, a.timeDeltaNanos);
    }

    @Test
    void ackWithoutTheAckFlagIsShownAsOnTheWire() {
        handshake();
        TcpAnalysis a = send(true, 30, 1001, 0x12345678L, RST, 0, 0);
        assertEquals(0x12345678L, a.ack, "a RST without ACK: tshark shows the raw acknowledgment number");
    }

    @Test
    void sackEdgesAreRelativeToTheReceiversBaseAndDsackIsTheFirstBlockBelowTheAck() {
        handshake();
        send(false, 30, 5001, 1001, ACK | PSH, 65535, 100);
        seg.reset();
        // The client SACKs server bytes 201..301 (raw 5201..5301, the server's ISN is 5000) while acknowledging 101.
        seg.sackCount = 1;
        seg.sackLeft[0] = 5201;
        seg.sackRight[0] = 5301;
        TcpAnalysis a = sendKeeping(true, 40, 1001, 5101, ACK);
        assertEquals(1, a.sackCount);
        assertEquals(201, a.sackLe[0]);
        assertEquals(301, a.sackRe[0]);
        assertFalse(a.dsack);
        seg.reset();
        // Bytes 51..101 (raw 5051..5101), already acknowledged, reported again: a D-SACK.
        seg.sackCount = 2;
        seg.sackLeft[0] = 5051;
        seg.sackRight[0] = 5101;
        seg.sackLeft[1] = 5201;
        seg.sackRight[1] = 5301;
        a = sendKeeping(true, 50, 1001, 5101, ACK);
        assertEquals(51, a.sackLe[0]);
        assertEquals(101, a.sackRe[0]);
        assertTrue(a.dsack, "first block at or below the ACK");
    }

    @Test
    void theFirstFinInitiatesTheClosingTheOtherSidesUndergoesIt() {
        handshake();
        assertEquals(1, send(true, 30, 1001, 5001, FIN | ACK, 65535, 0).finClosing);
        assertEquals(1, send(true, 31, 1001, 5001, FIN | ACK, 65535, 0).finClosing, "a retransmitted FIN still initiates");
        assertEquals(2, send(false, 40, 5001, 1002, FIN | ACK, 65535, 0).finClosing);
        assertEquals(0, send(true, 50, 1002, 5002, ACK, 65535, 0).finClosing);
    }

    @Test
    void accEcnHandshakeShowsTheAceCounterOnLaterSegments() {
        TcpAnalysis a = send(true, 0, 1000, 0, SYN | 0x1c0, 65535, 0);
        assertFalse(a.ace, "never on a SYN");
        send(false, 10, 5000, 1001, SYN | ACK | 0x80, 65535, 0);
        assertTrue(send(true, 20, 1001, 5001, ACK | 0x80, 65535, 0).ace);
    }

    @Test
    void noAceCounterWithoutAccEcnHandshake() {
        handshake();
        assertFalse(send(true, 30, 1001, 5001, ACK | 0x80, 65535, 0).ace);
    }

    @Test
    void anFtpPassiveReplyOpensTheDataConversationSoItsSynSetsNoCompletenessBit() {
        byte[] reply = "229 Entering Extended Passive Mode (|||50000|)\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        segment(false, 21, 40000, 7000, 1, ACK | PSH, reply);
        segment(true, 40001, 50000, 100, 0, SYN, new byte[0]);
        assertEquals(0, segment(false, 50000, 40001, 900, 101, SYN | ACK, new byte[0]).completeness,
                "the SYN found the conversation the reply opened: no SYN bit");
        assertEquals(2, segment(true, 40001, 50000, 101, 901, ACK, new byte[0]).completeness);
        // The announcement is used up: another connection to that port is new again, as is any other.
        segment(true, 40002, 50000, 100, 0, SYN, new byte[0]);
        assertEquals(1, segment(false, 50000, 40002, 900, 101, SYN | ACK, new byte[0]).completeness);
    }

    /** Announcements waiting for their connection are bounded: the oldest is forgotten, the newest still counts. */
    @Test
    void ftpAnnouncementsAreBoundedOldestForgottenFirst() {
        long seq = 7000;
        for (int i = 0; i <= FtpDataConversations.MAX_PENDING; i++) { // one more than the bound: ports 10000 ...
            byte[] reply = ("229 Entering Extended Passive Mode (|||" + (10000 + i) + "|)\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            segment(false, 21, 40000, seq, 1, ACK | PSH, reply);
            seq += reply.length;
        }
        segment(true, 40001, 10000 + FtpDataConversations.MAX_PENDING, 100, 0, SYN, new byte[0]);
        assertEquals(0, segment(false, 10000 + FtpDataConversations.MAX_PENDING, 40001, 900, 101, SYN | ACK, new byte[0]).completeness,
                "the newest announcement opened its conversation");
        segment(true, 40002, 10000, 100, 0, SYN, new byte[0]);
        assertEquals(1, segment(false, 10000, 40002, 900, 101, SYN | ACK, new byte[0]).completeness,
                "the oldest announcement was forgotten: its connection is new");
    }

    @Test
    void anFtpPasvReplyAnnouncesTheAddressAndPortItHolds() {
        byte[] reply = "227 Entering Passive Mode (10,0,0,2,195,80).\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        segment(false, 21, 40000, 7000, 1, ACK | PSH, reply);
        segment(true, 40001, 195 * 256 + 80, 100, 0, SYN, new byte[0]);
        assertEquals(0, segment(false, 195 * 256 + 80, 40001, 900, 101, SYN | ACK, new byte[0]).completeness);
    }

    /** A segment between 10.0.0.1 (the client, c2s) and 10.0.0.2 on the given ports, with a payload. */
    private TcpAnalysis segment(boolean c2s, int srcPort, int dstPort, long seq, long ack, int flags, byte[] payload) {
        seg.reset();
        seg.frameNumber = ++frame;
        seg.timeNanos = T0 + frame * MS;
        seg.data = ADDRS;
        seg.addressLength = 4;
        seg.srcAddressOffset = c2s ? 0 : 4;
        seg.dstAddressOffset = c2s ? 4 : 0;
        seg.srcPort = srcPort;
        seg.dstPort = dstPort;
        seg.seq = seq;
        seg.ack = ack;
        seg.flags = flags;
        seg.window = 65535;
        seg.headerLength = 20;
        seg.payloadLength = payload.length;
        seg.payload = payload;
        seg.payloadOffset = 0;
        seg.payloadCaptured = payload.length;
        analyzer.analyze(seg, out, false);
        return out;
    }

    /** As {@link #send}, keeping the options already set on {@code seg}. */
    private TcpAnalysis sendKeeping(boolean c2s, long timeMs, long seq, long ack, int flags) {
        int count = seg.sackCount;
        long[] le = seg.sackLeft.clone();
        long[] re = seg.sackRight.clone();
        seg.reset();
        seg.frameNumber = ++frame;
        seg.timeNanos = T0 + timeMs * MS;
        seg.data = ADDRS;
        seg.addressLength = 4;
        seg.srcAddressOffset = c2s ? 0 : 4;
        seg.dstAddressOffset = c2s ? 4 : 0;
        seg.srcPort = c2s ? 40000 : 80;
        seg.dstPort = c2s ? 80 : 40000;
        seg.seq = seq;
        seg.ack = ack;
        seg.flags = flags;
        seg.window = 65535;
        seg.headerLength = 32;
        seg.payloadLength = 0;
        seg.sackCount = count;
        System.arraycopy(le, 0, seg.sackLeft, 0, le.length);
        System.arraycopy(re, 0, seg.sackRight, 0, re.length);
        analyzer.analyze(seg, out, false);
        return out;
    }

    @Test
    void relativeBaseIsFirstSeqMinusOneWithoutSyn() {
        TcpAnalysis a = send(true, 0, 777_000, 888_000, ACK, 100, 10);
        assertEquals(1, a.seq);
        assertEquals(1, a.ack);
        assertEquals(-1, a.windowSizeScalefactor, "scaling unknown without handshake");
        assertEquals(100, a.windowSize);
    }

    @Test
    void duplicateAckCounting() {
        handshake();
        send(false, 30, 5001, 1001, ACK, 65535, 1000);          // 4: server data 1..1000
        send(false, 31, 6001, 1001, ACK, 65535, 1000);          // 5: 1001..2000
        TcpAnalysis a = send(true, 40, 1001, 6001, ACK, 65535, 0); // 6: ack 1001
        assertFalse(a.duplicateAck);
        long original = frame;
        for (int i = 1; i <= 3; i++) {
            a = send(true, 40 + i, 1001, 6001, ACK, 65535, 0);
            assertTrue(a.duplicateAck, "dup #" + i);
            assertEquals(i, a.duplicateAckNum);
            assertEquals(original, a.duplicateAckFrame);
        }
        a = send(true, 50, 1001, 6001, ACK, 60000, 0);
        assertFalse(a.duplicateAck, "a changed window is a window update, not a dup ack");
        assertTrue(a.windowUpdate);
    }

    @Test
    void fastRetransmissionAfterTwoDupAcks() {
        handshake();
        send(false, 30, 5001, 1001, ACK, 65535, 1000);          // 4: lost on the way to the client
        send(false, 31, 6001, 1001, ACK, 65535, 1000);          // 5
        send(false, 32, 7001, 1001, ACK, 65535, 1000);          // 6
        send(true, 40, 1001, 5001, ACK, 65535, 0);              // 7: ack stays at 1
        send(true, 41, 1001, 5001, ACK, 65535, 0);              // 8: dup 1
        send(true, 42, 1001, 5001, ACK, 65535, 0);              // 9: dup 2
        TcpAnalysis a = send(false, 45, 5001, 1001, ACK, 65535, 1000);
        assertTrue(a.fastRetransmission);
        assertTrue(a.retransmission, "tcp.analysis.retransmission is present for fast retransmissions too");
        assertFalse(a.spuriousRetransmission);
        assertEquals(TcpAnalysis.ABSENT_TIME, a.rtoNanos, "RTO only for plain retransmissions");
    }

    @Test
    void rtoRetransmission() {
        handshake();
        send(false, 30, 5001, 1001, ACK, 65535, 1000);          // 4
        TcpAnalysis a = send(false, 330, 5001, 1001, ACK, 65535, 1000);
        assertTrue(a.retransmission);
        assertFalse(a.fastRetransmission);
        assertFalse(a.outOfOrder);
        assertEquals(4, a.rtoFrame);
        assertEquals(300 * MS, a.rtoNanos);
    }

    @Test
    void spuriousRetransmissionOfAckedData() {
        handshake();
        send(false, 30, 5001, 1001, ACK, 65535, 1000);          // 4
        send(true, 40, 1001, 6001, ACK, 65535, 0);              // 5: acked
        TcpAnalysis a = send(false, 500, 5001, 1001, ACK, 65535, 1000);
        assertTrue(a.spuriousRetransmission);
        assertTrue(a.retransmission);
    }

    @Test
    void outOfOrderAndLostSegment() {
        handshake();
        TcpAnalysis a = send(false, 30, 6001, 1001, ACK, 65535, 1000); // 4: second half first
        assertTrue(a.lostSegment, "a gap before this segment: previous segment not captured");
        a = send(false, 31, 5001, 1001, ACK, 65535, 1000);              // 5: first half 1 ms later
        assertTrue(a.outOfOrder, "behind nextseq, within the initial RTT (20 ms)");
        assertFalse(a.retransmission);
    }

    @Test
    void ackedUnseenSegment() {
        handshake();
        send(false, 30, 5001, 1001, ACK, 65535, 1000);          // 4
        TcpAnalysis a = send(true, 40, 1001, 8001, ACK, 65535, 0); // acks 3000 bytes, only 1000 seen
        assertTrue(a.ackLostSegment);
    }

    @Test
    void ackedUnseenBoundaryIsComparedInSequenceSpace() {
        // Server's first segment is a stray ACK with an unrelated seq (e.g. a challenge ACK), then its SYN/ACK
        // re-bases the flow with an ISN that lies just past 2^32 from it: maxseqtobeacked stays at the stray
        // seq while nextseq wraps to a small number.
        send(true, 0, 1000, 0, SYN, 65535, 0);                            // 1
        send(false, 10, 0xF330_0000L, 1001, ACK, 65535, 0);                // 2: stray ACK
        TcpAnalysis a = send(false, 20, 0x0900_0000L, 1001, SYN | ACK, 65535, 0); // 3: new ISN
        assertTrue(a.reusedPorts);
        a = send(true, 30, 1001, 0x0900_0001L, ACK, 65535, 0);             // 4
        assertTrue(a.ackLostSegment, "acks the SYN/ACK, beyond the stray ACK's boundary");
        send(true, 40, 1001, 0x0900_0001L, ACK | PSH, 65535, 100);         // 5
        send(false, 50, 0x0900_0001L, 1101, ACK, 65535, 0);                // 6: server's ACK number changes
        send(false, 60, 0x0900_0001L, 1101, ACK, 65535, 1000);             // 7
        a = send(true, 70, 1101, 0x0900_03E9L, ACK, 65535, 0);             // 8
        assertEquals(7, a.acksFrame);
        assertFalse(a.ackLostSegment, "LT_SEQ(0xF3300000, 0x09000001) moved the boundary at frame 4; an "
                + "unsigned comparison would have left it there and flagged this ACK again");
    }

    @Test
    void blocklessSackOptionHidesTheAnalysisButKeepsItsEffects() {
        handshake();
        send(true, 30, 1001, 5001, ACK | PSH, 65535, 100);                // 4
        sackWithoutBlock = true;
        TcpAnalysis a = send(false, 40, 5001, 1101, ACK, 65535, 0);        // 5: NOP, NOP, SACK (length 2)
        assertEquals(101, a.ack, "fields shown before the options are still there");
        assertEquals(40 * MS, a.timeRelativeNanos, "conversation timestamps are printed before the options");
        assertEquals(-1, a.acksFrame, "tcp_print_sequence_number_analysis never runs");
        assertEquals(TcpAnalysis.ABSENT_TIME, a.ackRttNanos);
        assertEquals(TcpAnalysis.ABSENT_TIME, a.initialRttNanos);
        assertEquals(0, a.analysisFlags);
        a = send(false, 50, 5001, 1101, ACK, 65535, 0);                    // 6
        assertEquals(-1, a.acksFrame, "frame 5 did remove frame 4 from the unacked list");
        assertTrue(a.duplicateAck, "frame 5 did update lastack");
        assertEquals(1, a.duplicateAckNum);
        assertEquals(5, a.duplicateAckFrame);

        // The D-SACK test that throws is LE_SEQ(0, ack): it fails for acks in (2^31, 2^32).
        assertTrue(TcpAnalyzer.optionsThrow(2084));
        assertTrue(TcpAnalyzer.optionsThrow(0));
        assertFalse(TcpAnalyzer.optionsThrow(0x9000_0000));
    }

    @Test
    void zeroWindowProbeAndProbeAck() {
        handshake();
        send(false, 30, 5001, 1001, ACK, 65535, 1000);          // 4
        TcpAnalysis a = send(true, 40, 1001, 6001, ACK, 0, 0);  // 5: receiver full
        assertTrue(a.zeroWindow);
        a = send(false, 300, 6001, 1001, ACK, 65535, 1);        // 6: 1-byte probe at nextseq
        assertTrue(a.zeroWindowProbe);
        assertFalse(a.retransmission);
        a = send(true, 301, 1001, 6001, ACK, 0, 0);             // 7: still zero
        assertTrue(a.zeroWindowProbeAck);
        assertTrue(a.zeroWindow);
        assertFalse(a.duplicateAck);
    }

    @Test
    void windowUpdate() {
        handshake();
        TcpAnalysis a = send(true, 30, 1001, 5001, ACK, 30000, 0);
        assertTrue(a.windowUpdate);
        a = send(true, 31, 1001, 5001, ACK, 30000, 0);
        assertFalse(a.windowUpdate);
        assertTrue(a.duplicateAck);
    }

    @Test
    void keepAliveAndKeepAliveAck() {
        handshake();
        send(false, 30, 5001, 1001, ACK, 65535, 100);           // 4
        send(true, 40, 1001, 5101, ACK, 65535, 0);              // 5
        TcpAnalysis a = send(false, 60_000, 5100, 1001, ACK, 65535, 0); // seq = nextseq - 1
        assertTrue(a.keepAlive);
        assertFalse(a.retransmission, "keep-alives are not retransmissions");
        a = send(true, 60_001, 1001, 5101, ACK, 65535, 0);
        assertTrue(a.keepAliveAck);
        assertFalse(a.duplicateAck);
    }

    @Test
    void windowScalingOnlyWhenBothSynsCarryIt() {
        send(true, 0, 1000, 0, SYN, 65535, 0, 7);
        send(false, 10, 5000, 1001, SYN | ACK, 65535, 0, 2);
        TcpAnalysis a = send(true, 20, 1001, 5001, ACK, 100, 0);
        assertEquals(128, a.windowSizeScalefactor);
        assertEquals(100 << 7, a.windowSize);
        a = send(false, 30, 5001, 1001, ACK, 100, 0);
        assertEquals(4, a.windowSizeScalefactor);
        assertEquals(400, a.windowSize);

        setUp();
        send(true, 0, 1000, 0, SYN, 65535, 0, 7);
        send(false, 10, 5000, 1001, SYN | ACK, 65535, 0);       // no WS on the SYN/ACK
        a = send(true, 20, 1001, 5001, ACK, 100, 0);
        assertEquals(-2, a.windowSizeScalefactor);
        assertEquals(100, a.windowSize);

        setUp();
        send(true, 0, 1000, 0, SYN, 65535, 0);                  // no WS on the SYN
        send(false, 10, 5000, 1001, SYN | ACK, 65535, 0, 5);
        a = send(false, 30, 5001, 1001, ACK, 100, 0);
        assertEquals(-2, a.windowSizeScalefactor);
        assertEquals(100, a.windowSize);
    }

    @Test
    void sequenceWrapAround() {
        long isn = 0xFFFF_FF00L;
        send(true, 0, isn, 0, SYN, 65535, 0);
        send(false, 10, 5000, isn + 1, SYN | ACK, 65535, 0);
        send(true, 20, isn + 1, 5001, ACK, 65535, 0);
        TcpAnalysis a = send(true, 30, isn + 1, 5001, ACK, 65535, 0x200); // crosses 2^32
        assertEquals(1, a.seq);
        assertEquals(0x201, a.nxtseq);
        a = send(true, 31, isn + 0x201, 5001, ACK, 65535, 0x100);          // raw seq wrapped to 0x101
        assertEquals(0x201, a.seq);
        assertFalse(a.lostSegment);
        assertFalse(a.retransmission);
        assertFalse(a.outOfOrder);
        assertEquals(0x300, a.bytesInFlight);
        a = send(false, 40, 5001, isn + 0x301, ACK, 65535, 0);
        assertEquals(0x301, a.ack);
        assertEquals(5, a.acksFrame);
        assertFalse(a.ackLostSegment);
    }

    @Test
    void portReuseStartsNewStream() {
        handshake();
        send(true, 30, 1001, 5001, FIN | ACK, 65535, 0);
        send(false, 31, 5001, 1002, FIN | ACK, 65535, 0);
        send(true, 32, 1002, 5002, ACK, 65535, 0);
        TcpAnalysis a = send(true, 5000, 1000, 0, SYN, 65535, 0);   // same ISN: SYN retransmission
        assertEquals(0, a.stream);
        assertFalse(a.reusedPorts);
        assertTrue(a.retransmission);

        a = send(true, 6000, 90_000, 0, SYN, 65535, 0);           // new ISN: new conversation
        assertEquals(1, a.stream);
        assertTrue(a.reusedPorts);
        assertEquals(0, a.seq);
        assertEquals(0, a.timeRelativeNanos);
        a = send(false, 6010, 70_000, 90_001, SYN | ACK, 65535, 0);
        assertEquals(1, a.stream);
        assertEquals(0, a.seq);
        assertEquals(1, a.ack);
        assertFalse(a.reusedPorts);
        assertEquals(2, analyzer.streamCount());
    }

    @Test
    void steadyStateDoesNotAllocateConversations() {
        handshake();
        for (int i = 0; i < 1000; i++) {
            send(false, 30 + i, 5001 + i * 100L, 1001, ACK, 65535, 100);
            TcpAnalysis a = send(true, 30 + i, 1001, 5101 + i * 100L, ACK, 65535, 0);
            assertEquals(0, a.stream);
            assertEquals(frame - 1, a.acksFrame);
        }
        assertEquals(1, analyzer.streamCount());
    }
}
