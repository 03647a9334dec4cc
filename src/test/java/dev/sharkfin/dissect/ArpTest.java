package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArpTest {
    private static final String DST = "ff:ff:ff:ff:ff:ff", SRC = "00:1f:29:da:2d:79";

    /** An ARP request: hardware type, protocol type, sizes 6 and 4, opcode 1, then the four addresses. */
    private static byte[] arp(String hwType, String protoType) {
        return ethernet(DST, SRC, 0x0806, hex(hwType + protoType + "0604" + "0001" + "001f29da2d79" + "c0a80168"
                + "000000000000" + "c0a80101"));
    }

    @Test
    void ethernetAndIpv4AddressesByTheirNames() {
        Decoded d = Decoded.of(Decoded.ETHERNET, arp("0001", "0800"));
        assertThat(d.layer("arp").get("arp_src_hw_mac").asText()).isEqualTo(SRC);
        assertThat(d.layer("arp").get("arp_src_proto_ipv4").asText()).isEqualTo("192.168.1.104");
        assertThat(d.layer("arp").get("arp_dst_proto_ipv4").asText()).isEqualTo("192.168.1.1");
    }

    /** As Wireshark: the address kind is known by the type and the size both, not by the size alone. */
    @Test
    void sixAndFourByteAddressesOfOtherTypesAreByteStrings() {
        Decoded d = Decoded.of(Decoded.ETHERNET, arp("0025", "9200"));
        assertThat(d.layer("arp").get("arp_src_hw_mac")).isNull();
        assertThat(d.layer("arp").get("arp_src_hw").asText().replace(":", "")).isEqualTo("001f29da2d79");
        assertThat(d.layer("arp").get("arp_dst_hw").asText().replace(":", "")).isEqualTo("000000000000");
        assertThat(d.layer("arp").get("arp_src_proto_ipv4")).isNull();
        assertThat(d.layer("arp").get("arp_src_proto").asText().replace(":", "")).isEqualTo("c0a80168");
        assertThat(d.layer("arp").get("arp_dst_proto").asText().replace(":", "")).isEqualTo("c0a80101");
    }

    /** Hardware type 19 (ATM, RFC 2225) is ATMARP, whose header Wireshark decodes as such: no ARP fields. */
    @Test
    void atmArpIsNotDecodedAsArp() {
        Decoded d = Decoded.of(Decoded.ETHERNET, arp("0013", "0800"));
        assertThat(d.layer("arp").get("arp_hw_type")).isNull();
        assertThat(d.layer("arp").get("arp_src_hw_mac")).isNull();
        assertThat(d.malformed()).isNull();
    }
}
