package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Linux cooked (SLL, SLL2), raw IP, BSD loopback, MPLS, GRE, ARP, ICMP: the smaller decoders. */
class LinkLayersTest {
    private static final byte[] IP = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[1]));

    @Test
    void linuxCookedV1() {
        byte[] f = concat(hex("0000 0001 0006 020000000001 0000 0800"), IP);
        Decoded d = Decoded.of(113, f);
        assertThat(d.layer("sll").get("sll_src_eth").asText()).isEqualTo("02:00:00:00:00:01");
        assertThat(d.layer("sll").get("sll_etype").asInt()).isEqualTo(0x0800);
        assertThat(d.layer("udp").get("udp_dstport").asInt()).isEqualTo(2000);
    }

    /**
     * Over a GRE tunnel device (ARPHRD_IPGRE, 778) Wireshark takes the protocol as a GRE protocol type and
     * dissects it from GRE's table: no "ethertype" step in frame.protocols.
     */
    @Test
    void linuxCookedOverAGreDeviceHasNoEthertypeStep() {
        byte[] f = concat(hex("0000 030a 0000 0000000000000000 86dd"), ipv6("fe80::1", "ff02::1:6", 17, udp(6696, 6696, new byte[4])));
        Decoded d = Decoded.of(113, f);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("sll:ipv6:udp:data");
        assertThat(d.layer("udp").get("udp_dstport").asInt()).isEqualTo(6696);
        assertThat(d.layer("sll").has("sll_etype")).isFalse(); // Wireshark's sll.gretype, not an ethertype
    }

    /** An address length past the header's 8 address bytes: Wireshark shows those 8 as the source. */
    @Test
    void linuxCookedShowsAtMostEightAddressBytes() {
        byte[] f = concat(hex("3030 3030 3030 3030303030303030 0800"), IP);
        Decoded d = Decoded.of(113, f);
        assertThat(d.layer("sll").get("sll_src_other").asText()).isEqualTo("30:30:30:30:30:30:30:30");
        assertThat(d.layer("sll").get("sll_halen").asInt()).isEqualTo(12336);
    }

    @Test
    void linuxCookedV2() {
        byte[] f = concat(hex("86dd 0000 00000003 0001 04 06 020000000002 0000"),
                ipv6("::1", "::2", 17, udp(1, 2, new byte[0])));
        Decoded d = Decoded.of(276, f);
        assertThat(d.layer("sll").get("sll_ifindex").asInt()).isEqualTo(3);
        assertThat(d.layer("sll").get("sll_pkttype").asInt()).isEqualTo(4);
        assertThat(d.layer("ipv6").get("ipv6_dst").asText()).isEqualTo("::2");
    }

    @Test
    void rawIpByVersionNibble() {
        assertThat(Decoded.of(101, IP).layer("ip").get("ip_src").asText()).isEqualTo("10.0.0.1");
        assertThat(Decoded.of(12, ipv6("::1", "::2", 59, new byte[0])).layer("ipv6")).isNotNull();
        // Two bytes on the wire: Wireshark reads 8 of any raw frame (RawIpTest), so this one is malformed.
        assertThat(Decoded.of(101, hex("5000")).malformed()).contains("needs 8 bytes");
    }

    @Test
    void bsdLoopbackInEitherByteOrder() {
        assertThat(Decoded.of(0, concat(hex("02000000"), IP)).layer("null").get("null_family").asInt()).isEqualTo(2);
        assertThat(Decoded.of(0, concat(hex("00000002"), IP)).layer("ip")).isNotNull();
        assertThat(Decoded.of(0, concat(hex("1e000000"), ipv6("::1", "::2", 59, new byte[0]))).layer("ipv6")).isNotNull();
        assertThat(Decoded.of(108, concat(hex("00000002"), IP)).layer("ip")).isNotNull();
    }

    @Test
    void mplsLabelStackThenIp() {
        byte[] f = ethernet("001122334455", "66778899aabb", 0x8847, concat(hex("00064040 000c8140"), IP));
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.layer("mpls").get("mpls_label").toString()).isEqualTo("[100,200]");
        assertThat(d.layer("mpls").get("mpls_bottom").toString()).isEqualTo("[0,1]");
        assertThat(d.layer("ip")).isNotNull();
    }

    /** MPLS in UDP (RFC 7510): Wireshark's MPLS dissector has UDP port 6635. */
    @Test
    void mplsOverUdpPort6635() {
        byte[] mplsInUdp = udp(58699, 6635, concat(hex("000c8140"), ipv4("10.1.0.1", "10.1.0.2", 1, hex("0800 f7fe 0001 0000"))));
        Decoded d = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 17, mplsInUdp));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ip:udp:mpls:ip:icmp");
        assertThat(d.layer("mpls").get("mpls_label").asInt()).isEqualTo(200);
    }

    @Test
    void greCarriesIpAndTheInnerIpIsASecondIpObject() {
        byte[] gre = concat(hex("2000 0800 0000002a"), IP);
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ipv4("192.0.2.1", "192.0.2.2", 47, gre));
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.layer("gre").get("gre_key").asInt()).isEqualTo(42);
        assertThat(d.layer("ip").isArray()).isTrue();
        assertThat(d.layer("ip").get(0).get("ip_src").asText()).isEqualTo("192.0.2.1");
        assertThat(d.layer("ip").get(1).get("ip_src").asText()).isEqualTo("10.0.0.1");
    }

    /**
     * RFC 1701's routing bit brings the checksum and offset word and a list of source route entries, ended by one of
     * family 0 and length 0; Wireshark skips them before the payload.
     */
    @Test
    void greSourceRoutesAreSkippedBeforeThePayload() {
        byte[] gre = concat(hex("4000 0800 00000000 0800 00 04 0a000001 0000 00 00"), IP);
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800, ipv4("192.0.2.1", "192.0.2.2", 47, gre)));
        assertThat(d.layer("ip").get(1).get("ip_src").asText()).isEqualTo("10.0.0.1");
        assertThat(d.layer("gre").get("gre_checksum").asInt()).isZero();
        assertThat(d.malformed()).isNull();
    }

    /** A source route entry longer than the bytes captured cuts GRE short: Wireshark's "GRE truncated", no data. */
    @Test
    void greSourceRoutePastTheCaptureIsShort() {
        byte[] gre = concat(hex("c000 3030 3030 3030 3030 30 30"), new byte[60]);
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ipv4("192.0.2.1", "192.0.2.2", 47, gre));
        Decoded d = Decoded.of(Decoded.ETHERNET, f, 14 + 20 + 12 + 10, f.length);
        assertThat(d.layer("_ws").get("_ws_short").asBoolean()).isTrue();
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:gre");
        assertThat(d.malformed()).isNull();
    }

    /** Wireshark reads the first nibble after the bottom label whatever comes: a frame cut there is short. */
    @Test
    void mplsCutAfterTheBottomLabelIsShort() {
        byte[] f = ethernet("001122334455", "66778899aabb", 0x8848, concat(hex("00064040 000c8140"), IP));
        Decoded d = Decoded.of(Decoded.ETHERNET, f, 14 + 8, f.length);
        assertThat(d.layer("mpls").get("mpls_label").toString()).isEqualTo("[100,200]");
        assertThat(d.layer("_ws").get("_ws_short").asBoolean()).isTrue();
        assertThat(d.malformed()).isNull();
    }

    @Test
    void radiotapThen80211DataThenLlcSnapThenIpWithoutTheFcs() {
        byte[] radiotap = hex("00 00 0c00 02000000 10 00 0000"); // flags present: FCS at end
        byte[] wlan = hex("0801 0000 020000000001 020000000002 020000000003 0000");
        byte[] llc = hex("aaaa03 000000 0800");
        byte[] f = concat(radiotap, wlan, llc, IP, hex("deadbeef"));
        Decoded d = Decoded.of(127, f);
        assertThat(d.layer("radiotap").get("radiotap_flags").asInt()).isEqualTo(0x10);
        assertThat(d.layer("wlan").get("wlan_ta").asText()).isEqualTo("02:00:00:00:00:02");
        assertThat(d.layer("llc").get("llc_type").asInt()).isEqualTo(0x0800);
        assertThat(d.layer("udp").get("udp_length").asInt()).isEqualTo(9);
        assertThat(d.malformed()).isNull();
        assertThat(d.expert()).isNull();
    }

    @Test
    void an80211FrameWithTheRetryFlagGetsWiresharksRetransmissionNote() {
        byte[] radiotap = hex("00 00 0c00 02000000 00 00 0000");
        byte[] wlan = hex("8809 0000 020000000001 020000000002 020000000003 0000 0000"); // QoS data, retry flag
        Decoded d = Decoded.of(127, concat(radiotap, wlan, hex("aaaa03 000000 0800"), IP));
        assertThat(d.layer("wlan").get("wlan_flags").asInt()).isEqualTo(0x09);
        assertThat(d.expert()).isEqualTo("Retransmission (retry)");
    }

    @Test
    void pppoeSessionCarriesPppThenIp() {
        byte[] pppoe = concat(hex("11 00 1234"), u16(2 + IP.length), hex("0021"), IP);
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x8864, pppoe));
        assertThat(d.layer("pppoes").get("pppoe_session_id").asInt()).isEqualTo(0x1234);
        assertThat(d.layer("ppp").get("ppp_protocol").asInt()).isEqualTo(0x21);
        assertThat(d.layer("ip").get("ip_dst").asText()).isEqualTo("10.0.0.2");
    }

    @Test
    void nflogPayloadAttributeHoldsTheIpPacket() {
        byte[] prefix = hex("0900 0a00 4142430000 000000"); // length 9, type 10 (prefix "ABC"), padded to 12
        byte[] payload = concat(new byte[] {(byte) (4 + IP.length), 0, 9, 0}, IP);
        Decoded d = Decoded.of(239, concat(hex("02 00 0001"), prefix, payload));
        assertThat(d.layer("nflog").get("nflog_prefix").asText()).isEqualTo("ABC");
        assertThat(d.layer("udp").get("udp_srcport").asInt()).isEqualTo(1000);
    }

    @Test
    void arpRequest() {
        byte[] arp = hex("0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002");
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("ffffffffffff", "020000000001", 0x0806, arp));
        var a = d.layer("arp");
        assertThat(a.get("arp_opcode").asInt()).isEqualTo(1);
        assertThat(a.get("arp_src_hw_mac").asText()).isEqualTo("02:00:00:00:00:01");
        assertThat(a.get("arp_src_proto_ipv4").asText()).isEqualTo("10.0.0.1");
        assertThat(a.get("arp_dst_proto_ipv4").asText()).isEqualTo("10.0.0.2");
    }

    @Test
    void arpWithOtherAddressSizesUsesTheGenericNames() {
        byte[] arp = hex("0001 0800 06 06 0001 020000000001 c0a801680000 000000000000 c0a801690000");
        var a = Decoded.of(Decoded.ETHERNET, ethernet("ffffffffffff", "020000000001", 0x0806, arp)).layer("arp");
        assertThat(a.get("arp_src_proto_ipv4")).isNull();
        assertThat(a.get("arp_src_proto").asText()).isEqualTo("c0:a8:01:68:00:00");
    }

    @Test
    void icmpEchoAndIcmpv6Echo() {
        Decoded v4 = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 1, hex("0800 0000 1234 0007 61626364")));
        assertThat(v4.layer("icmp").get("icmp_type").asInt()).isEqualTo(8);
        assertThat(v4.layer("icmp").get("icmp_ident").asInt()).isEqualTo(0x1234);
        assertThat(v4.layer("icmp").get("icmp_seq").asInt()).isEqualTo(7);
        Decoded v6 = Decoded.of(101, ipv6("::1", "::2", 58, hex("8100 0000 0001 0002")));
        assertThat(v6.layer("icmpv6").get("icmpv6_type").asInt()).isEqualTo(129);
        assertThat(v6.layer("icmpv6").get("icmpv6_echo_sequence_number").asInt()).isEqualTo(2);
    }

    /** A UDP header cut by the snapshot length after its ports: Wireshark shows them, then "UDP truncated". */
    @Test
    void udpHeaderCutAfterThePortsShowsThem() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[8]));
        Decoded d = Decoded.of(101, ip, 24, ip.length);
        assertThat(d.layer("udp").get("udp_srcport").asInt()).isEqualTo(1000);
        assertThat(d.layer("udp").get("udp_dstport").asInt()).isEqualTo(2000);
        assertThat(d.layer("udp").get("udp_length")).isNull();
        assertThat(d.packet().isTruncated()).isTrue();
    }

    /** Wireshark flags a UDP length past the IP payload and goes on: the payload there is, is decoded. */
    @Test
    void udpLengthBeyondTheIpPayloadIsMalformedAndGoesOn() {
        byte[] u = udp(1, 2, new byte[4]);
        u[5] = 50;
        Decoded d = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 17, u));
        assertThat(d.malformed()).isEqualTo("Bad length value 50 > IP payload length");
        assertThat(d.doc().get("_ws").get("_ws_malformed").asBoolean()).isTrue();
        assertThat(d.expert()).isEqualTo("Bad length value 50 > IP payload length");
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ip:udp:data");
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(4);
    }

    /**
     * A first fragment (more fragments, offset 0) not all captured is not reassembled: Wireshark decodes its
     * payload as far as it goes, and UDP, told it is a fragment, does not check its length.
     */
    @Test
    void firstFragmentCutShortIsDecodedAsFarAsItGoes() {
        byte[] u = udp(1000, 2000, new byte[40]);
        u[4] = 0x10; // UDP length 4096: the whole datagram's
        u[5] = 0;
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 0x2000, new byte[0], u);
        Decoded d = Decoded.of(101, ip, 36, ip.length);
        assertThat(d.layer("udp").get("udp_length").asInt()).isEqualTo(4096);
        assertThat(d.expert()).isNull();
        assertThat(d.malformed()).isNull();
        Decoded later = Decoded.of(101, ipv4("10.0.0.1", "10.0.0.2", 17, 0x2010, new byte[0], u), 36, ip.length);
        assertThat(later.layer("udp")).isNull();
        // A total length past the frame: not all there either, though every byte the frame has was captured.
        byte[] past = ipv4("10.0.0.1", "10.0.0.2", 17, 0x2000, new byte[0], u);
        past[3] = (byte) 200;
        Decoded d2 = Decoded.of(101, past);
        assertThat(d2.layer("udp").get("udp_length").asInt()).isEqualTo(4096);
        assertThat(d2.expert()).isEqualTo("IPv4 total length exceeds packet length (68 bytes)");
    }

    @Test
    void unknownLinkTypeKeepsTheFrameFields() {
        Decoded d = Decoded.of(147, new byte[12]);
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("_ws").get("_ws_unsupported").asText()).contains("link type 147");
        assertThat(d.layer("frame").get("frame_len").asInt()).isEqualTo(12);
    }
}
