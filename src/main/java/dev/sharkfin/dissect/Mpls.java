package dev.sharkfin.dissect;

/** An MPLS label stack; the payload after the bottom label is IPv4 or IPv6 by its version nibble. */
final class Mpls implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("mpls");
        while (true) {
            if (!c.need(4)) {
                return Decoder.missing(c, p, 4, "MPLS label");
            }
            long entry = c.u32(0);
            p.uint("mpls_label", entry >>> 12);
            p.uint("mpls_exp", (entry >>> 9) & 7);
            p.uint("mpls_bottom", (entry >>> 8) & 1);
            p.uint("mpls_ttl", entry & 0xff);
            c.skip(4);
            if (((entry >>> 8) & 1) == 1) {
                break;
            }
        }
        if (!c.need(1)) {
            return Dispatch.STOP;
        }
        return switch (c.u8(0) >>> 4) {
            case 4 -> Dispatch.ethertype(0x0800);
            case 6 -> Dispatch.ethertype(0x86dd);
            case 0 -> {
                // An Ethernet pseudowire with its 4-byte control word (RFC 4448), as Wireshark's heuristic finds it.
                if (!c.need(4 + 14)) {
                    yield Dispatch.STOP;
                }
                p.layer("pwethcw");
                p.uint("pwethcw_sequence_number", c.u16(2));
                c.skip(4);
                yield Dispatch.ETHERNET;
            }
            default -> Dispatch.STOP;
        };
    }
}
