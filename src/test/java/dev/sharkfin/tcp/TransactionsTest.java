package dev.sharkfin.tcp;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Dns;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.normalize.PacketDocuments;

/** DNS and ICMP echo request/response matching, through the same path the pipeline takes. */
class TransactionsTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final long START = 1_700_000_000_000_000_000L;
    private final PacketDocuments documents = new PacketDocuments();
    private long frame;

    /** Sends one IP packet in an Ethernet frame, {@code millis} into the capture; returns the document. */
    private JsonNode send(long millis, byte[] ip) throws Exception {
        frame++;
        byte[] f = ethernet("001122334455", "66778899aabb", ip[0] >>> 4 == 6 ? 0x86dd : 0x0800, ip);
        return JSON.readTree(documents.write(frame, START + millis * 1_000_000L, f, f.length, f.length, 1, false).toByteArray());
    }

    static byte[] dnsMessage(int id, boolean response) {
        return ByteBuffer.allocate(12).putShort((short) id).putShort((short) (response ? 0x8180 : 0x0100)).array();
    }

    private static byte[] query(int sport, int id) {
        return ipv4("10.0.0.1", "10.0.0.53", 17, udp(sport, 53, dnsMessage(id, false)));
    }

    private static byte[] answer(int dport, int id) {
        return ipv4("10.0.0.53", "10.0.0.1", 17, udp(53, dport, dnsMessage(id, true)));
    }

    @Test
    void aResponseNamesTheLatestQueryOfItsIdInItsConversation() throws Exception {
        JsonNode q = send(0, query(40000, 0x1234));
        send(3, query(40000, 0x9999));
        send(4, query(40001, 0x1234)); // another conversation
        JsonNode r = send(12, answer(40000, 0x1234));
        assertThat(q.get("dns").get("dns_response_to")).isNull();
        assertThat(r.get("dns").get("dns_response_to").asLong()).isEqualTo(1);
        assertThat(r.get("dns").get("dns_time").decimalValue()).isEqualByComparingTo("0.012");
        assertThat(r.get("dns").get("dns_retransmission")).isNull();
        JsonNode unknown = send(13, answer(40000, 0x4321));
        assertThat(unknown.get("dns").get("dns_response_to")).isNull();
        JsonNode overTcp = send(14, ipv4("10.0.0.53", "10.0.0.1", 6,
                tcp(53, 40001, 1, 1, PSH | ACK, 1000, new byte[0], concat(u16(12), dnsMessage(0x1234, true)))));
        assertThat(overTcp.get("dns").get("dns_response_to")).as("UDP and TCP are separate conversations").isNull();
    }

    @Test
    void repeatedQueriesAndResponsesAreRetransmissions() throws Exception {
        send(0, query(40000, 7));
        JsonNode again = send(1000, query(40000, 7));
        assertThat(again.get("dns").get("dns_retransmit_request_in").asLong()).isEqualTo(1);
        assertThat(again.get("dns").get("dns_retransmission").asBoolean()).isTrue();
        JsonNode r = send(1010, answer(40000, 7));
        assertThat(r.get("dns").get("dns_response_to").asLong()).as("the original query").isEqualTo(1);
        assertThat(r.get("dns").get("dns_time").decimalValue()).isEqualByComparingTo("1.010");
        JsonNode r2 = send(1011, answer(40000, 7));
        assertThat(r2.get("dns").get("dns_retransmit_response_in").asLong()).isEqualTo(3);
        assertThat(r2.get("dns").get("dns_retransmission").asBoolean()).isTrue();
        assertThat(r2.get("dns").get("dns_response_to")).isNull();
        assertThat(again.get("_ws").get("_ws_expert_message").asText())
                .isEqualTo("DNS query retransmission. Original request in frame 1");
        assertThat(r2.get("_ws").get("_ws_expert_message").asText())
                .isEqualTo("DNS response retransmission. Original response in frame 3");
        assertThat(r.get("_ws")).as("no expert on the first response").isNull();
        // Answered: the same id again is a new query; so is one 5 s after an unanswered one.
        assertThat(send(1100, query(40000, 7)).get("dns").get("dns_retransmission")).isNull();
        assertThat(send(6100, query(40000, 7)).get("dns").get("dns_retransmission")).isNull();
        assertThat(send(6200, answer(40000, 7)).get("dns").get("dns_response_to").asLong()).isEqualTo(6);
    }

    @Test
    void aResponseWhoseRecordsThrowShowsNoMatchButAnswersItsQuery() throws Exception {
        send(0, query(40000, 9));
        // One answer counted, none there: Wireshark throws in the answers, before it adds the matching fields.
        byte[] cut = ByteBuffer.allocate(12).putShort((short) 9).putShort((short) 0x8180).putShort(6, (short) 1).array();
        JsonNode r = send(5, ipv4("10.0.0.53", "10.0.0.1", 17, udp(53, 40000, cut)));
        assertThat(r.get("_ws").get("_ws_malformed")).isNotNull();
        assertThat(r.get("dns").get("dns_response_to")).isNull();
        assertThat(r.get("dns").get("dns_time")).isNull();
        JsonNode again = send(6, answer(40000, 9));
        assertThat(again.get("dns").get("dns_retransmit_response_in").asLong()).as("the query was answered").isEqualTo(2);
    }

    private static byte[] echo(int type, int checksum, int ident, int seq) {
        return ByteBuffer.allocate(12).put((byte) type).put((byte) 0).putShort((short) checksum).putShort((short) ident)
                .putShort((short) seq).putInt(0x61626364).array();
    }

    @Test
    void anEchoReplyAnswersTheRequestWithItsIdentifierSequenceAndPayloadOnce() throws Exception {
        // Checksums as on the wire (mixed-small.pcap): the reply's is the request's plus 0x0800, type 8 become 0.
        send(0, ipv4("10.0.0.1", "10.0.0.2", 1, echo(8, 0xebda, 1, 1)));
        send(1, ipv4("10.0.0.1", "10.0.0.2", 1, echo(8, 0xebd9, 1, 2)));
        JsonNode reply = send(11, ipv4("10.0.0.2", "10.0.0.1", 1, echo(0, 0xf3da, 1, 1)));
        assertThat(reply.get("icmp").get("icmp_resp_to").asLong()).isEqualTo(1);
        assertThat(reply.get("icmp").get("icmp_resptime").decimalValue()).as("milliseconds").isEqualByComparingTo("11");
        assertThat(send(12, ipv4("10.0.0.2", "10.0.0.1", 1, echo(0, 0xf3da, 1, 1))).get("icmp").get("icmp_resp_to"))
                .as("a second reply").isNull();
        assertThat(send(13, ipv4("10.0.0.2", "10.0.0.1", 1, echo(0, 0xf3d8, 1, 2))).get("icmp").get("icmp_resp_to"))
                .as("another payload").isNull();
        assertThat(send(14, ipv4("10.0.0.3", "10.0.0.1", 1, echo(0, 0xf3d9, 1, 2))).get("icmp").get("icmp_resp_to"))
                .as("another host").isNull();
        assertThat(send(15, ipv4("10.0.0.2", "10.0.0.1", 1, echo(0, 0xf3d9, 1, 2))).get("icmp").get("icmp_resp_to").asLong())
                .isEqualTo(2);
    }

    @Test
    void anIcmpv6EchoReplyAnswersItsRequest() throws Exception {
        // 128 → 129 takes 0x0100 off the checksum (mixed-small.pcap's frames 13 and 14).
        send(0, ipv6("fd00:99::1", "fd00:99::2", 58, echo(128, 0x7831, 9, 1)));
        JsonNode reply = send(1200, ipv6("fd00:99::2", "fd00:99::1", 58, echo(129, 0x7731, 9, 1)));
        assertThat(reply.get("icmpv6").get("icmpv6_resp_to").asLong()).isEqualTo(1);
        assertThat(reply.get("icmpv6").get("icmpv6_resptime").decimalValue()).isEqualByComparingTo("1200");
    }

    /** tshark shows 1200.639 (dpkt_dns_icmp.pcap's frame 22); a double of milliseconds is 1200.6390000000001. */
    @Test
    void aResponseTimeIsExactMilliseconds() throws Exception {
        send(0, ipv4("10.0.0.1", "10.0.0.2", 1, echo(8, 0xebda, 1, 1)));
        frame++;
        byte[] ip = ipv4("10.0.0.2", "10.0.0.1", 1, echo(0, 0xf3da, 1, 1));
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ip);
        JsonNode reply = JSON.readTree(documents.write(frame, START + 1_200_639_000L, f, f.length, f.length, 1, false).toByteArray());
        assertThat(reply.get("icmp").get("icmp_resptime").decimalValue()).isEqualByComparingTo("1200.639");
    }

    @Test
    void replyChecksumsWrapAroundInOnesComplement() {
        assertThat(Transactions.replyChecksum(0xebda, false)).isEqualTo(0xf3da);
        assertThat(Transactions.replyChecksum(0xf900, false)).isEqualTo(0x0101);
        assertThat(Transactions.replyChecksum(0x7831, true)).isEqualTo(0x7731);
        assertThat(Transactions.replyChecksum(0x0050, true)).isEqualTo(0xff4f);
    }

    private long clientSeq = 1000;
    private long serverSeq = 5000;

    private JsonNode http(long millis, boolean fromClient, int clientPort, String message) throws Exception {
        byte[] payload = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] segment = fromClient
                ? tcp(clientPort, 80, clientSeq, serverSeq, PSH | ACK, 1000, new byte[0], payload)
                : tcp(80, clientPort, serverSeq, clientSeq, PSH | ACK, 1000, new byte[0], payload);
        if (fromClient) {
            clientSeq += payload.length;
        } else {
            serverSeq += payload.length;
        }
        JsonNode doc = send(millis, fromClient ? ipv4("10.0.0.1", "10.0.0.80", 6, segment) : ipv4("10.0.0.80", "10.0.0.1", 6, segment));
        return doc.get("http");
    }

    @Test
    void httpPairsRequestsAndResponsesInOrderPerConversation() throws Exception {
        JsonNode q1 = http(0, true, 40000, "GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n");
        assertThat(q1.get("http_request_number").asLong()).isEqualTo(1);
        assertThat(q1.get("http_prev_request_in")).isNull();
        JsonNode r1 = http(18, false, 40000, "HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(r1.get("http_response_number").asLong()).isEqualTo(1);
        assertThat(r1.get("http_request_in").asLong()).isEqualTo(1);
        assertThat(r1.get("http_time").decimalValue()).isEqualByComparingTo("0.018");
        assertThat(r1.get("http_response_for_uri").asText()).isEqualTo("http://example.org/a");
        // A second response to the same request: a pair of its own, without a request.
        JsonNode r2 = http(20, false, 40000, "HTTP/1.1 200 OK\r\n\r\n");
        assertThat(r2.get("http_response_number").asLong()).isEqualTo(2);
        assertThat(r2.get("http_request_in")).isNull();
        assertThat(r2.get("http_prev_request_in").asLong()).isEqualTo(1);
        assertThat(r2.get("http_prev_response_in").asLong()).isEqualTo(2);
        assertThat(r2.get("http_response_for_uri").asText()).isEqualTo("http://example.org/a");
        JsonNode q3 = http(30, true, 40000, "GET /b HTTP/1.1\r\nHost: example.org\r\n\r\n");
        assertThat(q3.get("http_request_number").asLong()).isEqualTo(3);
        assertThat(q3.get("http_prev_request_in")).as("pair 2 had no request").isNull();
        JsonNode other = http(31, true, 40001, "GET /c HTTP/1.1\r\n\r\n");
        assertThat(other.get("http_request_number").asLong()).as("another conversation").isEqualTo(1);
        JsonNode r3 = http(35, false, 40000, "HTTP/1.1 200 OK\r\n\r\n");
        assertThat(r3.get("http_request_in").asLong()).isEqualTo(4);
        assertThat(r3.get("http_prev_response_in").asLong()).isEqualTo(3);
        assertThat(r3.get("http_prev_request_in")).isNull();
        assertThat(r3.get("http_response_for_uri").asText()).isEqualTo("http://example.org/b");
    }

    @Test
    void pastTheBoundTheOldestTransactionIsForgotten() {
        Dissector dissector = new Dissector();
        Transactions transactions = new Transactions(1);
        Packet p = new Packet();
        long[] n = {0};
        java.util.function.Function<byte[], Packet> run = ip -> {
            byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ip);
            p.reset(++n[0], START + n[0] * 1_000_000L, f, f.length, f.length, 1);
            dissector.dissect(p);
            transactions.analyze(p);
            return p;
        };
        run.apply(query(40000, 1));
        run.apply(query(40000, 2));
        assertThat(has(run.apply(answer(40000, 1)), Dns.RESPONSE_TO)).as("forgotten").isFalse();
        assertThat(has(run.apply(answer(40000, 2)), Dns.RESPONSE_TO)).isTrue();
    }

    private static boolean has(Packet p, dev.sharkfin.dissect.Field f) {
        for (int i = 0; i < p.size(); i++) {
            if (p.fieldKey(i) == f) {
                return true;
            }
        }
        return false;
    }

    private static byte[] tlsRecord(int type, byte[] body) {
        return concat(new byte[] {(byte) type, 3, 3}, u16(body.length), body);
    }

    /** A ClientHello (1) or ServerHello (2) of TLS 1.2 with this session id, one cipher suite, no extensions. */
    private static byte[] hello(int type, byte[] sessionId) {
        return hello(type, sessionId, new byte[0]);
    }

    private static byte[] hello(int type, byte[] sessionId, byte[] extensions) {
        byte[] body = concat(hex("0303"), new byte[32], new byte[] {(byte) sessionId.length}, sessionId,
                type == 1 ? hex("0002c02f0100") : hex("c02f00"), extensions);
        return tlsRecord(22, concat(new byte[] {(byte) type, 0, 0, (byte) body.length}, body));
    }

    private long tlsClientSeq = 1000, tlsServerSeq = 5000;

    /** The next segment of one TCP conversation, in sequence (the TCP analysis adds no expert of its own). */
    private JsonNode tlsSegment(boolean fromServer, byte[] payload) throws Exception {
        byte[] t = fromServer ? tcp(443, 50000, tlsServerSeq, tlsClientSeq, PSH | ACK, 1000, new byte[0], payload)
                : tcp(50000, 443, tlsClientSeq, tlsServerSeq, PSH | ACK, 1000, new byte[0], payload);
        if (fromServer) {
            tlsServerSeq += payload.length;
        } else {
            tlsClientSeq += payload.length;
        }
        return send(frame, fromServer ? ipv4("10.0.0.2", "10.0.0.1", 6, t) : ipv4("10.0.0.1", "10.0.0.2", 6, t));
    }

    private static String expert(JsonNode doc) {
        JsonNode m = doc.path("_ws").path("_ws_expert_message");
        return m.isMissingNode() ? null : m.isArray() ? m.get(0).asText() : m.asText();
    }

    @Test
    void aServerHelloEchoingTheClientsSessionIdResumesTheSessionAndItsChangeCipherSpecSaysSo() throws Exception {
        byte[] id = hex("562c42fb99044c31c6810b517e9569cec7e7ea869dd7994032739b20f334c917");
        byte[] ccs = tlsRecord(20, new byte[] {1});
        tlsSegment(false, hello(1, id));
        JsonNode resumed = tlsSegment(true, concat(hello(2, id), ccs));
        assertThat(resumed.get("tls")).isNotNull();
        assertThat(expert(resumed)).isEqualTo("This session reuses previously negotiated keys (Session resumption)");
        assertThat(expert(tlsSegment(false, ccs))).as("the client's").isNull();
        assertThat(expert(tlsSegment(true, ccs))).as("only the server's first").isNull();
        tlsSegment(false, hello(1, id));
        JsonNode fresh = tlsSegment(true, concat(hello(2, hex("aa".repeat(32))), ccs));
        assertThat(expert(fresh)).as("another session id: a full handshake").isNull();
        tlsSegment(false, hello(1, new byte[0]));
        assertThat(expert(tlsSegment(true, concat(hello(2, new byte[0]), ccs)))).as("no session id").isNull();
        tlsSegment(false, hello(1, id));
        byte[] tls13 = hex("002b 0002 0304"); // extensions: supported_versions, TLS 1.3
        JsonNode echo = tlsSegment(true, concat(hello(2, id, concat(u16(tls13.length), tls13)), ccs));
        assertThat(echo.get("tls").toString()).contains("772"); // the supported version was read
        assertThat(expert(echo)).as("TLS 1.3 echoes the legacy session id: no resumption").isNull();
        tlsSegment(false, hello(1, id));
        byte[] draft = hex("002b 0002 7f1c"); // TLS 1.3 draft 28
        assertThat(expert(tlsSegment(true, concat(hello(2, id, concat(u16(draft.length), draft)), ccs)))).isNull();
    }
}
