package dev.sharkfin.dissect;

/**
 * IPv4 with options. Fragments are flagged by their fields ({@code ip_flags_mf}, {@code ip_frag_offset})
 * and their payload is not decoded, as Wireshark shows them before reassembly.
 */
final class Ipv4 implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("ip");
        if (!c.need(20)) {
            return Decoder.missing(c, p, 20, "IPv4 header");
        }
        int vhl = c.u8(0);
        int hdrLen = (vhl & 0x0f) * 4;
        int totalLen = c.u16(2);
        int flagsFrag = c.u16(6);
        int proto = c.u8(9);
        p.uint("ip_version", vhl >>> 4);
        p.uint("ip_hdr_len", hdrLen);
        p.hex("ip_dsfield", c.u8(1), 2);
        p.uint("ip_dsfield_dscp", c.u8(1) >>> 2);
        p.uint("ip_dsfield_ecn", c.u8(1) & 3);
        p.uint("ip_len", totalLen);
        int id = c.u16(4);
        p.hex("ip_id", id, 4);
        p.hex("ip_flags", flagsFrag >>> 13, 2);
        p.bool("ip_flags_rb", (flagsFrag & 0x8000) != 0);
        p.bool("ip_flags_df", (flagsFrag & 0x4000) != 0);
        p.bool("ip_flags_mf", (flagsFrag & 0x2000) != 0);
        p.uint("ip_frag_offset", flagsFrag & 0x1fff); // in 8-byte units, as Wireshark 4.0 shows it
        p.uint("ip_ttl", c.u8(8));
        p.uint("ip_proto", proto);
        p.hex("ip_checksum", c.u16(10), 4);
        int at = c.pos();
        p.bytes("ip_src", Packet.IPV4, at + 12, 4);
        p.bytes("ip_addr", Packet.IPV4, at + 12, 4);
        p.bytes("ip_dst", Packet.IPV4, at + 16, 4);
        p.bytes("ip_addr", Packet.IPV4, at + 16, 4);
        if (vhl >>> 4 != 4) {
            p.malformed("IPv4 header with version " + (vhl >>> 4));
            return Dispatch.STOP;
        }
        if (hdrLen < 20) {
            p.malformed("IPv4 header length " + hdrLen + " is below the minimum of 20");
            return Dispatch.STOP;
        }
        if (totalLen != 0 && totalLen < hdrLen) {
            p.malformed("IPv4 total length " + totalLen + " is less than its header length " + hdrLen);
            return Dispatch.STOP;
        }
        // A total length of 0 is what TCP segmentation offload leaves: the frame length stands.
        if (totalLen != 0 && !c.limit(totalLen)) {
            // Wireshark goes on with the bytes that are there; so do we, and say so. A quoted datagram in an
            // ICMP error is cut short by design.
            if (!p.inError) {
                p.expert("IPv4 total length exceeds packet length (" + c.reported() + " bytes)");
            }
            if (c.reported() < hdrLen) {
                p.malformed("IPv4 header length " + hdrLen + " exceeds the " + c.reported() + " bytes in the frame");
                return Dispatch.STOP;
            }
        }
        if (!c.need(hdrLen)) {
            return Decoder.missing(c, p, hdrLen, "IPv4 options");
        }
        options(c, p, hdrLen);
        p.addressLength = 4;
        p.srcAddressOffset = at + 12;
        p.dstAddressOffset = at + 16;
        c.skip(hdrLen);
        if ((flagsFrag & 0x3fff) != 0) {
            // A fragment: its payload waits for the rest, and the frame that completes the datagram decodes it.
            int length = c.reported();
            if (p.inError || !c.need(length)) {
                return Dispatch.STOP;
            }
            byte[] whole = p.reassembly.add(p.data, 4, at + 12, at + 16, id, proto,
                    (flagsFrag & 0x1fff) * 8, (flagsFrag & 0x2000) != 0, c, length);
            if (whole == null) {
                return Dispatch.STOP;
            }
            p.uint("ip_fragment_count", p.reassembly.lastFragments());
            p.uint("ip_reassembled_length", whole.length);
            p.buffer = whole;
            c.replace(whole, whole.length);
        }
        return Dispatch.ipProto(proto);
    }

    private static void options(Cursor c, Packet p, int hdrLen) {
        int i = 20;
        while (i < hdrLen) {
            int type = c.u8(i);
            p.uint("ip_opt_type", type);
            if (type == 0) {
                break;
            }
            if (type == 1) {
                i++;
                continue;
            }
            if (i + 1 >= hdrLen || c.u8(i + 1) < 2 || i + c.u8(i + 1) > hdrLen) {
                p.malformed("IPv4 option " + type + " has a bad length");
                return;
            }
            i += c.u8(i + 1);
        }
    }
}
