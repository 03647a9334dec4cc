package dev.sharkfin.dissect;

/**
 * The TCP header and options. It fills a {@link TcpSegment} for the TCP analysis, which runs after
 * dissection and appends its fields (stream, relative sequence numbers, analysis flags) to this layer.
 */
final class Tcp implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        int layer = p.layer("tcp");
        if (!c.need(20)) {
            return Decoder.missing(c, p, 20, "TCP header");
        }
        int src = c.u16(0);
        int dst = c.u16(2);
        long seq = c.u32(4);
        long ack = c.u32(8);
        int hdrLen = (c.u8(12) >>> 4) * 4;
        int flags = c.u16(12) & 0x01ff;
        int window = c.u16(14);
        p.uint("tcp_srcport", src);
        p.uint("tcp_dstport", dst);
        p.uint("tcp_port", src);
        p.uint("tcp_port", dst);
        p.uint("tcp_seq_raw", seq);
        p.uint("tcp_ack_raw", ack);
        p.uint("tcp_hdr_len", hdrLen);
        p.hex("tcp_flags", flags, 3);
        p.bool("tcp_flags_res", (c.u8(12) & 0x0e) != 0);
        p.bool("tcp_flags_ae", (flags & TcpSegment.AE) != 0);
        p.bool("tcp_flags_cwr", (flags & TcpSegment.CWR) != 0);
        p.bool("tcp_flags_ece", (flags & TcpSegment.ECE) != 0);
        p.bool("tcp_flags_urg", (flags & TcpSegment.URG) != 0);
        p.bool("tcp_flags_ack", (flags & TcpSegment.ACK) != 0);
        p.bool("tcp_flags_push", (flags & TcpSegment.PSH) != 0);
        p.bool("tcp_flags_reset", (flags & TcpSegment.RST) != 0);
        p.bool("tcp_flags_syn", (flags & TcpSegment.SYN) != 0);
        p.bool("tcp_flags_fin", (flags & TcpSegment.FIN) != 0);
        p.uint("tcp_window_size_value", window);
        p.hex("tcp_checksum", c.u16(16), 4);
        p.uint("tcp_urgent_pointer", c.u16(18));
        if (hdrLen < 20) {
            p.malformed("TCP header length " + hdrLen + " is below the minimum of 20");
            return Dispatch.STOP;
        }
        int payload = c.reported() - hdrLen;
        if (payload < 0) {
            p.malformed("TCP header length " + hdrLen + " exceeds the " + c.reported() + " bytes of the IP payload");
            return Dispatch.STOP;
        }
        // Wireshark leaves the length out of a quoted or sampled segment (it is analysed as no conversation).
        if (!p.inError) {
            p.uint("tcp_len", payload);
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
            s.window = window;
            s.headerLength = hdrLen;
            s.payloadLength = p.inError ? -1 : payload;
        }
        if (!c.need(hdrLen)) {
            return Decoder.missing(c, p, hdrLen, "TCP options");
        }
        options(c, p, hdrLen, s);
        c.skip(hdrLen);
        // Application data is decoded per segment, from the segment that carries it (no reassembly).
        if (c.remaining() == 0 || (p.inError && !p.sampled)) {
            return Dispatch.STOP;
        }
        int next = DecoderRegistry.DEFAULT.byPort(Dispatch.TCP_PORT, src, dst);
        return next != Dispatch.STOP ? next : DecoderRegistry.DEFAULT.tcpHeuristic(c);
    }

    private static void options(Cursor c, Packet p, int hdrLen, TcpSegment s) {
        int i = 20;
        while (i < hdrLen) {
            int kind = c.u8(i);
            if (kind == 0) {
                p.bool("tcp_option_kind_eol", true);
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            int len = i + 1 < hdrLen ? c.u8(i + 1) : 0;
            if (len < 2 || i + len > hdrLen) {
                p.malformed("TCP option " + kind + " has a bad length " + len);
                return;
            }
            p.uint("tcp_option_kind", kind);
            switch (kind) {
                case 2 -> {
                    if (len == 4) {
                        p.uint("tcp_options_mss_val", c.u16(i + 2));
                        if (s != null) {
                            s.mss = c.u16(i + 2);
                        }
                    }
                }
                case 3 -> {
                    if (len == 3) {
                        int shift = c.u8(i + 2);
                        p.uint("tcp_options_wscale_shift", shift);
                        p.uint("tcp_options_wscale_multiplier", 1L << Math.min(shift, 14));
                        if (s != null) {
                            s.windowScale = shift;
                        }
                    }
                }
                case 4 -> {
                    p.bool("tcp_options_sack_perm", true);
                    if (s != null) {
                        s.sackPermitted = true;
                    }
                }
                case 5 -> {
                    int blocks = (len - 2) / 8;
                    p.uint("tcp_options_sack_count", blocks);
                    if (blocks == 0) {
                        // Wireshark reads a first block that is not there and marks the packet malformed.
                        p.malformed("TCP SACK option of length " + len + " holds no complete block");
                        if (s != null) {
                            s.sackWithoutBlock = true;
                        }
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
                        p.uint("tcp_options_timestamp_tsval", c.u32(i + 2));
                        p.uint("tcp_options_timestamp_tsecr", c.u32(i + 6));
                        if (s != null) {
                            s.hasTimestamps = true;
                            s.tsval = c.u32(i + 2);
                            s.tsecr = c.u32(i + 6);
                        }
                    }
                }
                default -> {
                }
            }
            i += len;
        }
    }
}
