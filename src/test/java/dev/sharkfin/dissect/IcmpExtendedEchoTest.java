package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 8335's extended echo (PROBE): Wireshark shows its identifier as the echo's. */
class IcmpExtendedEchoTest {
    @Test
    void extendedEchoRequestHasTheEchoIdentifier() {
        // type 42, code 0, checksum, identifier 0xf6ea, sequence 1, L bit; then an extension structure
        byte[] icmp = hex("2a00 0000 f6ea 0101 2000 0801 0301 0000");
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.1", "10.0.0.2", 1, icmp)));
        assertThat(d.layer("icmp").get("icmp_type").asInt()).isEqualTo(42);
        assertThat(d.layer("icmp").get("icmp_ident").asInt()).isEqualTo(0xf6ea);
        assertThat(d.layer("icmp").get("icmp_seq")).isNull();
    }

    @Test
    void icmpv6ExtendedEchoReplyHasTheEchoIdentifier() {
        byte[] icmp = hex("a100 0000 fb61 0100");
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x86dd, ipv6("2001:db8::1", "2001:db8::2", 58, icmp)));
        assertThat(d.layer("icmpv6").get("icmpv6_echo_identifier").asInt()).isEqualTo(0xfb61);
        assertThat(d.layer("icmpv6").get("icmpv6_echo_sequence_number")).isNull();
    }

    /** ICMPv6's extended echo request has ICMP's extension dissector decode its objects: "icmpv6:icmp" in frame.protocols. */
    @Test
    void icmpv6ExtendedEchoRequestListsIcmpForItsExtensionObjects() {
        byte[] icmp = hex("a000 0000 fb61 0001 2000 dcf4 0008 0302 00000001");
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x86dd, ipv6("2001:db8::1", "2001:db8::2", 58, icmp)));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:icmpv6:icmp");
        assertThat(d.layer("icmp")).isNull();
    }
}
