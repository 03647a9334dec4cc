package dev.sharkfin.tcp;

import dev.sharkfin.dissect.TcpSegment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sharkfin.dissect.TcpSegment.ACK;
import static dev.sharkfin.dissect.TcpSegment.FIN;
import static dev.sharkfin.dissect.TcpSegment.RST;
import static dev.sharkfin.dissect.TcpSegment.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eviction of TCP conversations (Conversations with ConversationLimits): which goes when, in which order, and that
 * a flow seen again after its conversation went starts afresh. Clients 10.0.0.1:port, server 10.0.0.2:80.
 */
class ConversationEvictionTest {
    private static final byte[] ADDRS = {10, 0, 0, 1, 10, 0, 0, 2};
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;
    private static final long BIG_UNACKED = 1L << 30;

    private final TcpSegment seg = new TcpSegment();
    private final TcpAnalysis out = new TcpAnalysis();
    private TcpAnalyzer analyzer;
    private long frame;

    private TcpAnalysis send(int port, boolean c2s, long timeNanos, long seq, long ack, int flags, int len) {
        seg.reset();
        seg.frameNumber = ++frame;
        seg.timeNanos = T0 + timeNanos;
        seg.data = ADDRS;
        seg.addressLength = 4;
        seg.srcAddressOffset = c2s ? 0 : 4;
        seg.dstAddressOffset = c2s ? 4 : 0;
        seg.srcPort = c2s ? port : 80;
        seg.dstPort = c2s ? 80 : port;
        seg.seq = seq & 0xFFFFFFFFL;
        seg.ack = ack & 0xFFFFFFFFL;
        seg.flags = flags;
        seg.window = 65535;
        seg.headerLength = 20;
        seg.payloadLength = len;
        seg.windowScale = -1;
        analyzer.analyze(seg, out, false);
        return out;
    }

    /** A SYN from {@code port} at {@code t}: its stream. */
    private long syn(int port, long t) {
        return send(port, true, t, 1000, 0, SYN, 0).stream;
    }

    /** Data from the client of {@code port} (after a SYN with ISN 1000): its stream. */
    private long data(int port, long t) {
        return send(port, true, t, 1001, 0, ACK, 10).stream;
    }

    @Test
    void theLeastRecentlySeenGoesAtTheConversationCap() {
        analyzer = new TcpAnalyzer(new ConversationLimits(2, 0, 0, BIG_UNACKED));
        assertEquals(0, syn(1, 0));
        assertEquals(1, syn(2, 1));
        assertEquals(0, data(1, 2), "1 is now the most recently seen");
        assertEquals(2, syn(3, 3), "3 takes 2's place, 2 being the least recently seen");
        assertEquals(0, data(1, 4), "1 kept");
        assertEquals(2, data(3, 5), "3 kept");
        assertEquals(new ConversationEvictions(0, 0, 1, 0), analyzer.evictions());
        TcpAnalysis back = send(2, true, 6, 1001, 0, ACK, 10);
        assertEquals(3, back.stream, "2, seen again, is a new conversation with the next stream number");
        assertEquals(1, back.seq, "its analysis starts afresh, as for a flow first seen mid-connection");
        assertEquals(new ConversationEvictions(0, 0, 2, 0), analyzer.evictions(), "and 1 made room for it");
    }

    @Test
    void nothingChangesWhileTheCaptureFitsTheCaps() {
        List<String> unbounded = run(new ConversationLimits(Integer.MAX_VALUE, 0, 0, BIG_UNACKED));
        // Exactly as many conversations as the script has; a closed grace far shorter than its 100 s.
        List<String> tight = run(new ConversationLimits(40, 0, S, ConversationLimits.MIN_UNACKED_BYTES));
        assertEquals(ConversationEvictions.NONE, analyzer.evictions());
        assertEquals(unbounded, tight);
    }

    /** 40 conversations, interleaved, each: handshake, data both ways, a FIN each way or a RST, over 100 s. */
    private List<String> run(ConversationLimits limits) {
        analyzer = new TcpAnalyzer(limits);
        frame = 0;
        List<String> shown = new ArrayList<>();
        for (int step = 0; step < 6; step++) {
            for (int c = 0; c < 40; c++) {
                long t = (step * 40L + c) * S * 100 / 240;
                TcpAnalysis a = switch (step) {
                    case 0 -> send(c, true, t, 1000, 0, SYN, 0);
                    case 1 -> send(c, false, t, 5000, 1001, SYN | ACK, 0);
                    case 2 -> send(c, true, t, 1001, 5001, ACK, 100);
                    case 3 -> send(c, false, t, 5001, 1101, ACK, 200);
                    case 4 -> send(c, true, t, 1101, 5201, c % 3 == 0 ? RST : FIN | ACK, 0);
                    default -> send(c, false, t, 5201, 1102, FIN | ACK, 0);
                };
                shown.add(a.stream + " " + a.seq + " " + a.ack + " " + a.completeness + " " + a.bytesInFlight + " "
                        + a.acksFrame + " " + a.analysisFlags + " " + a.finClosing);
            }
        }
        return shown;
    }

    @Test
    void atTheCapAClosedConversationQuietForTheGraceGoesFirst() {
        analyzer = new TcpAnalyzer(new ConversationLimits(2, 0, 10 * S, BIG_UNACKED));
        syn(1, 0);
        syn(2, S);
        send(2, false, 2 * S, 5000, 1001, SYN | ACK, 0);
        send(2, true, 3 * S, 1001, 5001, FIN | ACK, 0);
        send(2, false, 4 * S, 5001, 1002, FIN | ACK, 0);
        send(2, true, 5 * S, 1002, 5002, ACK, 0);
        assertEquals(ConversationEvictions.NONE, analyzer.evictions(), "below the cap, closed ones stay");
        assertEquals(2, syn(3, 14 * S), "2 closed, but quiet for 9 s of 10: 1, the least recently seen, goes");
        assertEquals(new ConversationEvictions(0, 0, 1, 0), analyzer.evictions());
        assertEquals(1, send(2, true, 15 * S, 1002, 5002, ACK, 0).stream, "2 kept");
        assertEquals(3, syn(4, 26 * S), "2, quiet since 15 s, goes before 3, the least recently seen");
        assertEquals(new ConversationEvictions(1, 0, 1, 0), analyzer.evictions());
        assertEquals(2, data(3, 27 * S), "3 kept");
        assertEquals(4, send(2, true, 28 * S, 1002, 5002, ACK, 0).stream, "a late segment of 2: a new conversation");
    }

    @Test
    void aResetConversationSeenAfterItsClosingWaitsTillQuiet() {
        analyzer = new TcpAnalyzer(new ConversationLimits(2, 0, 10 * S, BIG_UNACKED));
        syn(1, 0);
        send(1, true, S, 1001, 0, RST, 0);
        syn(2, 2 * S);
        assertEquals(0, data(1, 9 * S), "segments after a RST: the same conversation");
        assertEquals(2, syn(3, 12 * S), "1 closed at 1 s but seen at 9 s: 2, the least recently seen, goes");
        assertEquals(new ConversationEvictions(0, 0, 1, 0), analyzer.evictions());
        assertEquals(3, syn(4, 19 * S), "1 quiet since 9 s: it goes, not 3");
        assertEquals(new ConversationEvictions(1, 0, 1, 0), analyzer.evictions());
        assertEquals(2, data(3, 20 * S));
    }

    @Test
    void closedConversationsEvictedBeforeTheirGraceEndedAreNotKeptForIt() {
        analyzer = new TcpAnalyzer(new ConversationLimits(2, 0, 3600 * S, BIG_UNACKED)); // no grace ends
        for (int port = 1; port <= 1000; port++) {
            syn(port, port);
            send(port, true, port, 1001, 0, RST, 0);
        }
        assertEquals(2, analyzer.conversations().size());
        assertEquals(998, analyzer.evictions().overCount());
        assertTrue(analyzer.conversations().closedQueued() <= 4, "at most twice the table's cap waits for its grace");
    }

    @Test
    void anIdleConversationGoesAfterTheIdleTimeoutOfCaptureTime() {
        analyzer = new TcpAnalyzer(new ConversationLimits(100, 60 * S, 0, BIG_UNACKED));
        syn(1, 0);
        syn(2, 30 * S);
        assertEquals(0, data(1, 59 * S), "idle 59 s of 60");
        assertEquals(2, data(2, 100 * S), "2, quiet for 70 s, went before its own segment was looked up");
        assertEquals(new ConversationEvictions(0, 1, 0, 0), analyzer.evictions(), "1 was quiet for 41 s only");
        assertEquals(3, data(1, 120 * S));
        assertEquals(new ConversationEvictions(0, 2, 0, 0), analyzer.evictions());
    }

    @Test
    void aClockGoingBackEvictsNothingAndKeepsItsHighestTime() {
        analyzer = new TcpAnalyzer(new ConversationLimits(100, 60 * S, 0, BIG_UNACKED));
        syn(1, 100 * S);
        syn(2, 0);
        assertEquals(1, data(2, 150 * S), "seen at the clock's 100 s, not at 0: idle 50 s");
        assertEquals(ConversationEvictions.NONE, analyzer.evictions());
    }

    @Test
    void theUnackedListsOfAllConversationsAreBounded() {
        analyzer = new TcpAnalyzer(new ConversationLimits(100, 0, 0, ConversationLimits.MIN_UNACKED_BYTES));
        for (int port = 1; port <= 2; port++) {
            syn(port, 0);
            for (int i = 0; i < FlowState.MAX_UNACKED - 1; i++) {
                send(port, true, 1, 1001 + i * 10L, 0, ACK, 10);
            }
        }
        assertEquals(ConversationEvictions.NONE, analyzer.evictions(), "two full conversations fit exactly");
        assertEquals(2, syn(3, 2));
        assertEquals(new ConversationEvictions(0, 0, 0, 1), analyzer.evictions(), "the third's first segment does not");
        assertEquals(3, data(1, 3), "1 went, the least recently seen");
        assertEquals(1, data(2, 4));
    }

    @Test
    void listsEmptiedAfterABurstAreGivenBack() {
        TcpConversation conv = new TcpConversation(0, 0, new ConvKey());
        for (int i = 0; i < FlowState.KEEP_CAPACITY; i++) {
            conv.flow1.add(i, i * 10, i * 10 + 10, 0);
        }
        assertTrue(conv.unackedCapacity() >= FlowState.KEEP_CAPACITY);
        conv.flow1.ackedSegments(FlowState.KEEP_CAPACITY * 10, 0, new Findings());
        assertEquals(0, conv.unackedCapacity());
    }
}
