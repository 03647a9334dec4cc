package dev.sharkfin.dissect;

import java.util.List;

/**
 * The TCP header and options. It fills a {@link TcpSegment} for the TCP analysis, which runs after
 * dissection and appends its fields (stream, relative sequence numbers, analysis flags) to this layer.
 */
public final class Tcp implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("tcp", "Transmission Control Protocol").ipProtocol(6, new Tcp());
    // The header and its options, read by this decoder.
    public static final Field SRCPORT = PROTOCOL.number("tcp.srcport", "Source port");
    public static final Field DSTPORT = PROTOCOL.number("tcp.dstport", "Destination port");
    public static final Field PORT = PROTOCOL.number("tcp.port", "Source and destination ports").list();
    public static final Field SEQ_RAW = PROTOCOL.number("tcp.seq_raw", "Sequence number, as on the wire").docValuesOnly();
    public static final Field ACK_RAW = PROTOCOL.number("tcp.ack_raw", "Acknowledgment number, as on the wire").docValuesOnly();
    public static final Field HDR_LEN = PROTOCOL.number("tcp.hdr_len", "Header length, in bytes");
    public static final Field FLAGS = PROTOCOL.number("tcp.flags",
            "Flags, the three reserved bits included (0x002: SYN, 0x010: ACK, 0x001: FIN, 0x004: RST, 0x008: PSH)");
    public static final Field FLAGS_RES = PROTOCOL.bool("tcp.flags.res", "A reserved flag bit is set");
    public static final Field FLAGS_AE = PROTOCOL.bool("tcp.flags.ae", "Accurate ECN");
    public static final Field FLAGS_CWR = PROTOCOL.bool("tcp.flags.cwr", "Congestion window reduced");
    public static final Field FLAGS_ECE = PROTOCOL.bool("tcp.flags.ece", "ECN echo");
    public static final Field FLAGS_URG = PROTOCOL.bool("tcp.flags.urg", "Urgent");
    public static final Field FLAGS_ACK = PROTOCOL.bool("tcp.flags.ack", "Acknowledgment");
    public static final Field FLAGS_PUSH = PROTOCOL.bool("tcp.flags.push", "Push");
    public static final Field FLAGS_RESET = PROTOCOL.bool("tcp.flags.reset", "Reset");
    public static final Field FLAGS_SYN = PROTOCOL.bool("tcp.flags.syn", "Syn");
    public static final Field FLAGS_FIN = PROTOCOL.bool("tcp.flags.fin", "Fin");
    public static final Field WINDOW_SIZE_VALUE = PROTOCOL.number("tcp.window_size_value", "Window, as on the wire (not scaled)");
    public static final Field CHECKSUM = PROTOCOL.number("tcp.checksum", "Checksum, as on the wire (not verified)").storedOnly();
    public static final Field CONNECTION_SYN = PROTOCOL.bool("tcp.connection.syn", "A connection request: SYN without ACK");
    public static final Field CONNECTION_SYNACK = PROTOCOL.bool("tcp.connection.synack", "A connection acknowledge: SYN and ACK");
    public static final Field CONNECTION_FIN = PROTOCOL.bool("tcp.connection.fin", "A connection finish: FIN");
    public static final Field CONNECTION_RST = PROTOCOL.bool("tcp.connection.rst", "A connection reset: RST");
    public static final Field CHECKSUM_STATUS = PROTOCOL.number("tcp.checksum.status",
            "Checksum status: 2 (unverified), as Wireshark with checksum validation off");
    public static final Field URGENT_POINTER = PROTOCOL.number("tcp.urgent_pointer", "Urgent pointer");
    public static final Field LEN = PROTOCOL.number("tcp.len", "Segment length: payload bytes");
    public static final Field OPTIONS = PROTOCOL.bytes("tcp.options", "The options, as bytes").storedOnly();
    public static final Field OPTION_KIND = PROTOCOL.number("tcp.option_kind",
            "Option kind, per option in wire order (0: EOL, 1: NOP, 2: MSS, 3: window scale, 4: SACK permitted, 5: SACK, 8: timestamps)").list();
    public static final Field OPTION_LEN = PROTOCOL.number("tcp.option_len", "Option length, per option that has one, in wire order").list();
    public static final Field OPTIONS_MSS_VAL = PROTOCOL.number("tcp.options.mss_val", "Maximum segment size option");
    public static final Field OPTIONS_WSCALE_SHIFT = PROTOCOL.number("tcp.options.wscale.shift", "Window scale option: shift count");
    public static final Field OPTIONS_WSCALE_MULTIPLIER = PROTOCOL.number("tcp.options.wscale.multiplier", "Window scale option: multiplier (2^shift)");
    public static final Field OPTIONS_SACK_PERM = PROTOCOL.bool("tcp.options.sack_perm", "SACK permitted option");
    public static final Field OPTIONS_SACK_COUNT = PROTOCOL.number("tcp.options.sack.count", "SACK option: number of blocks");
    public static final Field OPTIONS_TIMESTAMP_TSVAL = PROTOCOL.number("tcp.options.timestamp.tsval",
            "Timestamps option: the sender's timestamp").docValuesOnly();
    public static final Field OPTIONS_TIMESTAMP_TSECR = PROTOCOL.number("tcp.options.timestamp.tsecr",
            "Timestamps option: the timestamp echoed").docValuesOnly();

    // The conversation analysis, which tcp.TcpFields appends to this layer after dissection.
    public static final Field STREAM = PROTOCOL.number("tcp.stream", "Stream index: the TCP conversation, numbered from 0 in capture order");
    public static final Field COMPLETENESS = PROTOCOL.number("tcp.completeness",
            "What the capture holds of the conversation so far (bits: 1 SYN, 2 SYN-ACK, 4 ACK, 8 data, 16 FIN, 32 RST)");
    public static final Field SEQ = PROTOCOL.number("tcp.seq", "Sequence number, relative to the conversation's first");
    public static final Field NXTSEQ = PROTOCOL.number("tcp.nxtseq", "Next sequence number (relative): seq plus the bytes this segment sends");
    public static final Field ACK = PROTOCOL.number("tcp.ack",
            "Acknowledgment number, relative (as on the wire when the ACK flag is off)");
    public static final Field WINDOW_SIZE = PROTOCOL.number("tcp.window_size", "Window, scaled: what the receiver can take, in bytes");
    public static final Field WINDOW_SIZE_SCALEFACTOR = PROTOCOL.number("tcp.window_size_scalefactor",
            "Window scaling factor (-1: unknown, -2: no scaling)");
    public static final Field TIME_RELATIVE = PROTOCOL.seconds("tcp.time_relative", "Seconds since the conversation's first frame");
    public static final Field TIME_DELTA = PROTOCOL.seconds("tcp.time_delta", "Seconds since the conversation's previous frame");
    public static final Field ANALYSIS_BYTES_IN_FLIGHT = PROTOCOL.number("tcp.analysis.bytes_in_flight",
            "Bytes sent and not yet acknowledged, this segment included: the sender's congestion window at work");
    public static final Field ANALYSIS_PUSH_BYTES_SENT = PROTOCOL.number("tcp.analysis.push_bytes_sent", "Bytes sent since the last PSH flag");
    public static final Field ANALYSIS_ACKS_FRAME = PROTOCOL.number("tcp.analysis.acks_frame", "The frame whose segment this ACK acknowledges");
    public static final Field ANALYSIS_ACK_RTT = PROTOCOL.seconds("tcp.analysis.ack_rtt", "Round-trip time: seconds from that segment to this ACK");
    public static final Field ANALYSIS_INITIAL_RTT = PROTOCOL.seconds("tcp.analysis.initial_rtt", "Seconds from the SYN to the ACK of the SYN-ACK");
    public static final Field ANALYSIS_RETRANSMISSION = PROTOCOL.bool("tcp.analysis.retransmission", "A (suspected) retransmission");
    public static final Field ANALYSIS_FAST_RETRANSMISSION = PROTOCOL.bool("tcp.analysis.fast_retransmission",
            "A (suspected) fast retransmission: after duplicate ACKs");
    public static final Field ANALYSIS_SPURIOUS_RETRANSMISSION = PROTOCOL.bool("tcp.analysis.spurious_retransmission",
            "A (suspected) spurious retransmission: of data already acknowledged");
    public static final Field ANALYSIS_OUT_OF_ORDER = PROTOCOL.bool("tcp.analysis.out_of_order", "A (suspected) out-of-order segment");
    public static final Field ANALYSIS_LOST_SEGMENT = PROTOCOL.bool("tcp.analysis.lost_segment", "Previous segments were not captured");
    public static final Field ANALYSIS_ACK_LOST_SEGMENT = PROTOCOL.bool("tcp.analysis.ack_lost_segment",
            "Acknowledges a segment that was not captured");
    public static final Field ANALYSIS_KEEP_ALIVE = PROTOCOL.bool("tcp.analysis.keep_alive", "A keep-alive segment");
    public static final Field ANALYSIS_KEEP_ALIVE_ACK = PROTOCOL.bool("tcp.analysis.keep_alive_ack", "The ACK of a keep-alive segment");
    public static final Field ANALYSIS_WINDOW_UPDATE = PROTOCOL.bool("tcp.analysis.window_update", "A window update: only the window changed");
    public static final Field ANALYSIS_WINDOW_FULL = PROTOCOL.bool("tcp.analysis.window_full", "The segment fills the receiver's window");
    public static final Field ANALYSIS_ZERO_WINDOW = PROTOCOL.bool("tcp.analysis.zero_window", "The receiver's window is zero");
    public static final Field ANALYSIS_ZERO_WINDOW_PROBE = PROTOCOL.bool("tcp.analysis.zero_window_probe", "A zero-window probe");
    public static final Field ANALYSIS_ZERO_WINDOW_PROBE_ACK = PROTOCOL.bool("tcp.analysis.zero_window_probe_ack", "The ACK of a zero-window probe");
    public static final Field ANALYSIS_REUSED_PORTS = PROTOCOL.bool("tcp.analysis.reused_ports",
            "A new conversation on the ports of an earlier one");
    public static final Field ANALYSIS_DUPLICATE_ACK = PROTOCOL.bool("tcp.analysis.duplicate_ack", "A duplicate ACK: the receiver reports a hole");
    public static final Field ANALYSIS_DUPLICATE_ACK_NUM = PROTOCOL.number("tcp.analysis.duplicate_ack_num", "Which duplicate of that ACK this is (1, 2, ...)");
    public static final Field ANALYSIS_DUPLICATE_ACK_FRAME = PROTOCOL.number("tcp.analysis.duplicate_ack_frame", "The frame of the ACK this one duplicates");
    public static final Field ANALYSIS_RTO = PROTOCOL.seconds("tcp.analysis.rto", "A retransmission by timeout: seconds it waited");
    public static final Field ANALYSIS_RTO_FRAME = PROTOCOL.number("tcp.analysis.rto_frame", "The frame the retransmission timeout is measured from");

    // Header fields that need the conversation: relative SACK edges, the AccECN counter in the flag letters.
    public static final Field OPTIONS_SACK_LE = PROTOCOL.number("tcp.options.sack_le",
            "SACK block left edge, relative to the receiver's base sequence number (per block)").list();
    public static final Field OPTIONS_SACK_RE = PROTOCOL.number("tcp.options.sack_re",
            "SACK block right edge, relative to the receiver's base sequence number (per block)").list();
    public static final Field OPTIONS_SACK_DSACK_LE = PROTOCOL.number("tcp.options.sack.dsack_le",
            "D-SACK: the first block reports data received twice; its left edge (relative)");
    public static final Field OPTIONS_SACK_DSACK_RE = PROTOCOL.number("tcp.options.sack.dsack_re",
            "D-SACK: the first block reports data received twice; its right edge (relative)");
    public static final Field CONNECTION_FIN_ACTIVE = PROTOCOL.bool("tcp.connection.fin_active",
            "This FIN initiates the connection closing (the other side sent none before)");
    public static final Field CONNECTION_FIN_PASSIVE = PROTOCOL.bool("tcp.connection.fin_passive",
            "This FIN undergoes the connection closing (the other side's came first)");
    public static final Field ANALYSIS_FLAGS = PROTOCOL.bool("tcp.analysis.flags",
            "The TCP analysis flagged something (retransmission, duplicate ACK, window full, ...): Wireshark's 'bad TCP' filter");
    public static final Field FLAGS_STR = PROTOCOL.keyword("tcp.flags.str",
            "The flags as letters, one per bit from the reserved ones to FIN: RRRACEUAPRSF, a middle dot where unset (ACE counter as -n-)");

    // Expert information, in Wireshark's words.
    static final String ACK_NONZERO = "The acknowledgment number field is nonzero while the ACK flag is not set";
    static final String MSS_ABSENT = "The SYN packet does not contain a MSS option";
    static final String FIN_CHAT = "Connection finish (FIN)";
    static final String NOP_ROW = "4 NOP in a row - a router may have removed some options";
    static final String RST_CHAT = "Connection reset (RST)";
    /** The SYN and SYN+ACK chats name the server port: made once per port, on first use. */
    private static final String[] SYN_CHATS = new String[65536];
    private static final String[] SYN_ACK_CHATS = new String[65536];

    /**
     * The connection chats Wireshark adds under the flags: RST, SYN or SYN+ACK (with the server's port), FIN. Each
     * hangs on its flag's item, so they come in the flags' tree order (reset before syn before fin), whatever the
     * order Wireshark's code adds them in: a segment with all flags set reads RST first.
     */
    private static void chats(Packet p, int flags, int src, int dst) {
        if ((flags & TcpSegment.RST) != 0) {
            p.expert(RST_CHAT);
            p.bool(CONNECTION_RST, true);
        }
        if ((flags & TcpSegment.SYN) != 0) {
            if ((flags & TcpSegment.ACK) != 0) {
                String m = SYN_ACK_CHATS[src];
                if (m == null) {
                    m = SYN_ACK_CHATS[src] = "Connection establish acknowledge (SYN+ACK): server port " + src;
                }
                p.expert(m);
                p.bool(CONNECTION_SYNACK, true);
            } else {
                String m = SYN_CHATS[dst];
                if (m == null) {
                    m = SYN_CHATS[dst] = "Connection establish request (SYN): server port " + dst;
                }
                p.expert(m);
                p.bool(CONNECTION_SYN, true);
            }
        }
        if ((flags & TcpSegment.FIN) != 0) {
            p.expert(FIN_CHAT);
            p.bool(CONNECTION_FIN, true);
        }
    }

    /** The fields the TCP analysis (tcp.TcpFields) writes: those declared from {@link #STREAM} on. */
    public static List<Field> analysisFields() {
        List<Field> all = PROTOCOL.fields();
        return all.subList(all.indexOf(STREAM), all.size());
    }

    /**
     * A header length below 20: as tshark 4.0.17 shows it, the ports, the segment's length and sequence number,
     * the header length with a note in Wireshark's words, and nothing after (not a malformed packet).
     */
    private static int bogusHeaderLength(Cursor c, Packet p, long seq, int hdrLen) {
        if (!p.inError && !p.fragmented) {
            p.uint(LEN, c.reported() - hdrLen);
        }
        p.uint(SEQ_RAW, seq);
        p.uint(HDR_LEN, hdrLen);
        p.expert("Bogus TCP header length (" + hdrLen + ", must be at least 20)");
        return Dispatch.STOP;
    }

    private static void ports(Cursor c, Packet p) {
        p.uint(SRCPORT, c.u16(0));
        p.uint(DSTPORT, c.u16(2));
        p.uint(PORT, c.u16(0));
        p.uint(PORT, c.u16(2));
    }

    @Override
    public int decode(Cursor c, Packet p) {
        int layer = p.layer(PROTOCOL);
        if (!c.need(20)) {
            // Wireshark shows the ports when it has them, then stops where the bytes run out.
            if (c.need(4)) {
                ports(c, p);
            }
            return Decoder.missing(c, p, 20, "TCP header");
        }
        int src = c.u16(0);
        int dst = c.u16(2);
        long seq = c.u32(4);
        long ack = c.u32(8);
        int hdrLen = (c.u8(12) >>> 4) * 4;
        int flags = c.u16(12) & 0x01ff;
        int window = c.u16(14);
        boolean analysed = !p.inError && !p.fragmented;
        ports(c, p);
        if (hdrLen < 20) {
            return bogusHeaderLength(c, p, seq, hdrLen);
        }
        p.uint(SEQ_RAW, seq);
        p.uint(ACK_RAW, ack);
        p.uint(HDR_LEN, hdrLen);
        p.hex(FLAGS, c.u16(12) & 0x0fff, 3);
        p.bool(FLAGS_RES, (c.u8(12) & 0x0e) != 0);
        p.bool(FLAGS_AE, (flags & TcpSegment.AE) != 0);
        p.bool(FLAGS_CWR, (flags & TcpSegment.CWR) != 0);
        p.bool(FLAGS_ECE, (flags & TcpSegment.ECE) != 0);
        p.bool(FLAGS_URG, (flags & TcpSegment.URG) != 0);
        p.bool(FLAGS_ACK, (flags & TcpSegment.ACK) != 0);
        p.bool(FLAGS_PUSH, (flags & TcpSegment.PSH) != 0);
        p.bool(FLAGS_RESET, (flags & TcpSegment.RST) != 0);
        p.bool(FLAGS_SYN, (flags & TcpSegment.SYN) != 0);
        p.bool(FLAGS_FIN, (flags & TcpSegment.FIN) != 0);
        p.uint(WINDOW_SIZE_VALUE, window);
        p.hex(CHECKSUM, c.u16(16), 4);
        p.uint(CHECKSUM_STATUS, 2);
        p.uint(URGENT_POINTER, c.u16(18));
        if ((flags & TcpSegment.ACK) == 0 && ack != 0) {
            p.expert(ACK_NONZERO);
        }
        int ackAt = p.expertCount();
        chats(p, flags, src, dst);
        int finAt = p.expertCount();
        int payload = c.reported() - hdrLen;
        if (payload < 0 && !p.fragmented) {
            p.malformed("TCP header length " + hdrLen + " exceeds the " + c.reported() + " bytes of the IP payload");
            return Dispatch.STOP;
        }
        // Wireshark leaves the length out of a quoted or sampled segment (it is analysed as no conversation), and
        // out of one in a first fragment it could not reassemble.
        if (analysed) {
            p.uint(LEN, payload);
        }
        // A TCP header quoted in an ICMP error or sampled by sFlow still finds (or opens) its conversation, so
        // it gets a tcp.stream, but without a length it is not analysed: raw numbers, no flags (as Wireshark).
        TcpSegment s = p.nextTcp(layer);
        if (s != null) {
            s.frameNumber = p.number;
            s.timeNanos = p.wireNanos;
            s.data = p.data;
            s.addressLength = p.addressLength;
            s.srcAddressOffset = p.srcAddressOffset;
            s.dstAddressOffset = p.dstAddressOffset;
            s.srcPort = src;
            s.dstPort = dst;
            s.seq = seq;
            s.ack = ack;
            s.flags = flags;
            s.flagBits = c.u16(12) & 0x0fff;
            s.window = window;
            s.headerLength = hdrLen;
            s.payloadLength = analysed ? payload : -1;
            s.finExpertAt = (flags & TcpSegment.FIN) != 0 ? finAt : -1;
            s.ackExpertAt = ackAt;
        }
        options(c, p, hdrLen, s);
        if (!c.need(hdrLen)) {
            return Decoder.missing(c, p, hdrLen, "TCP options");
        }
        if (hdrLen > 20 && (flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN && s != null && s.mss < 0) {
            p.expert(MSS_ABSENT);
        }
        c.skip(hdrLen);
        if (s != null) {
            s.expertAt = p.expertCount();
            s.payload = c.data();
            s.payloadOffset = c.pos();
            s.payloadCaptured = c.remaining();
        }
        // Application data is decoded per segment, from the segment that carries it (no reassembly).
        if (c.remaining() == 0 || (p.inError && !p.sampled)) {
            return Dispatch.STOP;
        }
        int next = DecoderRegistry.DEFAULT.byPort(Dispatch.TCP_PORT, src, dst);
        return next != Dispatch.STOP ? next : DecoderRegistry.DEFAULT.tcpHeuristic(c);
    }

    static final String TFO_SYN = "TCP SYN with TFO Cookie";
    /** The experimental option (254) that carries TCP Fast Open before it had its kind (RFC 7413's 0xF989). */
    private static final int TFO_MAGIC = 0xf989;

    /**
     * Option 34 (TCP Fast Open) with a cookie on a SYN that carries data: Wireshark's dissect_tcpopt_tfo_payload
     * notes it and marks the conversation (its SYN+ACK then says whether the data was accepted: TcpFields).
     */
    private static void fastOpenCookie(Packet p, int len, TcpSegment s) {
        if (len > 2 && s != null && (s.flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN && s.payloadLength > 0) {
            p.expert(TFO_SYN);
            s.tfoSynData = true;
        }
    }

    /** The names Wireshark 4.0 gives the option kinds it knows, in its expert messages. */
    private static final String[] OPTION_NAMES = new String[256];

    static {
        String[] names = {"2", "Maximum segment size", "3", "Window scale", "4", "SACK permitted", "5", "SACK",
            "6", "Echo", "7", "Echo reply", "8", "Timestamps", "11", "CC", "12", "CC.NEW", "13", "CC.ECHO",
            "19", "TCP MD5 signature", "20", "SCPS capabilities", "21", "Selective Negative Acknowledgment",
            "22", "SCPS record boundary", "23", "SCPS corruption experienced", "27", "Quick-Start",
            "28", "User Timeout", "29", "TCP AO", "30", "MPTCP", "34", "TCP Fast Open", "76", "Riverbed Probe",
            "78", "Riverbed Transparency", "172", "Accurate ECN", "174", "Accurate ECN", "253", "Experimental",
            "254", "Experimental"};
        for (int i = 0; i < names.length; i += 2) {
            OPTION_NAMES[Integer.parseInt(names[i])] = names[i + 1];
        }
    }

    private static String optionName(int kind) {
        return OPTION_NAMES[kind] != null ? OPTION_NAMES[kind] : "Unknown (0x%02x)".formatted(kind);
    }

    static final String PADDING = "Non-zero header padding";

    /**
     * The options, as Wireshark 4.0 walks them. After an EOL only zero bytes may follow (each listed as
     * another EOL); the first that is not ends them with "Non-zero header padding". An option without room for
     * its length byte, or whose length is below 2 or runs past the header, ends them with a note in Wireshark's
     * words (not a malformed packet), unlisted. Reads only the bytes captured: the caller reports the rest missing.
     */
    private static void options(Cursor c, Packet p, int hdrLen, TcpSegment s) {
        int have = Math.min(hdrLen, c.remaining());
        if (have > 20) {
            p.bytes(OPTIONS, Packet.BYTES, c.pos() + 20, have - 20);
        }
        int i = 20;
        int nops = 0;
        boolean ended = false;
        while (i < have) {
            int kind = c.u8(i);
            if (ended && kind != 0) {
                p.expert(PADDING);
                return;
            }
            if (kind == 0 || kind == 1) {
                p.uint(OPTION_KIND, kind);
                // Wireshark 4.0 counts NOPs "in a row within a uint32": a NOP on a 4-byte boundary (from the TCP
                // header's start) after counted ones starts the count over, uncounted; other options leave it.
                if (kind == 1) {
                    if (nops == 0 || i % 4 != 0) {
                        if (++nops == 4) {
                            p.expert(NOP_ROW);
                        }
                    } else {
                        nops = 0;
                    }
                }
                ended = kind == 0;
                i++;
                continue;
            }
            if (i + 1 >= hdrLen) {
                p.expert(optionName(kind) + " (length byte past end of options)");
                return;
            }
            if (i + 1 >= have) {
                return;
            }
            int len = c.u8(i + 1);
            if (len < 2 || i + len > hdrLen) {
                String bytes = len == 1 ? " byte" : " bytes";
                p.expert(optionName(kind) + (len < 2 ? " (with too-short option length = " + len + bytes + ")"
                        : " (option length = " + len + bytes + " says option goes past end of options)"));
                return;
            }
            p.uint(OPTION_KIND, kind);
            p.uint(OPTION_LEN, len);
            if (i + len > have) {
                return; // its value was not captured
            }
            switch (kind) {
                case 2 -> {
                    if (len == 4) {
                        p.uint(OPTIONS_MSS_VAL, c.u16(i + 2));
                        if (s != null) {
                            s.mss = c.u16(i + 2);
                        }
                    }
                }
                case 3 -> {
                    if (len == 3) {
                        int shift = c.u8(i + 2);
                        p.uint(OPTIONS_WSCALE_SHIFT, shift);
                        p.uint(OPTIONS_WSCALE_MULTIPLIER, 1L << Math.min(shift, 14));
                        if (s != null) {
                            s.windowScale = shift;
                        }
                    }
                }
                case 4 -> {
                    p.bool(OPTIONS_SACK_PERM, true);
                    if (s != null) {
                        s.sackPermitted = true;
                    }
                }
                case 5 -> {
                    int blocks = (len - 2) / 8;
                    p.uint(OPTIONS_SACK_COUNT, blocks);
                    if (blocks == 0) {
                        // Wireshark reads a first block that is not there and marks the packet malformed.
                        p.malformed("TCP SACK option of length " + len + " holds no complete block");
                        if (s != null) {
                            s.sackWithoutBlock = true;
                        }
                    }
                    if (s != null) {
                        s.sackOptionAt = p.expertCount();
                    }
                    for (int b = 0; b < blocks; b++) {
                        if (s != null && s.sackCount < TcpSegment.MAX_SACK) {
                            s.sackLeft[s.sackCount] = c.u32(i + 2 + b * 8);
                            s.sackRight[s.sackCount++] = c.u32(i + 6 + b * 8);
                        }
                    }
                }
                case 8 -> {
                    if (len == 10) {
                        p.uint(OPTIONS_TIMESTAMP_TSVAL, c.u32(i + 2));
                        p.uint(OPTIONS_TIMESTAMP_TSECR, c.u32(i + 6));
                        if (s != null) {
                            s.hasTimestamps = true;
                            s.tsval = c.u32(i + 2);
                            s.tsecr = c.u32(i + 6);
                        }
                    }
                }
                case 34 -> fastOpenCookie(p, len, s);
                case 254 -> {
                    if (len >= 4 && c.u16(i + 2) == TFO_MAGIC) {
                        fastOpenCookie(p, len - 2, s); // the experimental form: a magic number, then option 34's data
                    }
                }
                default -> {
                }
            }
            i += len;
        }
    }
}
