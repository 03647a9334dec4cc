package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ipv4Test {
    private static byte[] eth(byte[] ip) {
        return ethernet("001122334455", "66778899aabb", 0x0800, ip);
    }

    @Test
    void headerFieldsAndAddresses() {
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "192.168.1.200", 17, udp(1, 2, new byte[3]))));
        var ip = d.layer("ip");
        assertThat(ip.get("ip_version").asInt()).isEqualTo(4);
        assertThat(ip.get("ip_hdr_len").asInt()).isEqualTo(20);
        assertThat(ip.get("ip_len").asInt()).isEqualTo(31);
        assertThat(ip.get("ip_id").asInt()).isEqualTo(0x1234);
        assertThat(ip.get("ip_flags_df").asBoolean()).isTrue();
        assertThat(ip.get("ip_ttl").asInt()).isEqualTo(64);
        assertThat(ip.get("ip_proto").asInt()).isEqualTo(17);
        assertThat(ip.get("ip_src").asText()).isEqualTo("10.0.0.1");
        assertThat(ip.get("ip_dst").asText()).isEqualTo("192.168.1.200");
        assertThat(ip.get("ip_addr").toString()).isEqualTo("[\"10.0.0.1\",\"192.168.1.200\"]");
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] f = concat(eth(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(80, 5000, 1, 1, ACK, 10, new byte[0], new byte[0]))), new byte[6]);
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.layer("tcp").get("tcp_len").asInt()).isZero();
        assertThat(d.malformed()).isNull();
    }

    @Test
    void optionsAreListed() {
        byte[] rr = hex("07 07 04 00000000 01"); // record route with room for one address, then NOP
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0, rr, udp(1, 2, new byte[0]))));
        assertThat(d.layer("ip").get("ip_hdr_len").asInt()).isEqualTo(28);
        assertThat(d.layer("ip").get("ip_opt_type").toString()).isEqualTo("[7,1]");
        assertThat(d.layer("udp")).isNotNull();
    }

    @Test
    void fragmentsAreFlaggedAndTheirPayloadIsNotDecoded() {
        Decoded first = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0x2000, new byte[0], udp(1, 2, new byte[16]))));
        assertThat(first.layer("ip").get("ip_flags_mf").asBoolean()).isTrue();
        assertThat(first.layer("udp")).isNull();
        Decoded later = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 185, new byte[0], new byte[16])));
        assertThat(later.layer("ip").get("ip_frag_offset").asInt()).isEqualTo(185);
        assertThat(later.malformed()).isNull();
    }

    @Test
    void fragmentsAreReassembledOnTheFrameThatCompletesTheDatagram() {
        byte[] dns = new byte[40];
        dns[0] = 0x12; // DNS id 0x1234, a response with no records: just its header, then padding
        dns[1] = 0x34;
        dns[2] = (byte) 0x81;
        byte[] udp = udp(53, 40000, dns);                    // 48 bytes: two fragments of 24
        Dissector dissector = new Dissector();
        Packet p = new Packet();
        byte[] first = eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0x2000, new byte[0], java.util.Arrays.copyOfRange(udp, 0, 24)));
        p.reset(1, 0, first, first.length, first.length, 1);
        dissector.dissect(p);
        // frame, eth, ethertype, ip, data: the payload waits, shown as data as Wireshark does
        assertThat(p.layerCount()).isEqualTo(5);
        assertThat(p.layerName(4)).isEqualTo("data");
        byte[] second = eth(ipv4("10.0.0.1", "10.0.0.2", 17, 3, new byte[0], java.util.Arrays.copyOfRange(udp, 24, 48)));
        p.reset(2, 1, second, second.length, second.length, 1);
        dissector.dissect(p);
        java.util.List<String> layers = new java.util.ArrayList<>();
        for (int i = 0; i < p.layerCount(); i++) {
            layers.add(p.layerName(i));
        }
        assertThat(layers).containsExactly("frame", "eth", "ethertype", "ip", "udp", "dns");
        dev.sharkfin.normalize.JsonOut out = new dev.sharkfin.normalize.JsonOut();
        new dev.sharkfin.normalize.DocumentWriter().write(p, out);
        assertThat(out.toString()).contains("\"ip_reassembled_length\":48").contains("\"ip_fragment_count\":2")
                .contains("\"udp_length\":48").contains("\"dns_id\":4660").contains("\"ip_src\":\"10.0.0.1\"");
    }

    private static String ttlExpert(String dst, int ttl, int proto) {
        byte[] ip = ipv4("10.0.0.1", dst, proto, proto == 17 ? udp(1, 2, new byte[0]) : new byte[8]); // UDP: a valid length
        ip[8] = (byte) ttl;
        String expert = Decoded.of(Decoded.ETHERNET, eth(ip)).expert();
        // The 8 zero bytes are no valid TCP or UDP header: the IP header's own expert is what is asked for.
        return Dissector.MALFORMED_EXPERT.equals(expert) ? null : expert;
    }

    @Test
    void ttlOfAPacketToTheLocalNetworkControlBlockIsCheckedAsInWireshark() {
        String lncb = "\"Time To Live\" != %d for a packet sent to the Local Network Control Block (see RFC 3171)";
        assertThat(ttlExpert("224.0.0.5", 2, 89)).isEqualTo(lncb.formatted(1));
        assertThat(ttlExpert("224.0.0.5", 1, 89)).isNull();
        assertThat(ttlExpert("224.0.0.18", 1, 112)).isEqualTo(lncb.formatted(255)); // VRRP
        assertThat(ttlExpert("224.0.0.102", 255, 17)).isNull(); // GLBP
        assertThat(ttlExpert("224.0.0.251", 1, 17)).isEqualTo(lncb.formatted(255)); // mDNS
        assertThat(ttlExpert("224.0.0.252", 7, 17)).isNull(); // LLMNR: any
    }

    /** tshark 4.0: IGMP to the block must have a TTL of 1 whatever the group, mDNS's, VRRP's and LLMNR's too. */
    @Test
    void igmpToTheLocalNetworkControlBlockMustHaveATtlOfOne() {
        String lncb = "\"Time To Live\" != %d for a packet sent to the Local Network Control Block (see RFC 3171)";
        assertThat(ttlExpert("224.0.0.251", 1, 2)).isNull();
        assertThat(ttlExpert("224.0.0.18", 1, 2)).isNull();
        assertThat(ttlExpert("224.0.0.251", 255, 2)).isEqualTo(lncb.formatted(1));
        assertThat(ttlExpert("224.0.0.252", 7, 2)).isEqualTo(lncb.formatted(1));
    }

    @Test
    void ttlBelowFiveOfAUnicastPacketIsNotedExceptForPimAndOspf() {
        assertThat(ttlExpert("10.0.0.2", 4, 17)).isEqualTo("\"Time To Live\" only 4");
        assertThat(ttlExpert("10.0.0.2", 0, 6)).isEqualTo("\"Time To Live\" only 0");
        assertThat(ttlExpert("10.0.0.2", 5, 17)).isNull();
        assertThat(ttlExpert("10.0.0.2", 1, 103)).isNull();
        assertThat(ttlExpert("10.0.0.2", 1, 89)).isNull();
        assertThat(ttlExpert("239.1.2.3", 1, 17)).isNull();
    }

    @Test
    void totalLengthBeyondTheFrameIsReportedAndDecodingGoesOnAsInWireshark() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 0, 0, SYN, 1, new byte[0], new byte[4]));
        ip[2] = 0x05; // total length 1280+
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.expert()).isEqualTo("IPv4 total length exceeds packet length (44 bytes)");
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("ip").get("ip_src").asText()).isEqualTo("10.0.0.1");
        assertThat(d.layer("tcp").get("tcp_len").asInt()).isEqualTo(4);
    }

    @Test
    void icmpErrorQuotesADatagramThatIsDecodedButNotAnalysed() {
        byte[] quoted = ipv4("10.0.0.2", "10.0.0.9", 6, tcp(40000, 80, 5, 0, SYN, 100, new byte[0], new byte[0]));
        byte[] icmp = concat(hex("0303 2493 00000000"), java.util.Arrays.copyOf(quoted, 40));
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 1, icmp)));
        assertThat(d.layer("ip").get(1).get("ip_dst").asText()).isEqualTo("10.0.0.9");
        assertThat(d.layer("tcp").get("tcp_srcport").asInt()).isEqualTo(40000);
        assertThat(d.packet().tcp(0).payloadLength).isEqualTo(-1); // found its conversation, not analysed
        // tshark still shows the quoted SYN's chat (checked with tshark 4.0.17 on such a frame).
        assertThat(d.expert()).isEqualTo("Connection establish request (SYN): server port 80");
    }

    /** As tshark 4.0.17 shows such a header: its version and length, a note, nothing after (not malformed). */
    @Test
    void headerLengthBelowTwentyIsNotedAndEndsTheDissection() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, new byte[0]);
        ip[0] = 0x44;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.malformed()).isNull();
        assertThat(d.expert()).isEqualTo("Bogus IP header length (16, must be at least 20)");
        assertThat(d.layer("ip").get("ip_hdr_len").asInt()).isEqualTo(16);
        assertThat(d.layer("ip").get("ip_len")).isNull();
        assertThat(d.layer("tcp")).isNull();
    }

    @Test
    void totalLengthBelowTheHeaderLengthIsNotedAndEndsTheDissection() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[4]));
        ip[2] = 0;
        ip[3] = 19;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.malformed()).isNull();
        assertThat(d.expert()).isEqualTo("Bogus IP length");
        assertThat(d.layer("ip").get("ip_len").asInt()).isEqualTo(19);
        assertThat(d.layer("ip").get("ip_id")).isNull();
        assertThat(d.layer("udp")).isNull();
    }

    /** A header cut short: the fields whose bytes are there, as tshark shows them, then malformed. */
    @Test
    void aHeaderCutShortShowsTheFieldsItHas() {
        byte[] ip = java.util.Arrays.copyOf(ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[4])), 19);
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.malformed()).isNotNull();
        assertThat(d.expert()).isEqualTo("IPv4 total length exceeds packet length (19 bytes)");
        assertThat(d.layer("ip").get("ip_ttl").asInt()).isEqualTo(64);
        assertThat(d.layer("ip").get("ip_src").asText()).isEqualTo("10.0.0.1");
        assertThat(d.layer("ip").get("ip_dst")).isNull();
    }

    /** Checked with tshark 4.0.17 on these bytes: a warning, the option unlisted, the UDP inside decoded. */
    @Test
    void anOptionRunningPastTheOptionsIsNotedAndThePayloadDecoded() {
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0, hex("01 ff 12 00"),
                udp(1, 2, new byte[4]))));
        assertThat(d.malformed()).isNull();
        assertThat(d.expert()).isEqualTo("Unknown (0xff) (option length = 18 bytes says option goes past end of options)");
        assertThat(d.layer("ip").get("ip_opt_type").asInt()).isEqualTo(1);
        assertThat(d.layer("udp").get("udp_srcport").asInt()).isEqualTo(1);
    }

    /** tshark 4.0.17 lists the types of the options Wireshark knows only; a wrong fixed length is noted. */
    @Test
    void optionTypesAreListedForKnownOptionsAndLengthsCheckedAsWiresharkDoes() {
        Decoded unknown = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0, hex("03 03 00 00"),
                udp(1, 2, new byte[4]))));
        assertThat(unknown.layer("ip").get("ip_opt_type").asInt()).isEqualTo(0);
        Decoded alert = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0, hex("94 06 0000 0000 01 00"),
                udp(1, 2, new byte[4]))));
        assertThat(alert.layer("ip").get("ip_opt_type").toString()).isEqualTo("[148,1,0]");
        assertThat(alert.expert()).isEqualTo("Router Alert (with option length = 6 bytes; should be 4)");
        Decoded stamp = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0, hex("44 03 05 00"),
                udp(1, 2, new byte[4]))));
        assertThat(stamp.malformed()).isNotNull(); // its dissector reads the flags past the option
        assertThat(stamp.layer("udp")).isNull();
        Decoded nops = Decoded.of(Decoded.ETHERNET, eth(ipv4("10.0.0.1", "10.0.0.2", 17, 0, hex("0101010101010101"),
                udp(1, 2, new byte[4]))));
        assertThat(nops.expert()).isEqualTo("4 NOP in a row - a router may have removed some options");
    }

    /** A first fragment that cannot be reassembled (cut short) is decoded as it is, as Wireshark does. */
    @Test
    void aFirstFragmentCutShortIsDecoded() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 0x2000, new byte[0], udp(1, 2, new byte[16]));
        ip[3] += 20; // the total length claims 20 bytes more than the frame has
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.layer("udp").get("udp_srcport").asInt()).isEqualTo(1);
        byte[] later = ipv4("10.0.0.1", "10.0.0.2", 17, 0x2003, new byte[0], udp(1, 2, new byte[16]));
        later[3] += 20;
        assertThat(Decoded.of(Decoded.ETHERNET, eth(later)).layer("udp")).isNull();
    }

    /** As tshark 4.0.17 (olsr-oobr-1): a UDP length past a first fragment cut short is not checked. */
    @Test
    void aUdpDatagramInAFirstFragmentCutShortIsNotMalformed() {
        byte[] udp = udp(1, 2, new byte[16]);
        udp[5] += 40; // the UDP length claims 40 bytes more
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 0x2000, new byte[0], udp);
        ip[3] += 60;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.layer("udp").get("udp_length").asInt()).isEqualTo(64);
        assertThat(d.malformed()).isNull();
    }

    /** Options not all captured: tshark 4.0.17 lists none of them (ip_printroute_asan), the frame is short. */
    @Test
    void optionsNotAllCapturedAreNotListed() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 0, hex("83 07 04 00000000 01"), udp(1, 2, new byte[4]));
        Decoded d = Decoded.of(Decoded.ETHERNET, java.util.Arrays.copyOf(eth(ip), 14 + 24), 14 + 24, 14 + ip.length);
        assertThat(d.layer("ip").get("ip_opt_type")).isNull();
        assertThat(d.packet().isTruncated()).isTrue();
    }

    /** tshark 4.0.17 on such a segment: its header, no tcp.len (the datagram's length is not known), not analysed. */
    @Test
    void aTcpSegmentInAFirstFragmentCutShortHasNoLength() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, 0x2000, new byte[0], tcp(179, 40000, 5, 7, 0, 100, new byte[0], new byte[10]));
        ip[3] += 20;
        Decoded d = Decoded.of(Decoded.ETHERNET, eth(ip));
        assertThat(d.layer("tcp").get("tcp_srcport").asInt()).isEqualTo(179);
        assertThat(d.layer("tcp").get("tcp_len")).isNull();
        assertThat(d.packet().tcp(0).payloadLength).isEqualTo(-1);
    }

    /** TSO leaves a total length of 0: Wireshark presumes the frame's length and shows that as ip.len. */
    @Test
    void totalLengthZeroShowsThePresumedLength() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 1, 1, ACK, 100, new byte[0], new byte[30]));
        ip[2] = 0;
        ip[3] = 0;
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800, ip));
        assertThat(d.layer("ip").get("ip_len").asInt()).isEqualTo(70);
        assertThat(d.layer("tcp").get("tcp_len").asInt()).isEqualTo(30);
    }
}
