package dev.sharkfin.normalize;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sharkfin.dissect.Sharkfin;

/** Every document of a job names its capture; a TCP packet's also its stream, unique across captures. */
class CaptureIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private long frame;

    private JsonNode send(PacketDocuments documents, byte[] ip) throws Exception {
        frame++;
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ip);
        return JSON.readTree(documents.write(frame, frame * 1_000_000L, f, f.length, f.length, 1, false).toByteArray());
    }

    private static byte[] syn(int port) {
        return ipv4("10.0.0.1", "10.0.0.2", 6, tcp(port, 80, 1000, 0, SYN, 65535, new byte[0], new byte[0]));
    }

    @Test
    void everyDocumentNamesItsJobAndCaptureAndATcpPacketItsStreamKey() throws Exception {
        PacketDocuments documents = new PacketDocuments(new Sharkfin("j1", "lossy.pcap"));
        JsonNode first = send(documents, syn(40000));
        JsonNode second = send(documents, syn(40001));
        JsonNode udp = send(documents, ipv4("10.0.0.1", "10.0.0.2", 17, udp(12345, 9999, new byte[4])));
        assertThat(first.at("/sharkfin/sharkfin_job").asText()).isEqualTo("j1");
        assertThat(first.at("/sharkfin/sharkfin_capture").asText()).isEqualTo("lossy.pcap (j1)");
        assertThat(first.at("/sharkfin/sharkfin_tcp_stream").asText()).isEqualTo("j1/0");
        assertThat(second.at("/sharkfin/sharkfin_tcp_stream").asText()).isEqualTo("j1/1");
        assertThat(udp.at("/sharkfin/sharkfin_capture").asText()).isEqualTo("lossy.pcap (j1)");
        assertThat(udp.at("/sharkfin").has("sharkfin_tcp_stream")).isFalse();
        assertThat(first.at("/frame/frame_protocols").asText()).doesNotContain("sharkfin");
    }

    @Test
    void stream0OfTwoCapturesHasTwoKeys() throws Exception {
        JsonNode a = send(new PacketDocuments(new Sharkfin("a", "x.pcap")), syn(40000));
        JsonNode b = send(new PacketDocuments(new Sharkfin("b", "x.pcap")), syn(40000));
        assertThat(a.at("/tcp/tcp_stream").asInt()).isEqualTo(b.at("/tcp/tcp_stream").asInt()).isZero();
        assertThat(a.at("/sharkfin/sharkfin_tcp_stream").asText()).isNotEqualTo(b.at("/sharkfin/sharkfin_tcp_stream").asText());
        assertThat(a.at("/sharkfin/sharkfin_capture").asText()).isNotEqualTo(b.at("/sharkfin/sharkfin_capture").asText());
    }

    @Test
    void withoutACaptureThereIsNoSharkfinObject() throws Exception {
        assertThat(send(new PacketDocuments(), syn(40000)).has("sharkfin")).isFalse();
    }
}
