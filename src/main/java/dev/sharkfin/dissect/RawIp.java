package dev.sharkfin.dissect;

/** Raw IP link types: the version nibble says IPv4 or IPv6. */
public final class RawIp implements Decoder {
    /** A raw IP frame whose version is neither 4 nor 6 gets this layer, marked malformed. */
    public static final Protocol PROTOCOL = Protocol.of("raw", "Raw packet data")
            .linkType(12, new RawIp())     // DLT_RAW as libpcap reports it on Linux
            .linkType(14, new RawIp())     // DLT_RAW on OpenBSD
            .linkType(101, new RawIp());   // LINKTYPE_RAW

    @Override
    public int decode(Cursor c, Packet p) {
        if (!c.need(1)) {
            p.layer(PROTOCOL);
            return Decoder.missing(c, p, 1, "raw IP packet");
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
                p.malformed("raw IP packet with IP version " + (c.u8(0) >>> 4));
                yield Dispatch.STOP;
            }
        };
    }
}
