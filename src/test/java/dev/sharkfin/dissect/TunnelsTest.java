package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The tunnel decoders' shared expectation: the inner packet is decoded as if it were on the wire. */
final class TunnelsTest {
    static final byte[] INNER = ethernet("020000000002", "020000000001", 0x0800,
            ipv4("192.168.1.1", "192.168.1.2", 6, tcp(40000, 8081, 1, 0, SYN, 65535, new byte[0], new byte[0])));

    static Decoded overUdp(int dport, byte[] payload) {
        return Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.2", 17, udp(50000, dport, payload))));
    }

    static void innerDecoded(Decoded d) {
        assertThat(d.layer("eth").isArray()).isTrue();
        assertThat(d.layer("ip").get(1).get("ip_src").asText()).isEqualTo("192.168.1.1");
        assertThat(d.layer("tcp").get("tcp_dstport").asInt()).isEqualTo(8081);
        assertThat(d.malformed()).isNull();
    }

    private TunnelsTest() {
    }
}
