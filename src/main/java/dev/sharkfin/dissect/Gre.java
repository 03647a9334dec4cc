package dev.sharkfin.dissect;

/** GRE (RFC 2784/2890): optional checksum, key and sequence number; the payload by its ethertype. */
final class Gre implements Decoder {
    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("gre");
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "GRE header");
        }
        int flags = c.u16(0);
        int proto = c.u16(2);
        p.hex("gre_flags_and_version", flags, 4);
        p.hex("gre_proto", proto, 4);
        int n = 4;
        if ((flags & 0x8000) != 0) {
            n += 4;
        }
        int keyAt = n;
        if ((flags & 0x2000) != 0) {
            n += 4;
        }
        int seqAt = n;
        if ((flags & 0x1000) != 0) {
            n += 4;
        }
        boolean enhanced = (flags & 0x7) == 1;
        if (enhanced && (flags & 0x0080) != 0) {
            n += 4; // acknowledgement number (RFC 2637)
        }
        if (!c.need(n)) {
            return Decoder.missing(c, p, n, "GRE header");
        }
        if ((flags & 0x2000) != 0 && (flags & 0x7) == 0) {
            p.uint("gre_key", c.u32(keyAt));
        } else if ((flags & 0x2000) != 0) {
            p.uint("gre_key_payload_length", c.u16(keyAt));
            p.uint("gre_key_call_id", c.u16(keyAt + 2));
        }
        if ((flags & 0x1000) != 0) {
            p.uint("gre_sequence_number", c.u32(seqAt));
        }
        c.skip(n);
        if (enhanced) {
            return proto == 0x880b ? Dispatch.PPP : Dispatch.STOP; // PPTP's enhanced GRE carries PPP
        }
        if ((flags & 0x7) != 0) {
            return Dispatch.STOP;
        }
        return switch (proto) {
            case 0x6558 -> Dispatch.ETHERNET;             // transparent Ethernet bridging
            case 0x8200, 0x8210 -> Dispatch.WLAN;         // Aruba: 802.11 frames from access points
            // ERSPAN: type II has a GRE sequence number, type I has neither it nor a header of its own.
            case 0x88be -> (flags & 0x1000) != 0 ? Dispatch.ERSPAN : Dispatch.ETHERNET;
            case 0x22eb -> Dispatch.ERSPAN;               // ERSPAN type III
            default -> Dispatch.ethertype(proto);
        };
    }
}
