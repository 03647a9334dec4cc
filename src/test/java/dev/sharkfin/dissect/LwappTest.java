package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LwappTest {
    private static Decoded overUdp(int sport, int dport, byte[] payload) {
        return Decoded.of(Decoded.ETHERNET, ethernet("000b8532e405", "000b8524e890", 0x0800,
                ipv4("10.48.74.126", "10.48.73.246", 17, udp(sport, dport, payload))));
    }

    @Test
    void an80211FrameFollowsTheHeader() {
        byte[] lwapp = hex("08 1e 0040 ea 49"); // slot 1, not control
        byte[] probeRequest = hex("4000 0000 000b8524e890 00028ad8de9a 000b8524e890 53f0 000b 61646761722d766f696365");
        Decoded d = overUdp(20105, 12222, concat(lwapp, probeRequest));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:lwapp:wlan");
        assertThat(d.layer("wlan").get("wlan_ta").asText()).isEqualTo("00:02:8a:d8:de:9a");
        assertThat(d.malformed()).isNull();
    }

    @Test
    void aProtectedManagementFrameEndingWithItsHeaderIsMalformedInside() {
        byte[] lwapp = hex("08 1d 0018 e3 42");
        Decoded d = overUdp(20105, 12222, concat(lwapp, hex("0040 0000 000b8524e890 00028ad8de9a 000b8524e890 5310")));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:lwapp:wlan");
        assertThat(d.malformed()).contains("802.11");
    }

    @Test
    void aControlMessageToPort12223HasTheAccessPointsAddressFirstThenData() {
        byte[] lwapp = hex("000b8524e890 04 00 0008 00 00"); // AP identity; control flag
        Decoded d = overUdp(20105, 12223, concat(lwapp, hex("0d 96 0000"), hex("8048e4e0")));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:lwapp:data");
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(4);
        // From port 12223, no address: the control header follows the 6-byte header.
        Decoded reply = overUdp(12223, 20105, concat(hex("04 00 005a 00 00"), hex("0c 96 0052"), new byte[8]));
        assertThat(reply.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:lwapp:data");
        assertThat(reply.layer("data").get("data_len").asInt()).isEqualTo(8);
    }

    @Test
    void aShortHeaderIsMalformed() {
        assertThat(overUdp(20105, 12222, hex("08 1e 00")).malformed()).contains("LWAPP header");
    }
}
