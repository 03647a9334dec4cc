package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneveTest {
    @Test
    void optionsAreSkippedAndEthernetFollows() {
        // One 8-byte option (class 0, type 0, 4 bytes of data).
        Decoded d = TunnelsTest.overUdp(6081, concat(hex("02 00 6558 0000ff 00 0000 00 01 0000000a"), TunnelsTest.INNER));
        var geneve = d.layer("geneve");
        assertThat(geneve.get("geneve_version").asInt()).isZero();
        assertThat(geneve.get("geneve_proto_type").asInt()).isEqualTo(0x6558);
        assertThat(geneve.get("geneve_vni").asInt()).isEqualTo(255);
        // Wireshark names both the header's options length and each option's length geneve.option.length.
        assertThat(geneve.get("geneve_option_length").toString()).isEqualTo("[8,8]");
        TunnelsTest.innerDecoded(d);
    }

    @Test
    void anEthertypeCarriesIpDirectly() {
        byte[] ip = ipv4("192.168.1.1", "192.168.1.2", 17, udp(1, 2, new byte[0]));
        Decoded d = TunnelsTest.overUdp(6081, concat(hex("00 00 0800 000001 00"), ip));
        assertThat(d.layer("ip").get(1).get("ip_dst").asText()).isEqualTo("192.168.1.2");
        assertThat(d.layer("geneve").get("geneve_option_length").toString()).isEqualTo("0");
    }

    @Test
    void optionsPastTheDatagramAreMalformed() {
        assertThat(TunnelsTest.overUdp(6081, hex("3f 00 6558 000001 00")).malformed()).contains("Geneve");
    }
}
