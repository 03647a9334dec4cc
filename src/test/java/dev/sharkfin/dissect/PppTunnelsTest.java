package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** PPPoE sessions and L2TP, the two ways PPP reaches Sharkfin. */
class PppTunnelsTest {
    private static final byte[] IP = ipv4("192.168.1.1", "192.168.1.2", 17, udp(1000, 2000, new byte[2]));

    @Test
    void pppoeSessionCarriesIp() {
        byte[] f = ethernet("001122334455", "66778899aabb", 0x8864, concat(hex("11 00 1234"), u16(IP.length + 2), hex("0021"), IP));
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.layer("pppoes").get("pppoe_session_id").asInt()).isEqualTo(0x1234);
        assertThat(d.layer("ppp").get("ppp_protocol").asInt()).isEqualTo(0x21);
        assertThat(d.layer("udp").get("udp_dstport").asInt()).isEqualTo(2000);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:pppoes:ppp:ip:udp:data");
    }

    @Test
    void pppoeLengthPastTheFrameIsReportedAndDecodingGoesOn() {
        // Wireshark warns ("possible bad payload length") and decodes what is there; so do we.
        byte[] f = ethernet("001122334455", "66778899aabb", 0x8864, hex("11 00 1234 0400 0021"));
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.expert()).contains("PPPoE payload length 1024");
        assertThat(d.layer("ppp").get("ppp_protocol").asInt()).isEqualTo(0x21);
    }

    @Test
    void l2tpDataMessageCarriesPppThenIp() {
        Decoded d = TunnelsTest.overUdp(1701, concat(hex("0002 05f7 206a ff03 0021"), IP));
        assertThat(d.layer("l2tp").get("l2tp_version").asInt()).isEqualTo(2);
        assertThat(d.layer("l2tp").get("l2tp_tunnel").asInt()).isEqualTo(1527);
        assertThat(d.layer("l2tp").get("l2tp_session").asInt()).isEqualTo(8298);
        assertThat(d.layer("ip").get(1).get("ip_src").asText()).isEqualTo("192.168.1.1");
    }

    @Test
    void l2tpControlMessageKeepsItsHeader() {
        Decoded d = TunnelsTest.overUdp(1701, hex("c802 000c 0000 0000 0000 0000"));
        assertThat(d.layer("l2tp").get("l2tp_type").asInt()).isEqualTo(1);
        assertThat(d.layer("l2tp").get("l2tp_length").asInt()).isEqualTo(12);
        assertThat(d.layer("ppp")).isNull();
    }
}
