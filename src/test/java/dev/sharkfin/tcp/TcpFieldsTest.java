package dev.sharkfin.tcp;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sharkfin.normalize.PacketDocuments;

/** What the TCP analysis adds to a document, through the same path the pipeline takes. */
class TcpFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PacketDocuments documents = new PacketDocuments();
    private long frame;

    private JsonNode send(byte[] ip) throws Exception {
        frame++;
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ip);
        JsonNode doc = JSON.readTree(documents.write(frame, frame * 1_000_000L, f, f.length, f.length, 1, false).toByteArray());
        JsonNode tcp = doc.get("tcp");
        return tcp.isArray() ? tcp.get(tcp.size() - 1) : tcp;
    }

    @Test
    void handshakeThenDataGetsRelativeNumbersAndBytesInFlight() throws Exception {
        send(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, 1000, 0, SYN, 65535, new byte[0], new byte[0])));
        send(ipv4("10.0.0.2", "10.0.0.1", 6, tcp(80, 40000, 5000, 1001, SYN | ACK, 65535, new byte[0], new byte[0])));
        send(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, 1001, 5001, ACK, 512, new byte[0], new byte[0])));
        JsonNode data = send(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, 1001, 5001, PSH | ACK, 512, new byte[0], new byte[100])));
        assertThat(data.get("tcp_stream").asInt()).isZero();
        assertThat(data.get("tcp_seq").asLong()).isEqualTo(1);
        assertThat(data.get("tcp_nxtseq").asLong()).isEqualTo(101);
        assertThat(data.get("tcp_ack").asLong()).isEqualTo(1);
        assertThat(data.get("tcp_analysis_bytes_in_flight").asLong()).isEqualTo(100);
        assertThat(data.get("tcp_analysis_retransmission")).isNull();
        JsonNode again = send(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, 1001, 5001, PSH | ACK, 512, new byte[0], new byte[100])));
        assertThat(again.get("tcp_analysis_retransmission").asBoolean()).isTrue();
    }

    @Test
    void aSegmentQuotedInAnIcmpErrorFindsItsStreamButIsNotAnalysed() throws Exception {
        send(ipv4("10.0.0.1", "10.0.0.9", 6, tcp(40000, 80, 7000, 0, SYN, 100, new byte[0], new byte[0])));
        byte[] quoted = ipv4("10.0.0.1", "10.0.0.9", 6, tcp(40000, 80, 7000, 0, SYN, 100, new byte[0], new byte[0]));
        byte[] icmp = concat(hex("0303 0000 00000000"), Arrays.copyOf(quoted, 40));
        JsonNode q = send(ipv4("10.0.0.254", "10.0.0.1", 1, icmp));
        assertThat(q.get("tcp_stream").asInt()).isZero();
        assertThat(q.get("tcp_seq").asLong()).isEqualTo(7000); // raw, as Wireshark shows it
        assertThat(q.get("tcp_len")).isNull();
        assertThat(q.get("tcp_nxtseq")).isNull();
        assertThat(q.get("tcp_analysis_retransmission")).isNull();
    }

    private JsonNode experts(byte[] ip) throws Exception {
        frame++;
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ip);
        return JSON.readTree(documents.write(frame, frame * 1_000_000L, f, f.length, f.length, 1, false).toByteArray())
                .get("_ws").get("_ws_expert_message");
    }

    /** Option 34 with an 8-byte cookie, padded with two NOPs. */
    private static final byte[] TFO_COOKIE = hex("220a0102030405060708 0101");

    @Test
    void aSynAckSaysWhetherItAcceptsTheFastOpenDataOfTheSyn() throws Exception {
        JsonNode syn = experts(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, 1000, 0, SYN, 65535, TFO_COOKIE, new byte[50])));
        assertThat(syn.get(1).asText()).isEqualTo("TCP SYN with TFO Cookie");
        JsonNode ignoring = experts(ipv4("10.0.0.2", "10.0.0.1", 6, tcp(443, 40000, 5000, 1001, SYN | ACK, 65535,
                new byte[0], new byte[0])));
        assertThat(ignoring.get(0).asText()).as("at the ack number, before the flags' chat").isEqualTo("TCP SYN-ACK ignoring TFO data");
        assertThat(ignoring.get(1).asText()).isEqualTo("Connection establish acknowledge (SYN+ACK): server port 443");
        experts(ipv4("10.0.0.1", "10.0.0.3", 6, tcp(40001, 80, 1000, 0, SYN, 65535, TFO_COOKIE, new byte[50])));
        JsonNode accepting = experts(ipv4("10.0.0.3", "10.0.0.1", 6, tcp(80, 40001, 5000, 1051, SYN | ACK, 65535,
                new byte[0], new byte[0])));
        assertThat(accepting.get(0).asText()).isEqualTo("TCP SYN-ACK accepting TFO data");
        experts(ipv4("10.0.0.1", "10.0.0.4", 6, tcp(40002, 80, 1000, 0, SYN, 65535, TFO_COOKIE, new byte[0])));
        JsonNode plain = experts(ipv4("10.0.0.4", "10.0.0.1", 6, tcp(80, 40002, 5000, 1001, SYN | ACK, 65535,
                new byte[0], new byte[0])));
        assertThat(plain.asText()).as("a cookie request without data: nothing to accept").startsWith("Connection establish");
        byte[] experimental = hex("fe0cf989 0102030405060708"); // option 254, magic 0xF989, an 8-byte cookie
        JsonNode exp = experts(ipv4("10.0.0.1", "10.0.0.5", 6, tcp(40003, 80, 1000, 0, SYN, 65535, experimental, new byte[20])));
        assertThat(exp.get(1).asText()).isEqualTo("TCP SYN with TFO Cookie");
    }
}
