package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErspanTest {
    private static Decoded overGre(String greHeader, byte[] payload) {
        return Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.2", 47, concat(hex(greHeader), payload))));
    }

    @Test
    void typeTwoHeaderThenTheMirroredFrame() {
        // GRE with a sequence number, protocol 0x88be; ERSPAN version 1, VLAN 23, session 100.
        Decoded d = overGre("1000 88be 00000704", concat(hex("1017 0864 00000000"), TunnelsTest.INNER));
        var erspan = d.layer("erspan");
        assertThat(erspan.get("erspan_version").asInt()).isEqualTo(1);
        assertThat(erspan.get("erspan_vlan").asInt()).isEqualTo(23);
        assertThat(erspan.get("erspan_spanid").asInt()).isEqualTo(100);
        TunnelsTest.innerDecoded(d);
    }

    @Test
    void typeThreeWithItsPlatformSubheader() {
        Decoded d = overGre("1000 22eb 00000001", concat(hex("2017 0064 00000001 0000 0001 0000000000000000"), TunnelsTest.INNER));
        assertThat(d.layer("erspan").get("erspan_version").asInt()).isEqualTo(2);
        assertThat(d.layer("erspan").get("erspan_o").asInt()).isEqualTo(1);
        TunnelsTest.innerDecoded(d);
    }

    /** Type I has no header, but Wireshark still lists "ERSPAN Type I" (no fields) between GRE and Ethernet. */
    @Test
    void typeOneHasNoHeaderButIsListed() {
        Decoded d = overGre("0000 88be", TunnelsTest.INNER);
        assertThat(d.layer("erspan")).isNull();
        assertThat(d.layer("frame").get("frame_protocols").asText()).startsWith("eth:ethertype:ip:gre:erspan:eth:");
        TunnelsTest.innerDecoded(d);
    }

    @Test
    void unknownVersionIsMalformed() {
        assertThat(overGre("1000 22eb 00000001", hex("7000 0000 00000000")).malformed()).contains("ERSPAN version 7");
    }

    /** Wireshark dissects a type III payload as Ethernet only for frame type 0; any other is data. */
    @Test
    void typeThreeOfAnotherFrameTypeIsData() {
        Decoded d = overGre("1000 22eb 00000001", concat(hex("2017 0064 00000001 0000 1c00"), TunnelsTest.INNER)); // ft 7
        assertThat(d.layer("erspan").get("erspan_ft").asInt()).isEqualTo(7);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:gre:erspan:data");
        assertThat(d.layer("tcp")).isNull();
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(TunnelsTest.INNER.length);
    }
}
