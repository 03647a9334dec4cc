package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.sharkfin.normalize.DocumentWriter;
import dev.sharkfin.normalize.JsonOut;

/** The frame, link and network header fields as Wireshark shows them (issue 9's list of defects). */
class HeadersTest {
    private static final String DST = "01:11:22:33:44:55", SRC = "06:77:88:99:aa:bb";
    private static final byte[] UDP_IP = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[3]));

    private static String protocols(Decoded d) {
        return d.layer("frame").get("frame_protocols").asText();
    }

    @Test
    void frameProtocolsListWiresharksEthertypeStepAndData() {
        assertThat(protocols(Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x0800, UDP_IP)))).isEqualTo("eth:ethertype:ip:udp:data");
        assertThat(protocols(Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x8100, vlanTag(0, 5, 0x0800, UDP_IP)))))
                .isEqualTo("eth:ethertype:vlan:ethertype:ip:udp:data");
        assertThat(protocols(Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x88cc, new byte[10])))).isEqualTo("eth:ethertype:data");
        assertThat(protocols(Decoded.of(101, UDP_IP))).isEqualTo("raw:ip:udp:data");
        assertThat(protocols(Decoded.of(228, UDP_IP))).isEqualTo("ip:udp:data");
        assertThat(protocols(Decoded.of(0, concat(hex("02000000"), UDP_IP)))).isEqualTo("null:ip:udp:data");
        // No object for the ethertype step: it is a name in the list only.
        assertThat(Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x0800, UDP_IP)).doc().has("ethertype")).isFalse();
    }

    @Test
    void udpWithoutPayloadHasNoDataAndAPayloadNoneOfWhichWasCapturedIsShort() {
        byte[] empty = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[0]));
        assertThat(protocols(Decoded.of(101, empty))).isEqualTo("raw:ip:udp");
        byte[] f = ethernet(DST, SRC, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 53, new byte[40])));
        Decoded cut = Decoded.of(Decoded.ETHERNET, f, 42, f.length);
        assertThat(cut.layer("_ws").get("_ws_short").asBoolean()).isTrue();
        assertThat(cut.layer("data")).isNull();
    }

    @Test
    void dataLenIsTheCapturedPayload() {
        byte[] f = ethernet(DST, SRC, 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[100])));
        assertThat(Decoded.of(Decoded.ETHERNET, f, 60, f.length).layer("data").get("data_len").asInt()).isEqualTo(18);
    }

    /** Wireshark verifies ICMP's checksum and, when it is bad, says what it should be (in_cksum_shouldbe). */
    @Test
    void icmpBadChecksumSaysWhatItShouldBe() {
        // Echo request, id 1, seq 1: the sum of its other words is 0x0802, so its checksum is 0xf7fd.
        Decoded bad = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, hex("0800 1234 0001 0001")));
        assertThat(bad.layer("icmp").get("icmp_checksum_status").asInt()).isEqualTo(0);
        assertThat(bad.expert()).isEqualTo("Bad checksum [should be 0xf7fd]");
        Decoded good = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, hex("0800 f7fd 0001 0001")));
        assertThat(good.layer("icmp").get("icmp_checksum_status").asInt()).isEqualTo(1);
        assertThat(good.expert()).isNull();
    }

    @Test
    void icmpEchoPayloadIsDataAfterPingsTimestamp() {
        // Decoded's frame time is 1_700_000_000.123456789: a timestamp 2 s earlier, big-endian, as ping writes it.
        byte[] echo = concat(hex("0800 0000 1234 0001"), hex("6553f0fe 00000001"), new byte[20]);
        Decoded d = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, echo));
        assertThat(d.layer("icmp").get("icmp_data_time").asText()).isEqualTo("2023-11-14T22:13:18.000001000Z");
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(20);
        assertThat(protocols(d)).isEqualTo("raw:ip:icmp:data");
        // Not a timestamp: the whole payload is data.
        Decoded other = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, concat(hex("0800 0000 1234 0001"), new byte[28])));
        assertThat(other.layer("icmp").get("icmp_data_time")).isNull();
        assertThat(other.layer("data").get("data_len").asInt()).isEqualTo(28);
    }

    /**
     * Wireshark takes a timestamp within a day of the frame's time on either side (the sender's clock may be
     * ahead): here 36 s after it, little-endian, microseconds 0.
     */
    @Test
    void icmpEchoTimestampMayFollowTheFramesTime() {
        byte[] echo = concat(hex("0800 0000 1234 0001"), hex("24f15365 00000000"), new byte[8]); // 1_700_000_036 LE
        Decoded d = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, echo));
        assertThat(d.layer("icmp").get("icmp_data_time").asText()).isEqualTo("2023-11-14T22:13:56.000000000Z");
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(8);
    }

    @Test
    void checksumStatuses() {
        byte[] echo = hex("0800 f7fe 0000 0001");          // a correct ICMP checksum
        Decoded d = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, echo));
        assertThat(d.layer("icmp").get("icmp_checksum_status").asInt()).isEqualTo(1);
        assertThat(d.layer("ip").get("ip_checksum_status").asInt()).isEqualTo(2);
        Decoded bad = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, hex("0800 1234 0000 0001")));
        assertThat(bad.layer("icmp").get("icmp_checksum_status").asInt()).isZero();
        // UDP: unverified, or not present when zero.
        assertThat(Decoded.of(101, UDP_IP).layer("udp").get("udp_checksum_status").asInt()).isEqualTo(3);
    }

    @Test
    void icmpv6ChecksumWithThePseudoHeader() {
        // Echo request ::1 -> ::1, id 0, seq 0, no data: checksum 0x7fbb over the pseudo-header and message.
        Decoded d = Decoded.of(101, ipv6("::1", "::1", 58, hex("8000 7fbb 0000 0000")));
        assertThat(d.layer("icmpv6").get("icmpv6_checksum_status").asInt()).isEqualTo(1);
    }

    @Test
    void ethernetAddressDetails() {
        var eth = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x0800, UDP_IP)).layer("eth");
        assertThat(eth.get("eth_dst_oui").asInt()).isEqualTo(0x011122);
        assertThat(eth.get("eth_dst_ig").asBoolean()).isTrue();
        assertThat(eth.get("eth_dst_lg").asBoolean()).isFalse();
        assertThat(eth.get("eth_src_lg").asBoolean()).isTrue();
        assertThat(eth.get("eth_src_ig").asBoolean()).isFalse();
        assertThat(eth.get("eth_addr_oui")).hasSize(2);
        assertThat(eth.get("eth_ig").get(0).asBoolean()).isTrue();
        assertThat(eth.get("eth_lg").get(1).asBoolean()).isTrue();
    }

    @Test
    void ieee8023LengthThenLlcAndSnap() {
        byte[] stp = concat(hex("42 42 03"), new byte[35]);
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, stp.length, stp));
        assertThat(d.layer("llc").get("llc_dsap").asInt()).isEqualTo(0x42);
        assertThat(protocols(d)).isEqualTo("eth:llc:data");
        byte[] snap = concat(hex("aa aa 03 000000 0800"), UDP_IP);
        Decoded ip = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, snap.length, snap));
        assertThat(protocols(ip)).isEqualTo("eth:llc:ip:udp:data");
        assertThat(ip.layer("llc").get("llc_type").asInt()).isEqualTo(0x0800);
        // Cisco's organization code: its protocol id is not an ethertype.
        byte[] cdp = concat(hex("aa aa 03 00000c 2000"), new byte[20]);
        Decoded c = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x8100, vlanTag(0, 5, cdp.length, cdp)));
        assertThat(c.layer("vlan").get("vlan_len").asInt()).isEqualTo(cdp.length);
        assertThat(c.layer("vlan").get("vlan_etype")).isNull();
        assertThat(c.layer("llc").get("llc_oui").asInt()).isEqualTo(0x0c);
        assertThat(c.layer("llc").get("llc_type")).isNull();
        assertThat(protocols(c)).isEqualTo("eth:ethertype:vlan:llc:data");
    }

    @Test
    void vlanDeiIsABoolean() {
        var vlan = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x8100, hex("3005 0800"))).layer("vlan");
        assertThat(vlan.get("vlan_dei").isBoolean()).isTrue();
        assertThat(vlan.get("vlan_dei").asBoolean()).isTrue();
    }

    @Test
    void linuxCookedProtocolBelow0x0600IsLtypeAndData() {
        byte[] f = concat(hex("0000 0001 0006 020000000001 0000 0060"), new byte[20]);
        Decoded d = Decoded.of(113, f);
        assertThat(d.layer("sll").get("sll_ltype").asInt()).isEqualTo(0x60);
        assertThat(d.layer("sll").get("sll_etype")).isNull();
        assertThat(protocols(d)).isEqualTo("sll:data");
        byte[] other = concat(hex("0000 0200 0004 0a000001 0000 0000 0800"), UDP_IP);
        Decoded ip = Decoded.of(113, other);
        assertThat(ip.layer("sll").get("sll_src_other").asText().replace(":", "")).isEqualToIgnoringCase("0a000001");
        assertThat(protocols(ip)).isEqualTo("sll:ethertype:ip:udp:data");
    }

    @Test
    void nullHeaderHoldingAnEthertypeIsNullType() {
        Decoded d = Decoded.of(0, concat(hex("0f000800"), UDP_IP));
        assertThat(d.layer("null").get("null_type").asInt()).isEqualTo(0x0800);
        assertThat(d.layer("null").get("null_family")).isNull();
        assertThat(d.layer("udp")).isNotNull();
        assertThat(NullLoopback.hostOrder(0x1e)).isEqualTo(30);
        assertThat(NullLoopback.hostOrder(0x02000000L)).isEqualTo(2);
    }

    @Test
    void ipv6TrafficClassPartsAndExtensionHeadersInTheProtocols() {
        byte[] hop = concat(hex("11 00 0000 00000000"), udp(1, 2, new byte[1]));
        byte[] v6 = ipv6("::1", "::2", 0, hop);
        v6[0] = 0x6b;   // traffic class 0xb8: DSCP 46 (EF), ECN 0
        v6[1] = (byte) 0x80;
        Decoded d = Decoded.of(101, v6);
        assertThat(d.layer("ipv6").get("ipv6_tclass_dscp").asInt()).isEqualTo(46);
        assertThat(d.layer("ipv6").get("ipv6_tclass_ecn").asInt()).isZero();
        assertThat(protocols(d)).isEqualTo("raw:ipv6:ipv6.hopopts:udp:data");
    }

    @Test
    void greFlags() {
        byte[] gre = concat(hex("2000 0800 00000007"), UDP_IP);
        var g = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 47, gre)).layer("gre");
        assertThat(g.get("gre_flags_key").asBoolean()).isTrue();
        assertThat(g.get("gre_flags_checksum").asBoolean()).isFalse();
        assertThat(g.get("gre_flags_version").asInt()).isZero();
        assertThat(g.get("gre_key").asInt()).isEqualTo(7);
        // Enhanced GRE with an acknowledgement only: no PPP, nothing malformed.
        Decoded ack = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 47, hex("2081 880b 0000 0018 00000006")));
        assertThat(ack.layer("gre").get("gre_ack_number").asInt()).isEqualTo(6);
        assertThat(ack.layer("gre").get("gre_flags_ack").asBoolean()).isTrue();
        assertThat(ack.layer("ppp")).isNull();
        assertThat(ack.malformed()).isNull();
    }

    /** WCCP (0x883e) carries IPv4, after a 4-byte redirect header in version 2 (as tshark 4.0.17 decodes it). */
    @Test
    void greWccpCarriesIpv4WithOrWithoutARedirectHeader() {
        Decoded v2 = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 47, concat(hex("0000 883e 01000048"), UDP_IP)));
        assertThat(v2.layer("udp")).isNotNull();
        assertThat(protocols(v2)).contains("gre:ip:udp");
        Decoded v1 = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 47, concat(hex("0000 883e"), UDP_IP)));
        assertThat(v1.layer("udp")).isNotNull();
    }

    @Test
    void nothingInsideAnIcmpErrorsQuotedDatagramIsMalformed() {
        byte[] quoted = ipv4("10.0.0.2", "10.0.0.1", 17, hex("0035 1234 0100 0000"));   // UDP length 256 > what is quoted
        Decoded d = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, concat(hex("0303 0000 00000000"), quoted)));
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("udp")).isNotNull();
    }

    @Test
    void mldv2ReportWhoseRecordGoesPastTheMessageIsMalformed() {
        // One record claiming 3 sources with room for 2.
        byte[] mld = concat(hex("8f00 0000 0000 0001 01 00 0003"), new byte[16], new byte[32]);
        assertThat(Decoded.of(101, ipv6("fe80::1", "ff02::16", 58, mld)).malformed()).contains("MLDv2");
        byte[] ok = concat(hex("8f00 0000 0000 0001 01 00 0002"), new byte[16], new byte[32]);
        assertThat(Decoded.of(101, ipv6("fe80::1", "ff02::16", 58, ok)).malformed()).isNull();
    }

    @Test
    void encapsulationIsWiresharksNumber() {
        assertThat(Dissector.encapsulation(1)).isEqualTo(1);
        assertThat(Dissector.encapsulation(0)).isEqualTo(15);
        assertThat(Dissector.encapsulation(12)).isEqualTo(7);
        assertThat(Dissector.encapsulation(101)).isEqualTo(7);
        assertThat(Dissector.encapsulation(108)).isEqualTo(174);
        assertThat(Dissector.encapsulation(113)).isEqualTo(25);
        assertThat(Dissector.encapsulation(127)).isEqualTo(23);
        assertThat(Dissector.encapsulation(228)).isEqualTo(129);
        assertThat(Dissector.encapsulation(229)).isEqualTo(130);
        assertThat(Dissector.encapsulation(239)).isEqualTo(141);
        assertThat(Dissector.encapsulation(276)).isEqualTo(210);
        for (int linkType = 0; linkType < 300; linkType++) {
            if (Dissector.supportsLinkType(linkType) && linkType != 1) {
                assertThat(Dissector.encapsulation(linkType)).as("link type %d is mapped", linkType).isNotEqualTo(linkType);
            }
        }
        assertThat(Decoded.of(113, concat(hex("0000 0001 0006 020000000001 0000 0800"), UDP_IP)).layer("frame")
                .get("frame_encap_type").asInt()).isEqualTo(25);
    }

    @Test
    void aFrameWithoutATimestampHasNoTimeFieldsAndCountsAsZeroForTheNext() {
        Dissector dissector = new Dissector();
        Packet p = new Packet();
        byte[] f = ethernet(DST, SRC, 0x0800, UDP_IP);
        p.reset(1, 5_000_000_000L, f, f.length, f.length, 1);
        dissector.dissect(p);
        p.reset(2, 5_000_000_000L, f, f.length, f.length, 1);
        p.wireNanos = Packet.NO_TIME;
        dissector.dissect(p);
        JsonOut out = new JsonOut();
        new DocumentWriter().write(p, out);
        String doc = out.toString();
        assertThat(doc).doesNotContain("frame_time").contains("\"@timestamp\"").contains("\"frame_number\":2");
        p.reset(3, 7_000_000_000L, f, f.length, f.length, 1);
        dissector.dissect(p);
        new DocumentWriter().write(p, out);
        assertThat(out.toString()).contains("\"frame_time_delta\":7.000000000").contains("\"frame_time_relative\":2.000000000");
    }
}
