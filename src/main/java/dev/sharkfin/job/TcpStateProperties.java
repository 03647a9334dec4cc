package dev.sharkfin.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.tcp.ConversationEvictions;
import dev.sharkfin.tcp.ConversationLimits;

/**
 * The TCP conversation state one job's analysis keeps (see {@link ConversationLimits}): Wireshark keeps every
 * conversation; these bounds keep the heap flat whatever the capture, at the price of a new tcp.stream and a fresh
 * analysis for a flow seen again after its conversation was evicted. Below the caps nothing is evicted (unless an
 * idle timeout is set), so a capture that fits is analysed exactly as by Wireshark.
 *
 * @param maxConversations  conversations kept at once (about 700 bytes each); past it, a closed one quiet for the
 *                          closed grace goes, else the least recently seen
 * @param idleTimeout       capture time after which a conversation that had no segment goes even below the caps
 *                          (0, the default: never; a capture with long pauses or a damaged clock would differ)
 * @param closedGrace       at a cap, a closed conversation (both FINs, or a RST) goes before any other once quiet for
 *                          this long, so that late segments and a port reuse's SYN still find it
 * @param maxUnackedState   what the unacked-segment lists of all conversations may hold (24 bytes a segment, at
 *                          least 480000 bytes, one conversation at Wireshark's 10000 segments a direction); past it
 *                          the least recently seen conversation goes
 */
@ConfigurationProperties("sharkfin.tcp")
public record TcpStateProperties(
        @DefaultValue("65536") int maxConversations,
        @DefaultValue("0s") Duration idleTimeout,
        @DefaultValue("4m") Duration closedGrace,
        @DefaultValue("32MB") DataSize maxUnackedState) {

    /** The defaults above (for tests and tools that build a pipeline without Spring). */
    static final TcpStateProperties DEFAULTS = new TcpStateProperties(65_536, Duration.ZERO, Duration.ofMinutes(4),
            DataSize.ofMegabytes(32));

    public TcpStateProperties {
        if (maxConversations < 1) {
            throw new IllegalArgumentException("sharkfin.tcp.max-conversations must be at least 1, not " + maxConversations);
        }
        if (idleTimeout.isNegative() || closedGrace.isNegative()) {
            throw new IllegalArgumentException("sharkfin.tcp.idle-timeout and closed-grace must not be negative");
        }
        if (maxUnackedState.toBytes() < ConversationLimits.MIN_UNACKED_BYTES) {
            throw new IllegalArgumentException("sharkfin.tcp.max-unacked-state must be at least "
                    + ConversationLimits.MIN_UNACKED_BYTES + " bytes (one conversation's unacked lists), not "
                    + maxUnackedState);
        }
    }

    ConversationLimits limits() {
        return new ConversationLimits(maxConversations, idleTimeout.toNanos(), closedGrace.toNanos(),
                maxUnackedState.toBytes());
    }

    /**
     * The job's warning for what was evicted, naming each rule's property; null when nothing was. Evicting changes
     * nothing by itself: only where an evicted flow was seen again do tcp.stream and the analysis differ from
     * Wireshark's.
     */
    String warning(ConversationEvictions e) {
        if (e.total() == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder("TCP conversation state was bounded: ").append(e.total())
                .append(" conversations were forgotten (");
        String sep = "";
        if (e.closed() > 0) {
            b.append(e.closed()).append(" closed, quiet for sharkfin.tcp.closed-grace=").append(brief(closedGrace))
                    .append(", at a cap");
            sep = "; ";
        }
        if (e.idle() > 0) {
            b.append(sep).append(e.idle()).append(" idle for sharkfin.tcp.idle-timeout=").append(brief(idleTimeout));
            sep = "; ";
        }
        if (e.overCount() > 0) {
            b.append(sep).append(e.overCount()).append(" least recently seen at sharkfin.tcp.max-conversations=")
                    .append(maxConversations);
            sep = "; ";
        }
        if (e.overUnacked() > 0) {
            b.append(sep).append(e.overUnacked()).append(" least recently seen at sharkfin.tcp.max-unacked-state=")
                    .append(maxUnackedState);
        }
        return b.append("). A flow seen again after its conversation was forgotten got a new tcp.stream and its ")
                .append("analysis started afresh, where Wireshark, which keeps every conversation, continues the old one.")
                .toString();
    }

    /** A duration as the property would be written: 4m, 1h, 90s. */
    private static String brief(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
