package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SflowTest {
    /** An sFlow v5 datagram with one flow sample holding one raw Ethernet packet header. */
    static byte[] datagram(byte[] header) {
        return datagram(new byte[][] {header});
    }

    /** An sFlow v5 datagram with a flow sample per header, each holding it as a raw Ethernet packet header. */
    static byte[] datagram(byte[]... headers) {
        byte[] samples = new byte[0];
        for (byte[] header : headers) {
            int padded = (header.length + 3) & ~3;
            byte[] raw = concat(hex("00000001"), u32(header.length + 4), hex("00000004"), u32(header.length),
                    header, new byte[padded - header.length]);
            byte[] record = concat(hex("00000001"), u32(raw.length), raw);
            byte[] sample = concat(hex("0000001d 0000000d 0000003c 12e4a67b 000be227 0000000d 80000002 00000001"), record);
            samples = concat(samples, hex("00000001"), u32(sample.length), sample);
        }
        return concat(hex("00000005 00000001 c0a89602 00000000 00044615 1115d354"), u32(headers.length), samples);
    }

    private static byte[] u32(int v) {
        return concat(u16(v >>> 16), u16(v & 0xffff));
    }

    @Test
    void aSampledPacketIsDecodedWithoutALengthSoNotAnalysed() {
        Decoded d = TunnelsTest.overUdp(6343, datagram(TunnelsTest.INNER));
        var sflow = d.layer("sflow");
        assertThat(sflow.get("sflow_245_version").asInt()).isEqualTo(5);
        assertThat(sflow.get("sflow_245_agent").asText()).isEqualTo("192.168.150.2");
        assertThat(sflow.get("sflow_245_numsamples").asInt()).isEqualTo(1);
        assertThat(sflow.get("sflow_flow_sample_sampling_rate").asInt()).isEqualTo(60);
        assertThat(sflow.get("sflow_245_header_protocol").asInt()).isEqualTo(1);
        TunnelsTest.innerDecoded(d);
        assertThat(d.layer("tcp").get("tcp_len")).isNull(); // as Wireshark shows a sampled segment
        // Its conversation is found (tcp.stream, as Wireshark), but without a length it is not analysed.
        assertThat(d.packet().tcpCount()).isEqualTo(1);
        assertThat(d.packet().tcp(0).payloadLength).isEqualTo(-1);
    }

    /**
     * Wireshark decodes every sampled header, in order, each one's layers after the ones before: in frame.protocols,
     * and in the document, where a layer repeated is an array.
     */
    @Test
    void everySampledPacketIsDecodedInOrder() {
        byte[] udp = ethernet("020000000004", "020000000003", 0x0800, ipv4("192.168.7.1", "192.168.7.2", 17, udp(40001, 40002, new byte[4])));
        Decoded d = TunnelsTest.overUdp(6343, datagram(TunnelsTest.INNER, udp, TunnelsTest.INNER));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:sflow"
                + ":eth:ethertype:ip:tcp:eth:ethertype:ip:udp:data:eth:ethertype:ip:tcp");
        assertThat(d.layer("sflow").get("sflow_245_header_protocol").toString()).isEqualTo("[1,1,1]");
        assertThat(d.layer("ip").get(2).get("ip_src").asText()).isEqualTo("192.168.7.1");
        assertThat(d.layer("udp").get(1).get("udp_dstport").asInt()).isEqualTo(40002);
        assertThat(d.layer("tcp").isArray()).isTrue();
        assertThat(d.packet().tcpCount()).isEqualTo(2);
        assertThat(d.malformed()).isNull();
    }

    /**
     * At most {@link Packet#MAX_QUEUED} sampled packets are decoded; the samples' fields are all there, and the frame
     * names the bound it met.
     */
    @Test
    void sampledPacketsBeyondTheBoundAreNotDecoded() {
        byte[][] headers = new byte[Packet.MAX_QUEUED + 1][];
        java.util.Arrays.fill(headers, TunnelsTest.INNER);
        Decoded d = TunnelsTest.overUdp(6343, datagram(headers));
        assertThat(d.layer("sflow").get("sflow_245_header_protocol")).hasSize(Packet.MAX_QUEUED + 1);
        assertThat(d.layer("ip")).hasSize(Packet.MAX_QUEUED + 1); // the datagram's and the decoded samples'
        assertThat(d.layer("_ws").get("_ws_unsupported").asText())
                .isEqualTo("sampled packets not decoded: 1 past the 16 one frame may queue (Packet.MAX_QUEUED)");
    }

    /** A datagram of the given samples (each its format word, length and body), agent 192.168.150.2. */
    private static byte[] withSamples(int count, byte[]... samples) {
        return concat(hex("00000005 00000001 c0a89602 00000000 00044615 1115d354"), u32(count), concat(samples));
    }

    private static byte[] sample(String format, byte[] body) {
        return concat(hex(format), u32(body.length), body);
    }

    /**
     * Wireshark walks a counters sample's records by the size of the counters it knows, not by their lengths, and
     * goes on at the datagram's end after another enterprise's record: a record after that one is its exception.
     */
    @Test
    void countersRecordsAreWalkedAsWiresharkReadsThem() {
        byte[] vg = concat(hex("00000004 00000002"), new byte[80]); // 100BaseVG, its length says 2
        byte[] other = hex("5abb6001 000007a2");                     // another enterprise's record
        byte[] fine = sample("00000002", concat(hex("00000001 02000001 00000002"), hex("00000000 00000044"), vg));
        Decoded ok = TunnelsTest.overUdp(6343, withSamples(1, fine));
        assertThat(ok.malformed()).isNull();
        assertThat(ok.layer("sflow").get("sflow_245_sampletype").asInt()).isEqualTo(2);
        byte[] bad = sample("00000002", concat(hex("00000001 02000001 00000003"), vg, other, hex("00000001 00000058")));
        Decoded d = TunnelsTest.overUdp(6343, withSamples(1, bad));
        assertThat(d.malformed()).contains("sFlow counters record");
        assertThat(d.expert()).isEqualTo(Dissector.MALFORMED_EXPERT);
    }

    /** Another enterprise's sample has no length Wireshark knows: it goes on at the datagram's end. */
    @Test
    void aSampleOfAnotherEnterpriseEndsTheDatagram() {
        byte[] other = sample("5abb6001", new byte[8]);
        assertThat(TunnelsTest.overUdp(6343, withSamples(1, other)).malformed()).isNull();
        Decoded d = TunnelsTest.overUdp(6343, withSamples(2, other, sample("00000002", hex("00000001 02000001 00000000"))));
        assertThat(d.malformed()).contains("sFlow sample");
        assertThat(d.layer("sflow").get("sflow_245_sampletype")).isNull();
    }

    /** Wireshark's sFlow takes only versions 2, 4 and 5 with a known address type; anything else on 6343 is data. */
    @Test
    void notSflowOnItsPortIsData() {
        Decoded d = TunnelsTest.overUdp(6343, hex("00050001 9ae72b16 4d966a2b 00000000"));
        assertThat(d.layer("sflow")).isNull();
        assertThat(d.layer("frame").get("frame_protocols").asText()).endsWith(":udp:data");
        Decoded badType = TunnelsTest.overUdp(6343, hex("00000005 00000007 00000000 00000000"));
        assertThat(badType.layer("sflow")).isNull();
    }

    @Test
    void sampleLongerThanTheDatagramIsMalformed() {
        byte[] dg = datagram(TunnelsTest.INNER);
        Decoded d = TunnelsTest.overUdp(6343, java.util.Arrays.copyOf(dg, 60));
        assertThat(d.malformed()).contains("sFlow");
        assertThat(d.layer("sflow").get("sflow_245_numsamples").asInt()).isEqualTo(1);
    }
}
