package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VlanTest {
    @Test
    void qinqGivesTwoVlanObjectsInOrder() {
        byte[] ip = ipv4("192.0.2.1", "192.0.2.2", 17, udp(4053, 4054, new byte[4]));
        byte[] f = ethernet("ffffffffffff", "020000000001", 0x88a8, vlanTag(5, 100, 0x8100, vlanTag(0, 200, 0x0800, ip)));
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.layer("vlan").isArray()).isTrue();
        assertThat(d.layer("vlan").get(0).get("vlan_id").asInt()).isEqualTo(100);
        assertThat(d.layer("vlan").get(0).get("vlan_priority").asInt()).isEqualTo(5);
        assertThat(d.layer("vlan").get(1).get("vlan_id").asInt()).isEqualTo(200);
        assertThat(d.layer("vlan").get(1).get("vlan_etype").asInt()).isEqualTo(0x0800);
        assertThat(d.layer("udp").get("udp_srcport").asInt()).isEqualTo(4053);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:vlan:ethertype:vlan:ethertype:ip:udp:data");
    }
}
