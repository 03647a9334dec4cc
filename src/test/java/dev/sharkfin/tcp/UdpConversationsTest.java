package dev.sharkfin.tcp;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.dissect.Udp;
import dev.sharkfin.normalize.PacketDocuments;

/** udp.stream and the times within a UDP conversation, through the same path the pipeline takes. */
class UdpConversationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PacketDocuments documents = new PacketDocuments();
    private long frame;

    /** Sends one frame, {@code millis} into the capture; returns its UDP layers (the innermost last). */
    private JsonNode send(long millis, byte[] ip) throws Exception {
        frame++;
        byte[] f = ethernet("001122334455", "66778899aabb", ip[0] >>> 4 == 6 ? 0x86dd : 0x0800, ip);
        JsonNode doc = JSON.readTree(documents.write(frame, 1_700_000_000_000_000_000L + millis * 1_000_000L, f, f.length,
                f.length, 1, false).toByteArray());
        return doc.get("udp");
    }

    private static byte[] dns(String src, String dst, int sport, int dport) {
        return ipv4(src, dst, 17, udp(sport, dport, new byte[4]));
    }

    @Test
    void bothDirectionsAreOneConversationTimedFromItsFirstDatagram() throws Exception {
        JsonNode q = send(0, dns("10.0.0.1", "10.0.0.53", 40000, 53));
        JsonNode other = send(5, dns("10.0.0.1", "10.0.0.53", 40001, 53));
        JsonNode r = send(12, dns("10.0.0.53", "10.0.0.1", 53, 40000));
        assertThat(q.get("udp_stream").asInt()).isZero();
        assertThat(q.get("udp_time_relative").decimalValue()).isZero();
        assertThat(q.get("udp_time_delta").decimalValue()).isZero();
        assertThat(other.get("udp_stream").asInt()).isEqualTo(1);
        assertThat(r.get("udp_stream").asInt()).isZero();
        assertThat(r.get("udp_time_relative").decimalValue()).isEqualByComparingTo("0.012000000");
        assertThat(r.get("udp_time_delta").decimalValue()).isEqualByComparingTo("0.012000000");
        JsonNode again = send(20, dns("10.0.0.1", "10.0.0.53", 40000, 53));
        assertThat(again.get("udp_time_relative").decimalValue()).isEqualByComparingTo("0.020000000");
        assertThat(again.get("udp_time_delta").decimalValue()).isEqualByComparingTo("0.008000000");
    }

    /** A pcapng simple packet block has no timestamp: Wireshark times it as 0, before the conversation's first datagram. */
    @Test
    void aFrameWithoutATimestampIsAtTimeZero() throws Exception {
        send(0, dns("10.0.0.1", "10.0.0.53", 40000, 53));
        frame++;
        byte[] ip = dns("10.0.0.53", "10.0.0.1", 53, 40000);
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ip);
        JsonNode doc = JSON.readTree(documents.write(frame, 1_700_000_000_000_000_000L, Packet.NO_TIME, f, f.length, f.length, 1,
                false).toByteArray());
        assertThat(doc.get("udp").get("udp_time_relative").decimalValue()).isEqualByComparingTo("-1700000000");
        assertThat(doc.get("udp").get("udp_time_delta").decimalValue()).isEqualByComparingTo("-1700000000");
    }

    @Test
    void anEmptyDatagramHasItsStreamButNoTimesAndABadLengthNoStream() throws Exception {
        send(0, dns("10.0.0.1", "10.0.0.53", 40000, 53));
        JsonNode empty = send(3, ipv4("10.0.0.1", "10.0.0.53", 17, udp(40000, 53, new byte[0])));
        assertThat(empty.get("udp_stream").asInt()).isZero();
        assertThat(empty.get("udp_time_delta")).isNull();
        assertThat(send(5, dns("10.0.0.1", "10.0.0.53", 40000, 53)).get("udp_time_delta").decimalValue()).isEqualByComparingTo("0.005");
        byte[] zeroLength = udp(40001, 53, new byte[4]);
        zeroLength[4] = 0;
        zeroLength[5] = 0; // 0 is a jumbogram's length in IPv6 only
        assertThat(send(6, ipv4("10.0.0.1", "10.0.0.53", 17, zeroLength)).get("udp_stream")).isNull();
        assertThat(send(7, dns("10.0.0.1", "10.0.0.53", 40002, 53)).get("udp_stream").asInt()).isEqualTo(1);
    }

    @Test
    void addressFamiliesAndPortsTellConversationsApart() throws Exception {
        assertThat(send(0, ipv6("fe80::1", "fe80::2", 17, udp(546, 547, new byte[4]))).get("udp_stream").asInt()).isZero();
        assertThat(send(1, dns("10.0.0.1", "10.0.0.2", 546, 547)).get("udp_stream").asInt()).isEqualTo(1);
        assertThat(send(2, dns("10.0.0.1", "10.0.0.2", 547, 546)).get("udp_stream").asInt()).isEqualTo(2);
        assertThat(send(3, dns("10.0.0.2", "10.0.0.1", 546, 547)).get("udp_stream").asInt()).isEqualTo(2);
        assertThat(send(4, ipv6("fe80::2", "fe80::1", 17, udp(547, 546, new byte[4]))).get("udp_stream").asInt()).isZero();
    }

    @Test
    void aDatagramQuotedInAnIcmpErrorFindsOrOpensItsConversationWithoutTimes() throws Exception {
        send(0, dns("10.0.0.1", "10.0.0.53", 40000, 53));
        byte[] quoted = dns("10.0.0.1", "10.0.0.53", 40000, 53);
        JsonNode q = send(7, ipv4("10.0.0.53", "10.0.0.1", 1, concat(hex("0303 0000 00000000"), quoted)));
        assertThat(q.get("udp_stream").asInt()).isZero();
        assertThat(q.get("udp_time_relative")).isNull();
        assertThat(q.get("udp_time_delta")).isNull();
        // The quoted datagram did not move the conversation's previous time.
        assertThat(send(10, dns("10.0.0.1", "10.0.0.53", 40000, 53)).get("udp_time_delta").decimalValue()).isEqualByComparingTo("0.010000000");
        byte[] unseen = dns("10.0.0.1", "10.0.0.99", 40000, 53);
        JsonNode opened = send(11, ipv4("10.0.0.99", "10.0.0.1", 1, concat(hex("0303 0000 00000000"), unseen)));
        assertThat(opened.get("udp_stream").asInt()).isEqualTo(1);
        assertThat(send(12, dns("10.0.0.99", "10.0.0.1", 53, 40000)).get("udp_time_relative").decimalValue()).isZero();
    }

    @Test
    void aTunnelsInnerDatagramHasTheConversationOfItsInnerAddresses() throws Exception {
        byte[] inner = ethernet("020000000002", "020000000001", 0x0800, dns("192.168.1.1", "192.168.1.2", 5000, 53));
        byte[] vxlan = concat(hex("08000000 00000100"), inner);
        JsonNode both = send(0, ipv4("10.0.0.1", "10.0.0.2", 17, udp(50000, 4789, vxlan)));
        assertThat(both.isArray()).isTrue();
        assertThat(both.get(0).get("udp_stream").asInt()).isZero();
        assertThat(both.get(1).get("udp_stream").asInt()).isEqualTo(1);
        assertThat(send(1, dns("192.168.1.2", "192.168.1.1", 53, 5000)).get("udp_stream").asInt()).isEqualTo(1);
    }

    @Test
    void theTableIsBoundedAndForgetsTheConversationSeenLongestAgo() {
        UdpConversations table = new UdpConversations(2);
        Dissector dissector = new Dissector();
        Packet p = new Packet();
        long[] streams = new long[6];
        int[][] ports = {{1, 2}, {3, 4}, {1, 2}, {5, 6}, {1, 2}, {3, 4}};
        for (int i = 0; i < ports.length; i++) {
            byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, dns("10.0.0.1", "10.0.0.2", ports[i][0], ports[i][1]));
            p.reset(i + 1, i, f, f.length, f.length, 1);
            dissector.dissect(p);
            table.analyze(p);
            for (int k = 0; k < p.size(); k++) {
                if (p.fieldKey(k) == Udp.STREAM) {
                    streams[i] = p.fieldLong(k);
                }
            }
        }
        // 1-2 was seen last when 5-6 came: 3-4 went, and comes back as a new conversation.
        assertThat(streams).containsExactly(0, 1, 0, 2, 0, 3);
        assertThat(table.streamCount()).isEqualTo(4);
    }

    @Test
    void aHeaderWithoutAddressesIsNotNumbered() {
        UdpConversations table = new UdpConversations();
        Packet p = new Packet();
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, Arrays.copyOf(dns("10.0.0.1", "10.0.0.2", 1, 2), 10));
        p.reset(1, 0, f, f.length, f.length, 1);
        new Dissector().dissect(p);
        table.analyze(p);
        assertThat(table.streamCount()).isZero();
    }
}
