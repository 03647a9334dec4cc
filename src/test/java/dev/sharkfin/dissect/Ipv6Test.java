package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ipv6Test {
    private static byte[] eth(byte[] ip) {
        return ethernet("001122334455", "66778899aabb", 0x86dd, ip);
    }

    @Test
    void addressesAreWrittenInTheirCanonicalForm() {
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "fe80::a:0:0:1", 17, udp(5353, 5353, new byte[2]))));
        assertThat(d.layer("ipv6").get("ipv6_src").asText()).isEqualTo("2001:db8::1");
        assertThat(d.layer("ipv6").get("ipv6_dst").asText()).isEqualTo("fe80::a:0:0:1");
        assertThat(d.layer("ipv6").get("ipv6_plen").asInt()).isEqualTo(10);
        assertThat(d.layer("ipv6").get("ipv6_hlim").asInt()).isEqualTo(64);
        assertThat(d.layer("udp").get("udp_dstport").asInt()).isEqualTo(5353);
    }

    /** A header cut short (39 bytes): Wireshark shows each field that is there, up to the source address. */
    @Test
    void headerCutShortShowsTheFieldsThatAreThere() {
        byte[] ip = java.util.Arrays.copyOf(ipv6("2001:db8::1", "2001:db8::2", 17, new byte[0]), 39);
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        var v6 = d.layer("ipv6");
        assertThat(v6.get("ipv6_version").asInt()).isEqualTo(6);
        assertThat(v6.get("ipv6_nxt").asInt()).isEqualTo(17);
        assertThat(v6.get("ipv6_hlim")).isNotNull();
        assertThat(v6.get("ipv6_src").asText()).isEqualTo("2001:db8::1");
        assertThat(v6.get("ipv6_dst")).isNull();
        assertThat(d.malformed()).contains("IPv6 header");
        Decoded seven = Decoded.of(Decoded.ETHERNET, eth(java.util.Arrays.copyOf(ip, 7)));
        assertThat(seven.layer("ipv6").get("ipv6_nxt").asInt()).isEqualTo(17);
        assertThat(seven.layer("ipv6").get("ipv6_hlim")).isNull();
    }

    /** A type 0 routing header (source routing, RFC 5095): Wireshark notes it is deprecated; type 2 is not. */
    @Test
    void routingHeaderTypeZeroIsDeprecated() {
        Decoded zero = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 43, hex("3b 00 00 00 00000000"))));
        assertThat(zero.layer("ipv6").get("ipv6_routing_type").asInt()).isEqualTo(0);
        assertThat(zero.expert()).isEqualTo("Routing header type is deprecated");
        // Cut short, the header's body is not read: Wireshark stops before its note.
        Decoded cut = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 43, hex("3b 02 00 01 00000000"))));
        assertThat(cut.layer("ipv6").get("ipv6_routing_type").asInt()).isEqualTo(0);
        assertThat(cut.expert()).isNotEqualTo("Routing header type is deprecated");
        Decoded two = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 43, hex("3b 00 02 00 00000000"))));
        assertThat(two.layer("ipv6").get("ipv6_routing_type").asInt()).isEqualTo(2);
        assertThat(two.expert()).isNull();
    }

    /** IP protocol 143 is an Ethernet frame (RFC 8986's End.DX2 over a segment routing header), as Wireshark decodes it. */
    @Test
    void ethernetAsTheIpPayload() {
        byte[] inner = ethernet("020000000001", "020000000002", 0x86dd, ipv6("2001:db8::a", "2001:db8::b", 59, new byte[0]));
        byte[] srh = concat(hex("8f 02 04 00 00 00 0000"), addr("2001:db8::ff")); // next: 143, SRH, one segment
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 43, concat(srh, inner))));
        assertThat(d.layer("frame").get("frame_protocols").asText())
                .isEqualTo("eth:ethertype:ipv6:ipv6.routing:eth:ethertype:ipv6");
        assertThat(d.layer("ipv6").get(1).get("ipv6_dst").asText()).isEqualTo("2001:db8::b");
    }

    /**
     * A payload length of 0 with nothing after the header (a Teredo bubble) is right: no TSO note, which Wireshark
     * gives only when bytes follow.
     */
    @Test
    void zeroPayloadLengthWithNothingAfterIsRight() {
        Decoded bubble = Decoded.of(Decoded.ETHERNET, eth(ipv6("fe80::1", "2001::1", 59, new byte[0])));
        assertThat(bubble.expert()).isNull();
        byte[] tso = ipv6("fe80::1", "2001::1", 59, new byte[8]);
        tso[4] = tso[5] = 0; // payload length 0, 8 bytes after the header
        assertThat(Decoded.of(Decoded.ETHERNET, eth(tso)).expert()).startsWith("IPv6 payload length equals 0");
    }

    /**
     * A LINKTYPE_IPV6 frame of another IP version: Wireshark's IPv6 dissector shows the version, says "Bogus IPv6
     * version" and lists no protocol; the document has no frame.protocols rather than an empty one.
     */
    @Test
    void aBogusVersionOnARawIpv6LinkListsNoProtocol() {
        byte[] ip = ipv6("2001:db8::1", "2001:db8::2", 59, new byte[0]);
        ip[0] = 0x30;
        Decoded d = Decoded.of(229, ip);
        assertThat(d.layer("ipv6").get("ipv6_version").asInt()).isEqualTo(3);
        assertThat(d.expert()).isEqualTo("Bogus IPv6 version");
        assertThat(d.layer("frame").get("frame_protocols")).isNull();
        assertThat(d.layer("frame").get("frame_number").asInt()).isEqualTo(1);
    }

    /** RFC 9268's Minimum Path MTU option of another length than 4: Wireshark's malformed-group error, and it goes on. */
    @Test
    void pmtuOptionOfAWrongLengthIsAnError() {
        byte[] hopByHop = hex("3b 00 3002 0000 0100"); // PMTU with 2 bytes of data, PadN
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 0, hopByHop)));
        assertThat(d.expert()).isEqualTo("PMTU Option: Invalid Length (2 bytes)");
        assertThat(d.doc().get("_ws").get("_ws_malformed").asBoolean()).isTrue();
        assertThat(d.doc().get("_ws").get("_ws_expert_message").toString()).doesNotContain("Malformed Packet");
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:ipv6.hopopts");
        byte[] right = hex("3b 00 3004 00000500"); // 4 bytes of data: no note
        assertThat(Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 0, right))).expert()).isNull();
    }

    /** An option Wireshark 4.0 does not know has its data noted, an empty one too; experimental ones are not. */
    @Test
    void anOptionOfAnUnknownTypeIsNoted() {
        byte[] dstOpts = hex("3b 01 010101 00 0100 400100 00 7f00 0000"); // PadN, Pad1, PadN, 0x40, Pad1, 0x7f, Pad1 x2
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 60, dstOpts)));
        assertThat(d.doc().get("_ws").get("_ws_expert_message").toString())
                .isEqualTo("[\"Unknown Data (not interpreted)\",\"Unknown Data (not interpreted)\"]");
        assertThat(d.malformed()).isNull();
        byte[] experimental = hex("3b 00 1e02 0000 0100"); // RFC 4727's experimental type 0x1e, PadN
        assertThat(Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 60, experimental))).expert()).isNull();
    }

    /** Bytes after "no next header" (59) are Wireshark's data; none, nothing. */
    @Test
    void bytesAfterNoNextHeaderAreData() {
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("2005::1", "2008::1", 59, new byte[20])));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:data");
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(20);
        Decoded none = Decoded.of(Decoded.ETHERNET, eth(ipv6("2005::1", "2008::1", 59, new byte[0])));
        assertThat(none.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6");
    }

    /**
     * A hop-by-hop option whose length runs past the frame (PMTU, length 48, in an 8-byte header): Wireshark's item
     * for it ends the dissection there, malformed; one that runs only into the next header's bytes does not.
     */
    @Test
    void hopByHopOptionRunningPastTheFrameEndsThere() {
        byte[] hopByHop = hex("2b 00 3030 30303030"); // next: routing; PMTU option, length 48
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 0, concat(hopByHop, hex("3b00 0000 00000000")))));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:ipv6.hopopts");
        assertThat(d.malformed()).contains("IPv6 hopopts option");
        byte[] intoNext = hex("2b 00 0104 00000000"); // PadN of 4: fits
        Decoded ok = Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 0, concat(intoNext, hex("3b00 0000 00000000")))));
        assertThat(ok.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing");
    }

    @Test
    void extensionHeadersAreWalkedToTheTransport() {
        byte[] hopByHop = hex("3c 00 0104 00000000"); // next: destination options, PadN
        byte[] dstOpts = hex("06 00 0104 00000000"); // next: TCP
        byte[] tcp = tcp(443, 50000, 7, 9, ACK, 512, new byte[0], new byte[5]);
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 0, concat(hopByHop, dstOpts, tcp))));
        assertThat(d.layer("ipv6").get("ipv6_hopopts_nxt").asInt()).isEqualTo(60);
        assertThat(d.layer("ipv6").get("ipv6_dstopts_nxt").asInt()).isEqualTo(6);
        assertThat(d.layer("tcp").get("tcp_len").asInt()).isEqualTo(5);
    }

    @Test
    void fragmentsAreFlagged() {
        byte[] frag = hex("11 00 0001 0000abcd"); // next UDP, offset 0, more fragments
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("::1", "::2", 44, concat(frag, new byte[24]))));
        assertThat(d.layer("ipv6").get("ipv6_fraghdr_more").asBoolean()).isTrue();
        assertThat(d.layer("ipv6").get("ipv6_fraghdr_ident").asLong()).isEqualTo(0xabcd);
        assertThat(d.layer("udp")).isNull();
    }

    @Test
    void payloadLengthBeyondTheFrameIsMalformed() {
        byte[] ip = ipv6("::1", "::2", 59, new byte[4]);
        ip[4] = 0x10;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.expert()).contains("IPv6 payload length exceeds");
        assertThat(d.malformed()).isNull();
    }

    /** A TSO frame's IPv6 payload length of 0 without a Jumbo Payload option: an empty payload, the TCP header cut. */
    @Test
    void payloadLengthZeroWithoutJumboOptionLeavesNothingForTheNextHeader() {
        byte[] ip = ipv6("::1", "::2", 6, tcp(443, 50000, 7, 9, ACK, 512, new byte[0], new byte[100]));
        ip[4] = 0;
        ip[5] = 0;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        // Wireshark takes the length as 0: the TCP header's bytes from byte 54 on are padding before a trailer.
        assertThat(d.doc().get("_ws").get("_ws_expert_message")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactly(Ethernet.PADDING_BAD,
                        "IPv6 payload length equals 0 (maybe because of \"TCP segmentation offload\" (TSO))",
                        Dissector.MALFORMED_EXPERT);
        assertThat(d.malformed()).contains("TCP");
        assertThat(d.layer("tcp").get("tcp_srcport")).isNull();
    }

    @Test
    void payloadLengthZeroWithHopByHopButNoJumboOptionIsMalformedThere() {
        byte[] hopByHop = hex("11 00 0104 00000000"); // next: UDP, PadN only
        byte[] ip = ipv6("::1", "::2", 0, concat(hopByHop, udp(1, 2, new byte[4])));
        ip[4] = 0;
        ip[5] = 0;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.doc().get("_ws").get("_ws_expert_message")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactly(Ethernet.PADDING_BAD,
                        "IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing",
                        Dissector.MALFORMED_EXPERT); // as tshark 4.0 on these bytes
        assertThat(d.malformed()).contains("hopopts");
        assertThat(d.layer("udp")).isNull();
    }

    /** RFC 2675: the Jumbo Payload option's length stands, and a UDP length of 0 over IPv6 is the jumbogram's. */
    @Test
    void jumbogramTakesTheJumboPayloadLengthAndUdpLengthZero() {
        byte[] udp = udp(4000, 5000, new byte[12]);
        udp[4] = 0;
        udp[5] = 0;
        byte[] hopByHop = hex("11 00 c204 00000000");
        java.nio.ByteBuffer.wrap(hopByHop).putInt(4, hopByHop.length + udp.length);
        byte[] ip = ipv6("::1", "::2", 0, concat(hopByHop, udp, new byte[6])); // 6 bytes of trailer past the jumbo length
        ip[4] = 0;
        ip[5] = 0;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("udp").get("udp_length").asInt()).isZero();
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(12);
    }

    /** A TSO frame's UDP length of 0 over IPv4 is bogus to Wireshark: it stops there, nothing of VXLAN decoded. */
    @Test
    void udpLengthZeroOverIpv4StopsThere() {
        byte[] udp = udp(40000, 4789, hex("0800000000123400 000000000000"));
        udp[4] = 0;
        udp[5] = 0;
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp)));
        assertThat(d.malformed()).isEqualTo("Bad length value 0 < 8");
        assertThat(d.expert()).isEqualTo("Bad length value 0 < 8");
        // Wireshark's malformed group, not an exception: no "Malformed Packet (Exception occurred)" after it.
        assertThat(d.doc().get("_ws").get("_ws_expert_message").toString()).doesNotContain("Malformed Packet");
        assertThat(d.layer("udp").get("udp_checksum")).as("Wireshark stops before the checksum").isNull();
        assertThat(d.layer("vxlan")).isNull();
    }

    /** A routing header cut by the snapshot length: Wireshark shows its first fields, then "truncated". */
    @Test
    void routingHeaderCutShortShowsTheFieldsThatAreThere() {
        byte[] ip = ipv6("::1", "::2", 43, hex("30 30 00 30 30"));
        ip[4] = 0x30; // payload length 12336, far more than captured
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip), 14 + 45, 14 + 40 + 12336);
        assertThat(d.layer("ipv6").get("ipv6_routing_nxt").asInt()).isEqualTo(48);
        assertThat(d.layer("ipv6").get("ipv6_routing_type").asInt()).isZero();
        assertThat(d.layer("ipv6").get("ipv6_routing_segleft").asInt()).isEqualTo(48);
        assertThat(d.packet().isTruncated()).isTrue();
    }

    /** A packet of fewer than 40 bytes: Wireshark's malformed-group error first, then its exception where the bytes end. */
    @Test
    void headerShorterThan40BytesInThePacketIsAnError() {
        byte[] ip = java.util.Arrays.copyOf(ipv6("2001:db8::1", "2001:db8::2", 17, new byte[0]), 39);
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        var experts = d.doc().path("_ws").path("_ws_expert_message");
        assertThat(experts.get(0).asText()).isEqualTo("IPv6 header must be exactly 40 bytes");
        assertThat(experts.get(1).asText()).isEqualTo("Malformed Packet (Exception occurred)");
        // Cut by the snapshot length only: short, no error.
        byte[] whole = eth(ipv6("2001:db8::1", "2001:db8::2", 17, new byte[64]));
        Decoded cut = Decoded.of(Decoded.ETHERNET, whole, 14 + 39, whole.length);
        assertThat(cut.expert()).isNull();
        assertThat(cut.packet().isTruncated()).isTrue();
    }

    /**
     * A type 0 routing header with segments left: ICMPv6's checksum is computed with its last address as the
     * destination, as Wireshark does (the packet's final destination).
     */
    @Test
    void routingHeaderTypeZeroGivesTheChecksumItsFinalDestination() {
        // Echo request 2001:db8::1 -> 2001:db8::3 (final), via 2001:db8::2; checksum 0x7d7d for the final destination.
        byte[] echo = hex("8000 0000 0000 0000");
        long sum = 0x8000 + 0x2001 + 0x0db8 + 1 + 0x2001 + 0x0db8 + 3 + 8 + 58;
        int checksum = (int) ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        echo[2] = (byte) (checksum >>> 8);
        echo[3] = (byte) checksum;
        byte[] rh0 = concat(hex("3a 02 00 01 00000000"), addr("2001:db8::3"));
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 43, concat(rh0, echo))));
        assertThat(d.layer("icmpv6").get("icmpv6_checksum_status").asInt()).isEqualTo(1);
        // No segment left: the destination is the header's.
        byte[] done = concat(hex("3a 02 00 00 00000000"), addr("2001:db8::3"));
        Decoded arrived = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 43, concat(done, echo))));
        assertThat(arrived.layer("icmpv6").get("icmpv6_checksum_status").asInt()).isZero();
    }

    /**
     * A CALIPSO option (RFC 5570) shorter than its 8 fixed bytes is Wireshark's error; it reads the compartment
     * bitmap its length byte announces wherever the option ends: past the packet, its exception ends the dissection.
     */
    @Test
    void calipsoOptionIsReadAsWiresharkReadsIt() {
        // Hop-by-hop (next: UDP, 8 bytes): CALIPSO of length 4 announcing a 240 * 4-byte bitmap, then the DOI...
        byte[] hop = hex("11 00 07 04 00000001 f1 3c");
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 0, concat(hop, udp(1, 2, new byte[4])))));
        var experts = d.doc().path("_ws").path("_ws_expert_message");
        assertThat(experts.get(0).asText()).isEqualTo("CALIPSO: Invalid Length (4 bytes)");
        assertThat(experts.get(1).asText()).isEqualTo("Malformed Packet (Exception occurred)");
        assertThat(d.layer("udp")).isNull();
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:ipv6.hopopts");
        // A well-formed one (8 bytes, no compartment) is nothing to note.
        byte[] ok = hex("11 01 07 08 00000001 00 3c 0000 01 02 0000");
        Decoded good = Decoded.of(Decoded.ETHERNET, eth(ipv6("2001:db8::1", "2001:db8::2", 0, concat(ok, udp(1, 2, new byte[4])))));
        assertThat(good.malformed()).isNull();
        assertThat(good.layer("udp")).isNotNull();
    }
}
