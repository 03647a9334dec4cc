package dev.sharkfin.dissect;

/** Raw IP link types: the version nibble says IPv4 or IPv6. */
public final class RawIp implements Decoder {
    /** A raw IP frame whose version is neither 4 nor 6 gets this layer, then data (as Wireshark's raw dissector). */
    public static final Protocol PROTOCOL = Protocol.of("raw", "Raw packet data")
            .linkType(12, new RawIp())     // DLT_RAW as libpcap reports it on Linux
            .linkType(14, new RawIp())     // DLT_RAW on OpenBSD
            .linkType(101, new RawIp());   // LINKTYPE_RAW

    @Override
    public int decode(Cursor c, Packet p) {
        // Wireshark's raw dissector first looks for a PPP header (0xff03) at bytes 0 and 6, reading 8 bytes of any
        // frame: fewer captured is its "Raw truncated", fewer on the wire a malformed packet.
        if (!c.need(8)) {
            p.layer(PROTOCOL);
            return Decoder.missing(c, p, 8, "raw IP packet");
        }
        return switch (c.u8(0) >>> 4) {
            case 4 -> {
                p.pass(PROTOCOL.name()); // Wireshark lists raw before the IP header (raw:ip:tcp)
                yield Dispatch.ethertype(0x0800);
            }
            case 6 -> {
                p.pass(PROTOCOL.name());
                yield Dispatch.ethertype(0x86dd);
            }
            default -> {
                p.layer(PROTOCOL);
                yield Dispatch.DATA; // neither IPv4 nor IPv6: Wireshark's data, not a malformed packet
            }
        };
    }
}
