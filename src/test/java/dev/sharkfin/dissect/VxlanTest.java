package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VxlanTest {
    @Test
    void headerThenInnerEthernet() {
        Decoded d = TunnelsTest.overUdp(4789, concat(hex("0800 0000 00007b 00"), TunnelsTest.INNER));
        assertThat(d.layer("vxlan").get("vxlan_flags").asInt()).isEqualTo(0x0800);
        assertThat(d.layer("vxlan").get("vxlan_flag_i").asBoolean()).isTrue();
        assertThat(d.layer("vxlan").get("vxlan_vni").asInt()).isEqualTo(123);
        TunnelsTest.innerDecoded(d);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp");
    }

    @Test
    void shortHeaderIsMalformed() {
        assertThat(TunnelsTest.overUdp(4789, hex("0800 0000")).malformed()).contains("VXLAN");
    }
}
