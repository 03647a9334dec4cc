package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ipv6Test {
    private static byte[] eth(byte[] ip) {
        return ethernet("001122334455", "66778899aabb", 0x86dd, ip);
    }

    @Test
    void addressesAreWrittenInTheirCanonicalForm() {
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "fe80::a:0:0:1", 17, udp(5353, 5353, new byte[2]))));
        assertThat(d.layer("ipv6").get("ipv6_src").asText()).isEqualTo("2001:db8::1");
        assertThat(d.layer("ipv6").get("ipv6_dst").asText()).isEqualTo("fe80::a:0:0:1");
        assertThat(d.layer("ipv6").get("ipv6_plen").asInt()).isEqualTo(10);
        assertThat(d.layer("ipv6").get("ipv6_hlim").asInt()).isEqualTo(64);
        assertThat(d.layer("udp").get("udp_dstport").asInt()).isEqualTo(5353);
    }

    @Test
    void extensionHeadersAreWalkedToTheTransport() {
        byte[] hopByHop = hex("3c 00 0104 00000000"); // next: destination options, PadN
        byte[] dstOpts = hex("06 00 0104 00000000"); // next: TCP
        byte[] tcp = tcp(443, 50000, 7, 9, ACK, 512, new byte[0], new byte[5]);
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 0, concat(hopByHop, dstOpts, tcp))));
        assertThat(d.layer("ipv6").get("ipv6_hopopts_nxt").asInt()).isEqualTo(60);
        assertThat(d.layer("ipv6").get("ipv6_dstopts_nxt").asInt()).isEqualTo(6);
        assertThat(d.layer("tcp").get("tcp_len").asInt()).isEqualTo(5);
    }

    @Test
    void fragmentsAreFlagged() {
        byte[] frag = hex("11 00 0001 0000abcd"); // next UDP, offset 0, more fragments
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 44, concat(frag, new byte[24]))));
        assertThat(d.layer("ipv6").get("ipv6_fraghdr_more").asBoolean()).isTrue();
        assertThat(d.layer("ipv6").get("ipv6_fraghdr_ident").asLong()).isEqualTo(0xabcd);
        assertThat(d.layer("udp")).isNull();
    }

    @Test
    void payloadLengthBeyondTheFrameIsMalformed() {
        byte[] ip = ipv6("::1", "::2", 59, new byte[4]);
        ip[4] = 0x10;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.expert()).contains("IPv6 payload length exceeds");
        assertThat(d.malformed()).isNull();
    }
}
