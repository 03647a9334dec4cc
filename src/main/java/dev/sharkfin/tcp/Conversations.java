package dev.sharkfin.tcp;

import dev.sharkfin.dissect.TcpSegment;

import java.util.HashMap;

/**
 * The TCP flow table and stream numbering: Wireshark's find_conversation_pinfo / conversation_new for TCP, with
 * tcp.stream numbers handed out in the order conversations are created (including those a port reuse creates).
 *
 * <p>Contract: one instance per capture, single-threaded. {@link #find} looks a segment up with a reusable probe
 * key (no allocation when the conversation exists) and records the segment's direction and whether the lookup
 * opened the conversation; {@link #replace} must follow the {@link #find} of the same segment. FTP passive-mode
 * data connections count as already opened (see {@link FtpDataConversations}).
 */
final class Conversations {
    private final HashMap<ConvKey, TcpConversation> table = new HashMap<>();
    private final ConvKey probe = new ConvKey();
    private final FtpDataConversations ftpData = new FtpDataConversations();
    private long streamCount;
    private int direction;
    private boolean opened;

    /** The segment's conversation, created if needed; also feeds the FTP reader with segments that have a length. */
    TcpConversation find(TcpSegment s) {
        direction = probe.set(s);
        TcpConversation conv = table.get(probe);
        opened = false;
        if (conv == null) {
            conv = create(s.timeNanos);
            // An FTP data connection's conversation was opened by the passive-mode reply (see FtpDataConversations).
            opened = !ftpData.claim(s);
        }
        if (s.payloadLength >= 0) {
            ftpData.read(s);
        }
        return conv;
    }

    /** A new conversation (next tcp.stream) that replaces the last found one for all later lookups (port reuse). */
    TcpConversation replace(long now) {
        return create(now);
    }

    private TcpConversation create(long now) {
        TcpConversation conv = new TcpConversation(streamCount++, now);
        table.put(probe.copy(), conv);
        return conv;
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
}
