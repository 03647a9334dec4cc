package dev.sharkfin.dissect;

/**
 * sFlow version 5 datagrams: the datagram header and, for each flow sample (compact or expanded), its
 * counters and records. Every raw packet header that holds an Ethernet frame is decoded, in order, after the
 * datagram ({@link Packet#queue}), so each sampled TCP or UDP packet is searchable: as in Wireshark, their layers
 * follow sflow in frame.protocols (sflow:eth:ethertype:ip:tcp:eth:ethertype:ip:udp). As Wireshark does, a
 * sampled packet is decoded like a datagram quoted in an ICMP error: its TCP segment is no part of a conversation.
 */
public final class Sflow implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("sflow", "InMon sFlow").udpPort(6343, new Sflow());
    public static final Field VERSION = PROTOCOL.number("sflow_245.version", "Datagram version (5; 2 and 4 are not decoded further)");
    public static final Field AGENTTYPE = PROTOCOL.number("sflow_245.agenttype", "Agent address type (1: IPv4, 2: IPv6)");
    public static final Field AGENT = PROTOCOL.ip("sflow_245.agent", "Agent address (IPv4)");
    public static final Field AGENT_V6 = PROTOCOL.ip("sflow_245.agent.v6", "Agent address (IPv6)");
    public static final Field SUB_AGENT_ID = PROTOCOL.number("sflow_245.sub_agent_id", "Sub-agent id");
    public static final Field SEQUENCE_NUMBER = PROTOCOL.number("sflow_245.sequence_number", "Datagram sequence number");
    public static final Field SYSUPTIME = PROTOCOL.number("sflow_245.sysuptime", "Agent's uptime, in milliseconds");
    public static final Field NUMSAMPLES = PROTOCOL.number("sflow_245.numsamples", "Number of samples in the datagram");
    public static final Field SAMPLETYPE = PROTOCOL.number("sflow_245.sampletype", "Sample type, per sample (1: flow sample, 2: counters, 3: expanded flow sample)").list();
    public static final Field SAMPLE_LENGTH = PROTOCOL.number("sflow_5.sample_length", "Sample length in bytes, per sample").list();
    public static final Field FLOW_SAMPLE_SEQUENCE_NUMBER = PROTOCOL.number("sflow.flow_sample.sequence_number", "Flow sample: sequence number").list();
    public static final Field FLOW_SAMPLE_SAMPLING_RATE = PROTOCOL.number("sflow.flow_sample.sampling_rate", "Flow sample: one packet sampled out of this many").list();
    public static final Field FLOW_SAMPLE_SAMPLE_POOL = PROTOCOL.number("sflow.flow_sample.sample_pool", "Flow sample: packets that could have been sampled").list();
    public static final Field FLOW_SAMPLE_DROPPED_PACKETS = PROTOCOL.number("sflow.flow_sample.dropped_packets", "Flow sample: packets dropped for lack of resources").list();
    public static final Field FLOW_SAMPLE_FLOW_RECORD = PROTOCOL.number("sflow.flow_sample.flow_record", "Flow sample: number of flow records").list();
    public static final Field FLOW_RECORD_FORMAT = PROTOCOL.number("sflow_245.flow_record_format", "Flow record format, per record (1: raw packet header)").list();
    public static final Field HEADER_PROTOCOL = PROTOCOL.number("sflow_245.header_protocol", "Raw packet header: protocol of the header (1: Ethernet)").list();
    public static final Field HEADER_FRAME_LENGTH = PROTOCOL.number("sflow_245.header.frame_length", "Raw packet header: the sampled frame's length, in bytes").list();
    public static final Field HEADER_PAYLOAD_STRIPPED = PROTOCOL.number("sflow_245.header.payload_stripped", "Raw packet header: bytes stripped from the frame").list();
    public static final Field HEADER_SAMPLED_HEADER_LENGTH = PROTOCOL.number("sflow_245.header.sampled_header_length", "Raw packet header: bytes of the frame that follow").list();

    private static final int FLOW_SAMPLE = 1, COUNTERS_SAMPLE = 2, EXPANDED_FLOW_SAMPLE = 3, EXPANDED_COUNTERS_SAMPLE = 4;
    /** Wireshark decodes at most this many samples of a datagram, and records of a sample (its count's low byte). */
    private static final int MAX_COUNT = 0xff;
    private static final int RAW_PACKET_HEADER = 1, ETHERNET = 1;

    /**
     * Wireshark's test that the payload is sFlow at all: a version of 2, 4 or 5 and a known agent address type
     * (0, 1, 2). Anything else on port 6343 is data, with no sflow layer.
     */
    private static boolean looksLikeSflow(Cursor c) {
        if (!c.need(8)) {
            return true; // too short to tell: decoded, and cut where it ends
        }
        long version = c.u32(0);
        return (version == 2 || version == 4 || version == 5) && c.u32(4) <= 2;
    }

    /**
     * A flow sample's counters and records, from {@code body} to the sample's {@code end}; each raw packet header
     * of an Ethernet frame is queued to be decoded after the datagram. False when the sample is malformed.
     */
    private static boolean flowSample(Cursor c, Packet p, int body, int end, boolean expanded) {
        int records = body + (expanded ? 44 : 32);
        if (records > end) {
            p.malformed("sFlow flow sample of " + (end - body) + " bytes is too short");
            return false;
        }
        p.uint(FLOW_SAMPLE_SEQUENCE_NUMBER, c.u32(body));
        p.uint(FLOW_SAMPLE_SAMPLING_RATE, c.u32(body + (expanded ? 12 : 8)));
        p.uint(FLOW_SAMPLE_SAMPLE_POOL, c.u32(body + (expanded ? 16 : 12)));
        p.uint(FLOW_SAMPLE_DROPPED_PACKETS, c.u32(body + (expanded ? 20 : 16)));
        long count = c.u32(records - 4);
        p.uint(FLOW_SAMPLE_FLOW_RECORD, count);
        int r = records;
        for (long k = 0; k < count && r + 8 <= end; k++) {
            long recFormat = c.u32(r);
            long recLength = c.u32(r + 4);
            int data = r + 8;
            if (recLength > end - data) {
                p.malformed("sFlow flow record of " + recLength + " bytes exceeds its sample");
                return false;
            }
            p.uint(FLOW_RECORD_FORMAT, recFormat);
            if (recFormat == RAW_PACKET_HEADER && recLength >= 16) {
                long proto = c.u32(data);
                long headerLen = c.u32(data + 12);
                p.uint(HEADER_PROTOCOL, proto);
                p.uint(HEADER_FRAME_LENGTH, c.u32(data + 4));
                p.uint(HEADER_PAYLOAD_STRIPPED, c.u32(data + 8));
                p.uint(HEADER_SAMPLED_HEADER_LENGTH, headerLen);
                if (headerLen > 0 && headerLen <= recLength - 16 && proto == ETHERNET) {
                    p.queue(c.pos() + data + 16, (int) headerLen, Ethernet.BY_NAME);
                }
            }
            r = data + (int) recLength;
        }
        return true;
    }

    /**
     * Walks a counters sample's records from {@code body} as Wireshark reads them, in the datagram's {@code n} bytes
     * rather than the sample's: each record's length is not used, a known format moves on by the size of its counters
     * (an unknown one of sFlow's by none), another enterprise's to the datagram's end. Returns the bytes a read needs
     * past the end, where Wireshark's exception is, or 0.
     */
    private static int counters(Cursor c, int body, boolean expanded, int n) {
        int r = body + (expanded ? 16 : 12);
        if (r > n) {
            return r;
        }
        long records = c.u32(r - 4) & MAX_COUNT;
        for (long k = 0; k < records; k++) {
            if (r + 4 > n) {
                return r + 4;
            }
            if (c.u32(r) >>> 12 != 0) {
                r = n;
                continue;
            }
            r += 8 + countersSize((int) (c.u32(r) & 0xfff));
            if (r > n) {
                return r;
            }
        }
        return 0;
    }

    /** The bytes of the counters Wireshark reads for a counters record format of sFlow's (0: one it does not know). */
    private static int countersSize(int format) {
        return switch (format) {
            case 1 -> 88;           // generic interface
            case 2 -> 52;           // Ethernet interface
            case 3 -> 72;           // token ring
            case 4, 6 -> 80;        // 100BaseVG interface, 802.11
            case 5, 1001 -> 28;     // VLAN, processor
            case 1002 -> 12;        // radio utilization
            default -> 0;
        };
    }

    @Override
    public int decode(Cursor c, Packet p) {
        if (!looksLikeSflow(c)) {
            return Dispatch.DATA;
        }
        p.layer(PROTOCOL);
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "sFlow header");
        }
        long version = c.u32(0);
        p.uint(VERSION, version);
        if (version != 5) {
            return Dispatch.STOP; // versions 2 and 4 are not decoded
        }
        long agentType = c.u32(4);
        p.uint(AGENTTYPE, agentType);
        int at;
        if (agentType == 1) {
            at = 12;
        } else if (agentType == 2) {
            at = 24;
        } else {
            p.malformed("sFlow agent address type " + agentType + " is not known");
            return Dispatch.STOP;
        }
        if (!c.need(at + 16)) {
            return Decoder.missing(c, p, at + 16, "sFlow header");
        }
        p.bytes(agentType == 1 ? AGENT : AGENT_V6, agentType == 1 ? Packet.IPV4 : Packet.IPV6,
                c.pos() + 8, agentType == 1 ? 4 : 16);
        p.uint(SUB_AGENT_ID, c.u32(at));
        p.uint(SEQUENCE_NUMBER, c.u32(at + 4));
        p.uint(SYSUPTIME, c.u32(at + 8));
        long samples = c.u32(at + 12);
        p.uint(NUMSAMPLES, samples);
        at += 16;
        int n = c.remaining();
        for (long s = 0; s < (samples & MAX_COUNT); s++) {
            if (at + 4 > n) {
                return Decoder.missing(c, p, at + 4, "sFlow sample");
            }
            long format = c.u32(at) & 0xfff;
            if (c.u32(at) >>> 12 != 0) {
                // Another enterprise's sample: Wireshark does not know its length and goes on at the datagram's end.
                at = n;
                continue;
            }
            if (at + 8 > n) {
                return Decoder.missing(c, p, at + 8, "sFlow sample");
            }
            long length = c.u32(at + 4);
            p.uint(SAMPLETYPE, format);
            p.uint(SAMPLE_LENGTH, length);
            int body = at + 8;
            if (format == COUNTERS_SAMPLE || format == EXPANDED_COUNTERS_SAMPLE) {
                int past = counters(c, body, format == EXPANDED_COUNTERS_SAMPLE, n);
                if (past > 0) {
                    return Decoder.missing(c, p, past, "sFlow counters record");
                }
            }
            if (length > n - body) {
                return Decoder.missing(c, p, n + 1, "sFlow sample");
            }
            int end = body + (int) length;
            if ((format == FLOW_SAMPLE || format == EXPANDED_FLOW_SAMPLE)
                    && !flowSample(c, p, body, end, format == EXPANDED_FLOW_SAMPLE)) {
                return Dispatch.STOP;
            }
            at = end;
        }
        return Dispatch.STOP;
    }
}
