package dev.sharkfin.tcp;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.normalize.DocumentWriter;
import dev.sharkfin.normalize.JsonOut;

/** tshark's tcp.no_subdissector_on_error: a retransmitted segment's payload is not decoded again. */
class RetransmittedPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] frame(int sport, int dport, long seq, long ack, int flags, String payload) {
        return ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6,
                tcp(sport, dport, seq, ack, flags, 1000, new byte[0], payload.getBytes(StandardCharsets.ISO_8859_1))));
    }

    private static List<JsonNode> documents(List<byte[]> frames) throws Exception {
        Dissector dissector = new Dissector();
        TcpFields tcp = new TcpFields();
        DocumentWriter writer = new DocumentWriter();
        JsonOut out = new JsonOut();
        Packet p = new Packet();
        List<JsonNode> docs = new ArrayList<>();
        long t = 1_700_000_000_000_000_000L;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            p.reset(i + 1, t + i * 1_000_000_000L, f, f.length, f.length, 1);
            dissector.dissect(p);
            tcp.analyze(p);
            writer.write(p, out);
            docs.add(JSON.readTree(out.toByteArray()));
        }
        return docs;
    }

    @Test
    void retransmissionKeepsItsTcpFieldsButNotItsApplicationLayer() throws Exception {
        String get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        List<JsonNode> docs = documents(List.of(
                frame(40000, 80, 100, 0, SYN, ""),
                frame(80, 40000, 500, 101, SYN | ACK, ""),
                frame(40000, 80, 101, 501, ACK, ""),
                frame(40000, 80, 101, 501, PSH | ACK, get),
                frame(40000, 80, 101, 501, PSH | ACK, get)));
        assertThat(docs.get(3).get("http").get("http_host").asText()).isEqualTo("a");
        JsonNode again = docs.get(4);
        assertThat(again.get("tcp").get("tcp_analysis_retransmission").asBoolean()).isTrue();
        assertThat(again.get("http")).isNull();
        assertThat(again.get("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:tcp");
    }

    @Test
    void manyFieldsGrowThePacketsColumns() throws Exception {
        // A DNS response with 100 A records: far more fields than the packet's initial 128 columns.
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            records.append("c00c 0001 0001 0000003c 0004 0a0000").append(String.format("%02x", i));
        }
        byte[] dns = hex("0001 8180 0001 0064 0000 0000 01 61 00 0001 0001" + records);
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.53", "10.0.0.1", 17, udp(53, 40000, dns)));
        JsonNode doc = documents(List.of(f)).get(0);
        assertThat(doc.get("dns").get("dns_a").size()).isEqualTo(100);
        assertThat(doc.get("dns").get("dns_a").get(99).asText()).isEqualTo("10.0.0.99");
    }
}
