package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EthernetTest {
    private static final String DST = "00:11:22:33:44:55", SRC = "66:77:88:99:aa:bb";

    @Test
    void addressesTypeAndBothAddressesAsAnArray() {
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x88cc, new byte[10]));
        assertThat(d.layer("eth").get("eth_dst").asText()).isEqualTo(DST);
        assertThat(d.layer("eth").get("eth_src").asText()).isEqualTo(SRC);
        assertThat(d.layer("eth").get("eth_addr")).hasSize(2);
        assertThat(d.layer("eth").get("eth_addr").get(1).asText()).isEqualTo(SRC);
        assertThat(d.layer("eth").get("eth_type").asInt()).isEqualTo(0x88cc);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:data");
        assertThat(d.malformed()).isNull();
    }

    @Test
    void snaplenCutIsShortNotMalformed() {
        byte[] f = ethernet(DST, SRC, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 0, 0, SYN, 100, new byte[0], new byte[0])));
        Decoded d = Decoded.of(Decoded.ETHERNET, f, 20, f.length);
        assertThat(d.layer("_ws").get("_ws_short").asBoolean()).isTrue();
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("ip")).isNotNull();
    }

    /** A damaged record claiming fewer bytes on the wire than it holds: Wireshark's frame expert, first. */
    @Test
    void capturedLengthOverTheFrameLengthIsReported() {
        byte[] f = ethernet(DST, SRC, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 0, 0, SYN, 100, new byte[0], new byte[0])));
        Decoded d = Decoded.of(Decoded.ETHERNET, f, f.length, f.length - 2);
        assertThat(d.expert()).isEqualTo("Frame length is less than captured length");
        assertThat(d.layer("tcp")).isNotNull();
        // An error of Wireshark's malformed group: _ws.malformed, without an exception's item.
        assertThat(d.malformed()).isEqualTo("Frame length is less than captured length");
        assertThat(d.doc().get("_ws").get("_ws_expert_message").toString()).doesNotContain("Malformed Packet");
    }

    @Test
    void frameShorterThanItsHeaderIsMalformed() {
        Decoded d = Decoded.of(Decoded.ETHERNET, hex("001122334455"));
        assertThat(d.malformed()).contains("Ethernet header");
        assertThat(d.layer("_ws").get("_ws_malformed").asBoolean()).isTrue();
        assertThat(d.expert()).isEqualTo("Malformed Packet (Exception occurred)"); // Wireshark's expert on its exception
        assertThat(d.layer("frame").get("frame_len").asInt()).isEqualTo(6);
    }

    @Test
    void ieee8023LengthFieldIsNotAnEthertype() {
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 46, new byte[46]));
        assertThat(d.layer("eth").get("eth_len").asInt()).isEqualTo(46);
        assertThat(d.layer("eth").get("eth_type")).isNull();
    }

    /** Cisco ISL: Wireshark shows the switched frame's Ethernet header (eth:eth), the ISL header under isl.*. */
    @Test
    void islFrameCarriesTheSwitchedEthernetFrame() {
        byte[] inner = ethernet("01000ccccccc", "001906eab885", 37, new byte[37]);
        byte[] isl = concat(hex("01000c000000 001906eab885 004c aaaa03 00000c 0003 00000000"), inner, hex("f7a7fe42"));
        Decoded d = Decoded.of(Decoded.ETHERNET, isl);
        assertThat(d.layer("frame").get("frame_protocols").asText()).startsWith("eth:eth:llc");
        var eth = d.layer("eth");
        assertThat(eth.isArray()).isTrue();
        assertThat(eth.get(0).get("eth_dst")).isNull();
        assertThat(eth.get(1).get("eth_dst").asText()).isEqualTo("01:00:0c:cc:cc:cc");
        assertThat(eth.get(1).get("eth_len").asInt()).isEqualTo(37);
    }

    /** A UDP datagram to 10.0.0.2 in a frame of 42 bytes, then {@code trailer}; the IP TTL is {@code ttl}. */
    private static Decoded padded(String trailer, int ttl) {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[0]));
        ip[8] = (byte) ttl;
        return Decoded.of(Decoded.ETHERNET, concat(ethernet(DST, SRC, 0x0800, ip), hex(trailer)));
    }

    @Test
    void paddingThatIsNotZerosBeforeAnUndecodedTrailerIsNotedAsInWireshark() {
        String bad = Ethernet.PADDING_BAD;
        assertThat(padded("01" + "00".repeat(17), 64).expert()).isEqualTo(bad); // 60 bytes, no FCS
        assertThat(padded("00".repeat(18), 64).expert()).isNull(); // padding of zeros
        assertThat(padded("00".repeat(18) + "deadbeef", 64).expert()).isNull(); // zeros, then the FCS
        assertThat(padded("00".repeat(17) + "01" + "deadbeef", 64).expert()).isEqualTo(bad);
        assertThat(padded("01" + "00".repeat(16), 64).expert()).isNull(); // 59 bytes: too short to be padded
        // The Ethernet layer's note comes before the IP header's.
        assertThat(padded("01" + "00".repeat(17), 1).doc().get("_ws").get("_ws_expert_message").toString())
                .isEqualTo("[\"" + bad + "\",\"\\\"Time To Live\\\" only 1\"]");
    }

    /**
     * A trailer cut by the snapshot length: Wireshark checks the padding byte by byte, so zeros up to the captured end
     * make it read past them ("Ethertype truncated": _ws.short) with nothing said; a non-zero byte it sees first makes
     * no padding, an undecoded trailer with its note, then the FCS it assumes is past the captured bytes (short).
     * None of it captured: no trailer, nothing said.
     */
    @Test
    void aTrailerCutByTheSnapshotLengthIsShort() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[11])); // 39 bytes
        byte[] f = concat(ethernet(DST, SRC, 0x0800, ip), new byte[47]); // 100 bytes on the wire, padding 7 of them
        Decoded cut = Decoded.of(Decoded.ETHERNET, java.util.Arrays.copyOf(f, 54), 54, 100); // 1 trailer byte captured
        assertThat(cut.expert()).isNull();
        assertThat(cut.doc().get("_ws").get("_ws_short").asBoolean()).isTrue();
        byte[] notZero = java.util.Arrays.copyOf(f, 54);
        notZero[53] = (byte) 0xff;
        Decoded seen = Decoded.of(Decoded.ETHERNET, notZero, 54, 100);
        assertThat(seen.expert()).isEqualTo(Ethernet.PADDING_BAD);
        assertThat(seen.doc().get("_ws").get("_ws_short").asBoolean()).isTrue();
        // The padding all captured (zeros), the FCS Wireshark assumes at the trailer's end not: short, nothing said.
        Decoded fcs = Decoded.of(Decoded.ETHERNET, java.util.Arrays.copyOf(f, 70), 70, 100);
        assertThat(fcs.expert()).isNull();
        assertThat(fcs.doc().get("_ws").get("_ws_short").asBoolean()).isTrue();
        Decoded none = Decoded.of(Decoded.ETHERNET, java.util.Arrays.copyOf(f, 53), 53, 100);
        assertThat(none.expert()).isNull();
        assertThat(none.doc().path("_ws").path("_ws_short").isMissingNode()).isTrue();
    }

    @Test
    void aTrailerAfterAPayloadThatReachesSixtyBytesIsNotPadding() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[20]));
        assertThat(Decoded.of(Decoded.ETHERNET, concat(ethernet(DST, SRC, 0x0800, ip), hex("0102030405"))).expert()).isNull();
    }

    /** An 802.3 frame's length says where its payload ends: Wireshark checks the padding after it too. */
    @Test
    void paddingAfterAn8023PayloadIsChecked() {
        byte[] llc = concat(hex("424203"), new byte[35]); // 38 bytes of LLC and STP, then 8 bytes of padding
        assertThat(Decoded.of(Decoded.ETHERNET, concat(ethernet(DST, SRC, llc.length, llc), hex("a5".repeat(8)))).expert())
                .isEqualTo(Ethernet.PADDING_BAD);
        assertThat(Decoded.of(Decoded.ETHERNET, concat(ethernet(DST, SRC, llc.length, llc), new byte[8])).expert()).isNull();
    }

    @Test
    void an8023LengthPastTheFrameIsNotedAsInWireshark() {
        byte[] llc = concat(hex("424203"), new byte[43]);
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 100, llc));
        assertThat(d.expert()).isEqualTo("Length field value goes past the end of the payload");
        assertThat(d.layer("eth").get("eth_len").asInt()).isEqualTo(100);
    }

    @Test
    void paddingAfterAVlanTagIsCheckedWithoutAnFcs() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[0]));
        byte[] f = concat(ethernet(DST, SRC, 0x8100, vlanTag(0, 5, 0x0800, ip)), hex("00".repeat(13) + "01" + "deadbeef"));
        assertThat(Decoded.of(Decoded.ETHERNET, f).expert()).isEqualTo(Ethernet.PADDING_BAD);
    }

    @Test
    void aGroupSourceAddressOfAnEthernetIIFrameIsNotedAsInWireshark() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[20]));
        assertThat(Decoded.of(Decoded.ETHERNET, ethernet(DST, "01:00:5e:00:00:01", 0x0800, ip)).expert())
                .isEqualTo("Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)");
        assertThat(Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x0800, ip)).expert()).isNull();
        byte[] llc = concat(hex("424203"), new byte[40]);
        assertThat(Decoded.of(Decoded.ETHERNET, ethernet(DST, "01:00:5e:00:00:01", llc.length, llc)).expert()).isNull(); // 802.3
    }
}
