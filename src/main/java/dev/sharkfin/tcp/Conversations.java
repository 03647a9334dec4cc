package dev.sharkfin.tcp;

import dev.sharkfin.dissect.TcpSegment;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The TCP flow table and stream numbering: Wireshark's find_conversation_pinfo / conversation_new for TCP, with
 * tcp.stream numbers handed out in the order conversations are created (including those a port reuse creates),
 * bounded by {@link ConversationLimits}.
 *
 * <p>Contract: one instance per capture, single-threaded. {@link #find} looks a segment up with a reusable probe
 * key (no allocation when the conversation exists) and records the segment's direction and whether the lookup
 * opened the conversation; {@link #replace} must follow the {@link #find} of the same segment, {@link #charge}
 * end the analysis of a segment that may have grown its conversation's unacked lists. FTP passive-mode data
 * connections count as already opened (see {@link FtpDataConversations}).
 *
 * <p>Eviction: the table keeps its conversations in a list, least recently seen first (linked through the
 * conversations, so moving one costs no allocation), and the closed ones (both FINs, or a RST) in a queue in closing
 * order. Below its caps the table forgets nothing (but for an idle timeout, when one is set), so a capture that fits
 * is analysed exactly as Wireshark does. At a cap (a creation beyond the conversation cap, a growth beyond the
 * unacked cap), the closed conversation that closed first goes if it was quiet for the closed grace, else the least
 * recently seen one. Time is capture time: the highest segment time seen so far (a clock that goes back does not
 * bring anything back). The conversation of the segment being analysed is the most recently seen, so it never goes.
 * Evicting only removes: stream numbers are handed out as without it, so nothing changes unless an evicted flow is
 * seen again (it then starts a new conversation, as a flow never seen before).
 */
final class Conversations {
    private final HashMap<ConvKey, TcpConversation> table = new HashMap<>();
    private final ArrayDeque<TcpConversation> closed = new ArrayDeque<>();
    private final ConvKey probe = new ConvKey();
    private final FtpDataConversations ftpData = new FtpDataConversations();
    private final ConversationLimits limits;
    private final long maxUnackedEntries;
    private TcpConversation oldest;
    private TcpConversation newest;
    private long clock = Long.MIN_VALUE;
    private long unackedEntries;
    private long streamCount;
    private int direction;
    private boolean opened;
    private long evictedClosed;
    private long evictedIdle;
    private long evictedOverCount;
    private long evictedOverUnacked;

    Conversations() {
        this(ConversationLimits.DEFAULT);
    }

    Conversations(ConversationLimits limits) {
        this.limits = limits;
        this.maxUnackedEntries = limits.maxUnackedBytes() / ConversationLimits.UNACKED_ENTRY_BYTES;
    }

    /** The segment's conversation, created if needed; also feeds the FTP reader with segments that have a length. */
    TcpConversation find(TcpSegment s) {
        clock = Math.max(clock, s.timeNanos);
        expire();
        direction = probe.set(s);
        TcpConversation conv = table.get(probe);
        opened = false;
        if (conv == null) {
            conv = create(s.timeNanos);
            // An FTP data connection's conversation was opened by the passive-mode reply (see FtpDataConversations).
            opened = !ftpData.claim(s);
        } else {
            seen(conv);
        }
        if (s.payloadLength >= 0) {
            ftpData.read(s);
        }
        return conv;
    }

    /** A new conversation (next tcp.stream) that replaces the last found one for all later lookups (port reuse). */
    TcpConversation replace(long now) {
        TcpConversation old = table.get(probe);
        if (old != null) {
            drop(old);
        }
        return create(now);
    }

    private TcpConversation create(long now) {
        ConvKey key = probe.copy();
        TcpConversation conv = new TcpConversation(streamCount++, now, key);
        table.put(key, conv);
        seen(conv);
        while (table.size() > limits.maxConversations()) {
            evictOne(true);
        }
        return conv;
    }

    /**
     * The conversation is closed (both sides sent a FIN, or one a RST): it goes once quiet for the closed grace.
     * Called by the analysis of the segment that closes it; later calls change nothing.
     */
    void closed(TcpConversation conv) {
        if (conv.closedAt == TcpConversation.NOT_CLOSED && conv.inTable) {
            conv.closedAt = clock;
            if (closed.size() >= 2L * limits.maxConversations()) {
                // Evicted before their grace ended: without this, they would stay referenced for the grace (at
                // most as many as the table holds are alive, so this runs once per that many closings).
                closed.removeIf(c -> !c.inTable);
            }
            closed.addLast(conv);
        }
    }

    /**
     * Charges the table with what the conversation's unacked lists hold now, and evicts the least recently seen
     * conversations while all lists together exceed the limit.
     */
    void charge(TcpConversation conv) {
        int capacity = conv.unackedCapacity();
        if (capacity == conv.charged || !conv.inTable) {
            return;
        }
        unackedEntries += capacity - conv.charged;
        conv.charged = capacity;
        while (unackedEntries > maxUnackedEntries && oldest != conv) {
            evictOne(false);
        }
    }

    /** Conversations idle for the idle timeout (when one is set), oldest first. */
    private void expire() {
        long idle = limits.idleTimeoutNanos();
        while (idle > 0 && oldest != null && clock - oldest.lastSeen >= idle) {
            evictedIdle++;
            drop(oldest);
        }
    }

    /**
     * Makes room at a cap: the closed conversation that closed first, if it was quiet for the closed grace, else the
     * least recently seen one (counted under {@code overCount} or {@code overUnacked}).
     */
    private void evictOne(boolean overCount) {
        TcpConversation c = closedQuietForTheGrace();
        if (c != null) {
            evictedClosed++;
            drop(c);
            return;
        }
        if (overCount) {
            evictedOverCount++;
        } else {
            evictedOverUnacked++;
        }
        drop(oldest);
    }

    /** The first closed conversation quiet for the grace, or null; forgets the evicted ones it passes. */
    private TcpConversation closedQuietForTheGrace() {
        long grace = limits.closedGraceNanos();
        while (!closed.isEmpty() && clock - closed.peekFirst().closedAt >= grace) {
            TcpConversation c = closed.pollFirst();
            if (!c.inTable) {
                continue;
            }
            if (clock - c.lastSeen >= grace) {
                return c;
            }
            // Seen since its closing (the final ACK, a retransmission): its grace starts again from then. The queue
            // is no longer in time order, which only delays the ones behind it, by a grace at most.
            c.closedAt = c.lastSeen;
            closed.addLast(c);
        }
        return null;
    }

    /** Makes the conversation the most recently seen. */
    private void seen(TcpConversation c) {
        c.lastSeen = clock;
        if (c == newest) {
            return;
        }
        unlink(c);
        c.older = newest;
        if (newest != null) {
            newest.newer = c;
        }
        newest = c;
        if (oldest == null) {
            oldest = c;
        }
    }

    /** Takes the conversation out of the table, the list and the charge (it may still be in the closed queue). */
    private void drop(TcpConversation c) {
        table.remove(c.key);
        unlink(c);
        unackedEntries -= c.charged;
        c.charged = 0;
        c.inTable = false;
    }

    private void unlink(TcpConversation c) {
        if (c.older != null) {
            c.older.newer = c.newer;
        } else if (oldest == c) {
            oldest = c.newer;
        }
        if (c.newer != null) {
            c.newer.older = c.older;
        } else if (newest == c) {
            newest = c.older;
        }
        c.older = null;
        c.newer = null;
    }

    /** Wireshark's direction of the last found segment: {@code >= 0} when it travels from flow 1's side. */
    int direction() {
        return direction;
    }

    /** The last {@link #find} created the conversation (and no FTP reply had announced it). */
    boolean opened() {
        return opened;
    }

    /** Number of conversations (streams) created so far. */
    long streamCount() {
        return streamCount;
    }

    /** Conversations kept now. */
    int size() {
        return table.size();
    }

    /** Bytes the unacked lists of the kept conversations hold (their capacity). */
    long unackedBytes() {
        return unackedEntries * ConversationLimits.UNACKED_ENTRY_BYTES;
    }

    /** Closed conversations waiting for their grace (some may have been evicted since). */
    int closedQueued() {
        return closed.size();
    }

    ConversationEvictions evictions() {
        return new ConversationEvictions(evictedClosed, evictedIdle, evictedOverCount, evictedOverUnacked);
    }
}
