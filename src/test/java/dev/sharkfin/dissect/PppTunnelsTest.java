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

    @Test
    void l2tpVendorAvpsAndIetfTypesWithoutACaseGetWiresharksNote() {
        // SCCRQ: a Message Type AVP (decoded), an IETF type 60963 with 2 bytes of data, a vendor 1 AVP, a hidden one.
        Decoded d = TunnelsTest.overUdp(1701, hex("c802 002c 0001 0000 0000 0000"
                + "8008 0000 0000 0001" + "0008 0000 ee23 0530" + "0008 0001 0023 0102" + "4008 0080 06a5 0102"));
        assertThat(d.doc().get("_ws").get("_ws_expert_message").toString())
                .isEqualTo("[\"Vendor-Specific AVP data\",\"Vendor-Specific AVP data\"]");
        assertThat(d.packet().isTruncated()).isFalse();
        assertThat(d.malformed()).isNull();
    }

    @Test
    void l2tpAvpsPastTheCaptureAreTruncatedAfterTheirNotes() {
        // The length says 514 bytes; the capture ends after the first AVP.
        byte[] l2tp = hex("c002 0202 0230 0808 0008 0000 ee23 0530");
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(12416, 1701,
                concat(l2tp, new byte[498]))));
        Decoded d = Decoded.of(Decoded.ETHERNET, f, 14 + 20 + 8 + l2tp.length, f.length);
        assertThat(d.expert()).isEqualTo("Vendor-Specific AVP data");
        assertThat(d.packet().isTruncated()).isTrue();
        // An AVP shorter than its header ends the walk with Wireshark's error (of its malformed group).
        Decoded shortAvp = TunnelsTest.overUdp(1701, hex("c802 0012 0001 0000 0000 0000 0004 0000 ee23"));
        assertThat(shortAvp.expert()).isEqualTo("AVP length must be >= 6, got 4");
        assertThat(shortAvp.doc().get("_ws").get("_ws_malformed").asBoolean()).isTrue();
        // Wireshark's summary reads a Message Type AVP's value before anything else: missing, the message is malformed.
        assertThat(TunnelsTest.overUdp(1701, hex("c802 0012 0001 0000 0000 0000 0004 0000 0000")).malformed()).isNotNull();
        assertThat(Ppp.L2tp.ietfRead(35, 12)).isEqualTo(10);
        assertThat(Ppp.L2tp.ietfRead(39, 2)).isEqualTo(-1);
    }
}
