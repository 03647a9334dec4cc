package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Decoders never throw on bad input: well-formed application and tunnel frames with random bytes changed
 * and random cuts (as payload lengths and as snaplen cuts) decode to documents, whatever they hold.
 */
class ApplicationFuzzTest {
    private static byte[] overUdp(int port, byte[] payload) {
        return ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(50000, port, payload)));
    }

    private static byte[] overTcp(int port, byte[] payload) {
        return ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.2", 6, tcp(50000, port, 1, 1, PSH | ACK, 100, new byte[0], payload)));
    }

    @Test
    void mutatedFramesNeverThrow() {
        List<byte[]> seeds = List.of(
                overUdp(53, DnsTest.RESPONSE), overUdp(5353, DnsTest.QUERY), overTcp(53, concat(u16(DnsTest.QUERY.length), DnsTest.QUERY)),
                overTcp(80, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                overTcp(443, TlsTest.clientHello()), overTcp(9999, TlsTest.clientHello()),
                overUdp(67, DhcpTest.request()), overUdp(123, new byte[48]),
                overUdp(4789, concat(hex("0800 0000 00007b 00"), TunnelsTest.INNER)),
                overUdp(6081, concat(hex("02 00 6558 0000ff 00 0000 00 01 0000000a"), TunnelsTest.INNER)),
                overUdp(6343, SflowTest.datagram(TunnelsTest.INNER)),
                overUdp(1701, concat(hex("0002 05f7 206a ff03 0021"), TunnelsTest.INNER)));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] f = seeds.get(i % seeds.size()).clone();
            int changes = 1 + random.nextInt(6);
            for (int k = 0; k < changes; k++) {
                int at = 42 + random.nextInt(Math.max(1, f.length - 42));
                if (at < f.length) {
                    f[at] = (byte) random.nextInt(256);
                }
            }
            int captured = random.nextInt(4) == 0 ? random.nextInt(f.length + 1) : f.length;
            byte[] frame = f;
            assertThatCode(() -> Decoded.of(Decoded.ETHERNET, frame, captured, frame.length)).doesNotThrowAnyException();
        }
    }
}
