package dev.sharkfin.dissect;

/**
 * One TCP header as the dissector decoded it: everything the TCP analysis reads, as primitives.
 * A packet owns one or more of these (tunnels carry TCP inside TCP/IP) and reuses them from packet to
 * packet, so the analysis must copy what it keeps and never hold on to the instance.
 */
public final class TcpSegment {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20,
            ECE = 0x40, CWR = 0x80, AE = 0x100;
    public static final int MAX_SACK = 4;

    /** Frame number (1-based, capture order) and capture time in nanoseconds since the epoch. */
    public long frameNumber;
    public long timeNanos;

    /** The enclosing IP header's addresses: {@code addressLength} (4 or 16) bytes at the offsets in {@code data}. */
    public byte[] data;
    public int addressLength;
    public int srcAddressOffset;
    public int dstAddressOffset;

    public int srcPort;
    public int dstPort;
    /** Raw (absolute) sequence and acknowledgement numbers, unsigned 32-bit. */
    public long seq;
    public long ack;
    /** Flag bits as in the header (FIN = 0x01 ... CWR = 0x80, AE/NS = 0x100). */
    public int flags;
    /** The 12 flag bits as in the header, the three reserved ones included (tcp.flags). */
    public int flagBits;
    /** Window field as sent, before scaling. */
    public int window;
    public int headerLength;
    /**
     * TCP payload length ({@code tcp.len}); from the IP length, not the captured length. -1 for a header quoted
     * in an ICMP error or sampled by sFlow: its conversation is found, but it is not analysed.
     */
    public int payloadLength;

    /** The payload's captured bytes: {@code payloadCaptured} bytes of {@code payload} from {@code payloadOffset}. */
    public byte[] payload;
    public int payloadOffset;
    public int payloadCaptured;

    /** Options; -1 where absent. {@code windowScale} is the shift count as sent. */
    public int mss = -1;
    public int windowScale = -1;
    public boolean sackPermitted;
    public int sackCount;
    public final long[] sackLeft = new long[MAX_SACK];
    public final long[] sackRight = new long[MAX_SACK];
    /**
     * A SACK option too short to hold one complete block: Wireshark's option dissector throws on it, which
     * hides the analysis of this segment (its effects on the conversation stay).
     */
    public boolean sackWithoutBlock;
    public boolean hasTimestamps;
    public long tsval;
    public long tsecr;

    /**
     * Where the TCP analysis puts its expert messages ({@link Packet#insertExpert}): after a FIN chat (who
     * closes), after the SACK option's (D-SACK), after the header's (the sequence analysis); -1 where there is none.
     */
    public int finExpertAt = -1;
    public int sackOptionAt = -1;
    public int expertAt = -1;
    /** Where the acknowledgment number's expert goes (TCP Fast Open on a SYN+ACK): before the flags' chats; -1: none. */
    public int ackExpertAt = -1;
    /** A SYN (no ACK) with data and a TCP Fast Open cookie (option 34): Wireshark's tfo_syn_data for the conversation. */
    public boolean tfoSynData;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public void reset() {
        data = null;
        addressLength = srcAddressOffset = dstAddressOffset = 0;
        srcPort = dstPort = flags = window = headerLength = payloadLength = 0;
        seq = ack = 0;
        mss = windowScale = -1;
        sackPermitted = false;
        sackCount = 0;
        sackWithoutBlock = false;
        hasTimestamps = false;
        tsval = tsecr = 0;
        finExpertAt = sackOptionAt = expertAt = ackExpertAt = -1;
        tfoSynData = false;
        payload = null;
        payloadOffset = payloadCaptured = 0;
    }
}
