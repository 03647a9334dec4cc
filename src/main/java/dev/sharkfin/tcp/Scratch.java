package dev.sharkfin.tcp;

import dev.sharkfin.dissect.TcpSegment;

/**
 * The segment under analysis as packet-tcp.c sees it (pinfo/tcph primitives, its conversation and the two
 * flows) plus its {@link Findings}; one reusable instance per analyzer, so the per-segment path allocates nothing.
 *
 * <p>Contract: {@link #load} is the one place everything is reset; {@link #bind} then attaches the conversation.
 * No reference to the {@link TcpSegment} is kept.
 */
final class Scratch {
    static final int FIN = TcpSegment.FIN, SYN = TcpSegment.SYN, RST = TcpSegment.RST,
            PSH = TcpSegment.PSH, ACK = TcpSegment.ACK;

    long now;
    long frame;
    int seq;
    int ack;
    /** The segment has a known payload length (Wireshark runs the sequence analysis only then). */
    boolean haveLen;
    int seglen;
    int flags;
    /** Raw (unscaled) window. */
    int window;
    /** This segment's lookup created the conversation (see {@link Conversations#opened()}). */
    boolean opened;
    TcpConversation conv;
    FlowState fwd;
    FlowState rev;
    final Findings ta = new Findings();

    Scratch load(TcpSegment s) {
        now = s.timeNanos;
        frame = s.frameNumber;
        seq = (int) s.seq;
        ack = (int) s.ack;
        haveLen = s.payloadLength >= 0;
        seglen = haveLen ? s.payloadLength : 0;
        flags = s.flags;
        window = s.window;
        opened = false;
        conv = null;
        fwd = null;
        rev = null;
        ta.reset();
        return this;
    }

    /** Attaches the conversation; {@code direction} as {@link Conversations#direction()}. */
    void bind(TcpConversation c, int direction) {
        conv = c;
        fwd = c.forward(direction);
        rev = c.reverse(direction);
    }

    /** Whether any of the TCP flag bits in {@code mask} is set. */
    boolean any(int mask) {
        return (flags & mask) != 0;
    }

    /** Whether, among the flag bits in {@code mask}, exactly those in {@code set} are set. */
    boolean only(int mask, int set) {
        return (flags & mask) == set;
    }

    /** SYN and FIN occupy one sequence number each ("virtual byte"). */
    int synFinLength() {
        return any(SYN | FIN) ? 1 : 0;
    }

    /** The segment occupies sequence space: payload, SYN or FIN. */
    boolean occupiesSequenceSpace() {
        return seglen > 0 || any(SYN | FIN);
    }
}
