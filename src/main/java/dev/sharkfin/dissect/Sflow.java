package dev.sharkfin.dissect;

/**
 * sFlow version 5 datagrams: the datagram header and, for each flow sample (compact or expanded), its
 * counters and records. The first raw packet header that holds an Ethernet frame is decoded as the
 * inner packet, so the TCP or UDP it samples is searchable; the others are listed by their lengths only,
 * since a document has one inner packet. As Wireshark does, the sampled packet is decoded like a
 * datagram quoted in an ICMP error: its TCP segment is no part of a conversation.
 */
final class Sflow implements Decoder {
    private static final int FLOW_SAMPLE = 1, EXPANDED_FLOW_SAMPLE = 3;
    private static final int RAW_PACKET_HEADER = 1, ETHERNET = 1;

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("sflow");
        if (!c.need(8)) {
            return Decoder.missing(c, p, 8, "sFlow header");
        }
        long version = c.u32(0);
        p.uint("sflow_245_version", version);
        if (version != 5) {
            return Dispatch.STOP; // versions 2 and 4 are not decoded
        }
        long agentType = c.u32(4);
        p.uint("sflow_245_agenttype", agentType);
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
        p.bytes(agentType == 1 ? "sflow_245_agent" : "sflow_245_agent_v6", agentType == 1 ? Packet.IPV4 : Packet.IPV6,
                c.pos() + 8, agentType == 1 ? 4 : 16);
        p.uint("sflow_245_sub_agent_id", c.u32(at));
        p.uint("sflow_245_sequence_number", c.u32(at + 4));
        p.uint("sflow_245_sysuptime", c.u32(at + 8));
        long samples = c.u32(at + 12);
        p.uint("sflow_245_numsamples", samples);
        at += 16;
        int n = c.remaining();
        int innerAt = -1;
        int innerLen = 0;
        for (long s = 0; s < samples; s++) {
            if (at + 8 > n) {
                return Decoder.missing(c, p, at + 8, "sFlow sample");
            }
            long format = c.u32(at) & 0xfff;
            long enterprise = c.u32(at) >>> 12;
            long length = c.u32(at + 4);
            p.uint("sflow_245_sampletype", format);
            p.uint("sflow_5_sample_length", length);
            int body = at + 8;
            if (length > n - body) {
                return Decoder.missing(c, p, n + 1, "sFlow sample");
            }
            int end = body + (int) length;
            if (enterprise == 0 && (format == FLOW_SAMPLE || format == EXPANDED_FLOW_SAMPLE)) {
                boolean expanded = format == EXPANDED_FLOW_SAMPLE;
                int records = body + (expanded ? 44 : 32);
                if (records > end) {
                    p.malformed("sFlow flow sample of " + length + " bytes is too short");
                    return Dispatch.STOP;
                }
                p.uint("sflow_flow_sample_sequence_number", c.u32(body));
                p.uint("sflow_flow_sample_sampling_rate", c.u32(body + (expanded ? 12 : 8)));
                p.uint("sflow_flow_sample_sample_pool", c.u32(body + (expanded ? 16 : 12)));
                p.uint("sflow_flow_sample_dropped_packets", c.u32(body + (expanded ? 20 : 16)));
                long count = c.u32(records - 4);
                p.uint("sflow_flow_sample_flow_record", count);
                int r = records;
                for (long k = 0; k < count && r + 8 <= end; k++) {
                    long recFormat = c.u32(r);
                    long recLength = c.u32(r + 4);
                    int data = r + 8;
                    if (recLength > end - data) {
                        p.malformed("sFlow flow record of " + recLength + " bytes exceeds its sample");
                        return Dispatch.STOP;
                    }
                    p.uint("sflow_245_flow_record_format", recFormat);
                    if (recFormat == RAW_PACKET_HEADER && recLength >= 16) {
                        long proto = c.u32(data);
                        long headerLen = c.u32(data + 12);
                        p.uint("sflow_245_header_protocol", proto);
                        p.uint("sflow_245_header_frame_length", c.u32(data + 4));
                        p.uint("sflow_245_header_payload_stripped", c.u32(data + 8));
                        p.uint("sflow_245_header_sampled_header_length", headerLen);
                        if (headerLen <= recLength - 16 && proto == ETHERNET && innerAt < 0) {
                            innerAt = data + 16;
                            innerLen = (int) headerLen;
                        }
                    }
                    r = data + (int) recLength;
                }
            }
            at = end;
        }
        if (innerAt < 0 || innerLen == 0) {
            return Dispatch.STOP;
        }
        c.skip(innerAt);
        c.limit(innerLen);
        p.inError = true;
        p.sampled = true;
        return Dispatch.ETHERNET;
    }
}
