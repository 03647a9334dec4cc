package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DnsTest {
    private static Decoded udp(int sport, int dport, byte[] dns) {
        return Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.53", 17, Frames.udp(sport, dport, dns))));
    }

    /** example.com A: a query for it, then an answer with a compressed name, a CNAME and an A record. */
    static final byte[] QUERY = hex("1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001");
    static final byte[] RESPONSE = hex("1234 8180 0001 0002 0000 0000"
            + "07 6578616d706c65 03 636f6d 00 0001 0001"
            + "c00c 0005 0001 00000e10 0006 03 777777 c00c"          // example.com CNAME www.example.com
            + "c029 0001 0001 0000003c 0004 5db8d822");              // www.example.com A 93.184.216.34

    @Test
    void queryHeaderFlagsAndQuestion() {
        var dns = udp(40000, 53, QUERY).layer("dns");
        assertThat(dns.get("dns_id").asInt()).isEqualTo(0x1234);
        assertThat(dns.get("dns_flags").asInt()).isEqualTo(0x0100);
        assertThat(dns.get("dns_flags_response").asBoolean()).isFalse();
        assertThat(dns.get("dns_flags_recdesired").asBoolean()).isTrue();
        assertThat(dns.get("dns_flags_rcode")).isNull(); // shown on responses only, as Wireshark does
        assertThat(dns.get("dns_count_queries").asInt()).isEqualTo(1);
        assertThat(dns.get("dns_qry_name").asText()).isEqualTo("example.com");
        assertThat(dns.get("dns_qry_type").asInt()).isEqualTo(1);
        assertThat(dns.get("dns_qry_class").asInt()).isEqualTo(1);
        assertThat(dns.get("dns_qry_name_len").asInt()).isEqualTo(11);
        assertThat(dns.get("dns_count_labels").asInt()).isEqualTo(2);
    }

    @Test
    void soaIntervalsAndTheEdnsDnssecOkBit() {
        byte[] msg = hex("0001 8180 0000 0001 0000 0001"
                + "00 0006 0001 00000e10 001a 01 61 00 01 62 00"        // <Root> SOA a. b.
                + "00000001 00000e10 00000708 00093a80 00000258"        // serial, refresh, retry, expire, minimum
                + "00 0029 1000 00008000 0000");                         // OPT, DO set
        var dns = udp(53, 40000, msg).layer("dns");
        assertThat(dns.get("dns_soa_refresh_interval").asLong()).isEqualTo(3600);
        assertThat(dns.get("dns_soa_retry_interval").asLong()).isEqualTo(1800);
        assertThat(dns.get("dns_soa_expire_limit").asLong()).isEqualTo(604800);
        assertThat(dns.get("dns_soa_minimum_ttl").asLong()).isEqualTo(600);
        assertThat(dns.get("dns_resp_z_do").asBoolean()).isTrue();
    }

    @Test
    void labelsAreCountedAsWiresharkDoes() {
        assertThat(Dns.labels("a.b.c")).isEqualTo(3);
        assertThat(Dns.labels("ab")).isEqualTo(1);
        assertThat(Dns.labels("a")).isZero();
        assertThat(Dns.labels("")).isZero();
    }

    @Test
    void answersWithCompressedNamesBecomeArraysInRecordOrder() {
        Decoded d = udp(53, 40000, RESPONSE);
        var dns = d.layer("dns");
        assertThat(dns.get("dns_flags_rcode").asInt()).isZero();
        assertThat(dns.get("dns_flags_recavail").asBoolean()).isTrue();
        assertThat(dns.get("dns_count_answers").asInt()).isEqualTo(2);
        assertThat(dns.get("dns_resp_name").toString()).isEqualTo("[\"example.com\",\"www.example.com\"]");
        assertThat(dns.get("dns_resp_type").toString()).isEqualTo("[5,1]");
        assertThat(dns.get("dns_resp_ttl").toString()).isEqualTo("[3600,60]");
        assertThat(dns.get("dns_cname").asText()).isEqualTo("www.example.com");
        assertThat(dns.get("dns_a").asText()).isEqualTo("93.184.216.34");
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:dns");
    }

    @Test
    void aaaaPtrMxTxtNs() {
        byte[] msg = hex("0001 8400 0000 0005 0000 0000"
                + "00 001c 0001 00000001 0010 20010db8000000000000000000000001"
                + "00 000c 0001 00000001 0005 03 666f6f 00"
                + "00 000f 0001 00000001 0007 000a 03 6d7831 00"
                + "00 0010 0001 00000001 0009 02 6869 05 7468657265"
                + "00 0002 0001 00000001 0005 03 6e7331 00");
        var dns = udp(53, 40000, msg).layer("dns");
        assertThat(dns.get("dns_resp_name").get(0).asText()).isEqualTo("<Root>");
        assertThat(dns.get("dns_aaaa").asText()).isEqualTo("2001:db8::1");
        assertThat(dns.get("dns_ptr_domain_name").asText()).isEqualTo("foo");
        assertThat(dns.get("dns_mx_preference").asInt()).isEqualTo(10);
        assertThat(dns.get("dns_mx_mail_exchange").asText()).isEqualTo("mx1");
        assertThat(dns.get("dns_txt").toString()).isEqualTo("[\"hi\",\"there\"]");
        assertThat(dns.get("dns_ns").asText()).isEqualTo("ns1");
        assertThat(dns.get("dns_flags_authoritative").asBoolean()).isTrue();
    }

    @Test
    void nsecTypeBitmapAddsTheTypesPresentAsWiresharkDoes() {
        // host.local NSEC host.local, types A (1) and AAAA (28).
        byte[] msg = hex("0000 8400 0000 0001 0000 0000 04 686f7374 05 6c6f63616c 00 002f 8001 00000078 0008 c00c 0004 40000008");
        var mdns = udp(5353, 5353, msg).layer("mdns");
        assertThat(mdns.get("dns_resp_type").toString()).isEqualTo("[47,1,28]");
        assertThat(mdns.get("dns_nsec_next_domain_name").asText()).isEqualTo("host.local");
    }

    @Test
    void pointerLoopIsNamedAsWiresharkDoesNotAHang() {
        // The question's name points at itself: after 255 pointers Wireshark names the loop and reads on.
        Decoded d = udp(40000, 53, hex("0001 0100 0001 0000 0000 0000 c00c 0001 0001"));
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("dns").get("dns_qry_name").asText()).isEqualTo("<Name contains a pointer that loops>");
        assertThat(d.layer("dns").get("dns_qry_name_len").asInt()).isEqualTo(36);
        assertThat(d.layer("dns").get("dns_qry_type").asInt()).isEqualTo(1);
        // Two names pointing at each other, through a label.
        Decoded two = udp(40000, 53, hex("0001 0100 0001 0000 0000 0000 0161 c00c 0001 0001"));
        assertThat(two.layer("dns").get("dns_qry_name").asText()).isEqualTo("<Name contains a pointer that loops>");
    }

    @Test
    void recordPastTheMessageIsMalformedAndKeepsWhatWasDecoded() {
        byte[] cut = java.util.Arrays.copyOf(RESPONSE, RESPONSE.length - 6);
        Decoded d = udp(53, 40000, cut);
        assertThat(d.malformed()).contains("DNS");
        assertThat(d.layer("dns").get("dns_cname").asText()).isEqualTo("www.example.com");
    }

    @Test
    void shortHeaderIsMalformed() {
        Decoded d = udp(40000, 53, hex("0001 0100"));
        assertThat(d.malformed()).contains("DNS header");
    }

    @Test
    void overTcpWithItsLengthPrefix() {
        byte[] payload = concat(u16(QUERY.length), QUERY);
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.53", 6, tcp(40000, 53, 1, 1, PSH | ACK, 1000, new byte[0], payload))));
        assertThat(d.layer("dns").get("dns_length").asInt()).isEqualTo(QUERY.length);
        assertThat(d.layer("dns").get("dns_qry_name").asText()).isEqualTo("example.com");
    }

    @Test
    void bytesAfterTheCountedSectionsAreExtraneousData() {
        assertThat(udp(40000, 53, QUERY).expert()).as("Ethernet padding is not the message's").isNull();
        assertThat(udp(40000, 53, RESPONSE).expert()).isNull();
        assertThat(udp(40000, 53, concat(QUERY, new byte[5])).expert()).isEqualTo("Extraneous data");
        byte[] longer = concat(u16(QUERY.length + 3), QUERY, new byte[3]);
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.53", 6, tcp(40000, 53, 1, 1, PSH | ACK, 1000, new byte[0], longer))));
        assertThat(d.expert()).isEqualTo("Extraneous data");
        byte[] exact = concat(u16(QUERY.length), QUERY, new byte[3]); // a next message's first bytes: not this one's
        Decoded e = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.53", 6, tcp(40000, 53, 1, 1, PSH | ACK, 1000, new byte[0], exact))));
        assertThat(e.expert()).isNull();
    }

    @Test
    void multicastDnsMasksTheUnicastAndCacheFlushBits() {
        byte[] msg = hex("0000 8400 0001 0001 0000 0000 04 686f7374 05 6c6f63616c 00 0001 8001"
                + "c00c 0001 8001 00000078 0004 c0a80001");
        Decoded d = udp(5353, 5353, msg);
        var mdns = d.layer("mdns");
        assertThat(d.layer("dns")).isNull();
        assertThat(mdns.get("dns_qry_name").asText()).isEqualTo("host.local");
        assertThat(mdns.get("dns_qry_class").asInt()).isEqualTo(1);
        assertThat(mdns.get("dns_qry_qu").asBoolean()).isTrue();
        assertThat(mdns.get("dns_resp_class").asInt()).isEqualTo(1);
        assertThat(mdns.get("dns_resp_cache_flush").asBoolean()).isTrue();
        assertThat(mdns.get("dns_a").asText()).isEqualTo("192.168.0.1");
    }

    @Test
    void multicastDnsOptRecordHasACacheFlushBitToo() {
        // An A record with the cache-flush bit, then an OPT record whose class (payload size 0x85a0) has it too.
        byte[] msg = hex("0000 8400 0000 0001 0000 0001"
                + "04 686f7374 05 6c6f63616c 00 0001 8001 00000078 0004 c0a80001"
                + "00 0029 85a0 00001194 0000");
        var mdns = udp(5353, 5353, msg).layer("mdns");
        assertThat(mdns.get("dns_resp_cache_flush").toString()).isEqualTo("[true,true]");
        assertThat(mdns.get("dns_rr_udp_payload_size").asInt()).isEqualTo(0x05a0);
        // Unicast DNS: the class is the payload size, whole, and there is no cache-flush bit.
        var dns = udp(40000, 53, msg).layer("dns");
        assertThat(dns.get("dns_rr_udp_payload_size").asInt()).isEqualTo(0x85a0);
        assertThat(dns.get("dns_resp_cache_flush")).isNull();
    }

    @Test
    void llmnrHasItsOwnFlags() {
        var llmnr = udp(50000, 5355, hex("0001 0000 0001 0000 0000 0000 04 77706164 00 0001 0001")).layer("llmnr");
        assertThat(llmnr.get("dns_qry_name").asText()).isEqualTo("wpad");
        assertThat(llmnr.get("dns_flags_tentative").asBoolean()).isFalse();
        assertThat(llmnr.get("dns_flags_recdesired")).isNull();
    }

    @Test
    void aRecordTypeWiresharkDoesNotDecodeGetsItsNoteOnceItsDataIsThere() {
        // A URI record (256) with 4 bytes of data: Wireshark 4.0 has no case for it. A (1) has one; so has SVCB (64).
        byte[] msg = hex("0001 8180 0000 0002 0000 0000 00 0100 0001 0000003c 0004 01020304 00 0001 0001 0000003c 0004 01020304");
        assertThat(udp(53, 40000, msg).expert())
                .isEqualTo("Dissector for DNS Type (256) code not implemented, Contact Wireshark developers if you want this supported");
        assertThat(Dns.implemented(64)).isTrue();
        assertThat(Dns.implemented(0)).isFalse();
        assertThat(Dns.implemented(65422)).isTrue();
        // Without data, or with data past the message (the exception comes first), no note.
        assertThat(udp(53, 40000, hex("0001 8180 0000 0001 0000 0000 00 0100 0001 0000003c 0000")).expert()).isNull();
        Decoded past = udp(53, 40000, hex("0001 8180 0000 0001 0000 0000 00 0100 0001 0000003c 0010 0102"));
        assertThat(past.expert()).isEqualTo("Malformed Packet (Exception occurred)");
    }

    @Test
    void wiresharksUdpHeuristicFindsDnsOnAnyPort() {
        Decoded d = udp(43757, 8053, QUERY);
        assertThat(d.layer("dns").get("dns_qry_name").asText()).isEqualTo("example.com");
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:dns");
        // 64 answers in a few bytes still pass (Wireshark does not ask whether they fit), and are malformed.
        Decoded many = udp(30490, 31490, hex("ffff 8100 0000 0040 0000 0000 0101 0200 0000 0000 0000"));
        assertThat(many.layer("dns")).isNotNull();
        assertThat(many.malformed()).isNotNull();
        // A query of two questions, a response of 101 answers, another opcode or a bare header are data.
        assertThat(udp(40000, 9999, hex("0001 0100 0002 0000 0000 0000 00")).layer("dns")).isNull();
        assertThat(udp(40000, 9999, hex("0001 8100 0000 0065 0000 0000 00")).layer("dns")).isNull();
        assertThat(udp(40000, 9999, hex("0001 0900 0001 0000 0000 0000 00")).layer("dns")).isNull();
        assertThat(udp(40000, 9999, hex("0001 0100 0001 0000 0000 0000")).layer("dns")).isNull();
        assertThat(udp(137, 137, QUERY).layer("dns")).as("NetBIOS names: a port Wireshark's nbns takes first").isNull();
        assertThat(Dns.looksLikeDns(cursor(hex("0001 0100 0001 0000 0000 000b 00")))).isFalse();
    }

    @Test
    void aNameOfMoreThan253CharactersIsTooLongAndReadToItsEndAsWiresharkDoes() {
        // 3 labels of 63 bytes and one of 62: 254 characters with the dots, ended by a pointer forward, past the
        // question, to the root; then type 1, class 0x10fb.
        String labels = ("3f" + "61".repeat(63)).repeat(3);
        String name = labels + "3e" + "61".repeat(62);
        int after = 12 + 3 * 64 + 63 + 2 + 4;
        String pointer = String.format("%04x", 0xc000 | after);
        Decoded d = udp(40000, 53, hex("0001 0100 0001 0000 0000 0000" + name + pointer + "0001 10fb 00"));
        var dns = d.layer("dns");
        assertThat(dns.get("dns_qry_name").asText()).isEqualTo("<Name too long>");
        assertThat(dns.get("dns_qry_name_len").asInt()).isEqualTo(15);
        assertThat(dns.get("dns_count_labels").asInt()).isEqualTo(1);
        assertThat(dns.get("dns_qry_type").asInt()).isEqualTo(1);
        assertThat(dns.get("dns_qry_class").asInt()).isEqualTo(0x10fb);
        assertThat(d.malformed()).isNull();
        // One character less (253) is still a name.
        String shorter = labels + "3d" + "61".repeat(61);
        var ok = udp(40000, 53, hex("0001 0100 0001 0000 0000 0000" + shorter + "00 0001 0001")).layer("dns");
        assertThat(ok.get("dns_qry_name").asText()).hasSize(253).startsWith("aaa").endsWith("a");
        assertThat(ok.get("dns_qry_name_len").asInt()).isEqualTo(253);
    }

    @Test
    void bytesOfANameThatAreNotPrintableAreEscapedAsWiresharkShowsThem() {
        // Owner name \001.\000<0x80>: control characters in octal, a byte that is not UTF-8 as U+FFFD.
        byte[] msg = hex("0001 8100 0000 0001 0000 0000 01 01 02 0080 00 0001 0001 0000003c 0004 01020304");
        var dns = udp(53, 40000, msg).layer("dns");
        assertThat(dns.get("dns_resp_name").asText()).isEqualTo("\\001.\\000\uFFFD");
        var q = udp(40000, 53, hex("0001 0100 0001 0000 0000 0000 03 61090a 01 7f 00 0001 0001")).layer("dns");
        assertThat(q.get("dns_qry_name").asText()).isEqualTo("a\\t\\n.\\177");
        assertThat(q.get("dns_qry_name_len").asInt()).as("the bytes read, not the escapes").isEqualTo(5);
        assertThat(q.get("dns_count_labels").asInt()).isEqualTo(2);
        // A backslash stays as it is, UTF-8 is kept, a byte that is not UTF-8 is U+FFFD (as tshark 4.0 prints them).
        var u = udp(40000, 53, hex("0001 0100 0001 0000 0000 0000 02 625c 03 c3a9ff 00 0001 0001")).layer("dns");
        assertThat(u.get("dns_qry_name").asText()).isEqualTo("b\\.\u00e9\uFFFD");
        assertThat(u.get("dns_qry_name_len").asInt()).isEqualTo(6);
    }

    @Test
    void aHeaderCutShortShowsTheFieldsItHolds() {
        // 9 bytes: id, flags (a server status request), questions, answers and half the authority count.
        Decoded d = udp(1512, 53, hex("309f 122c e370 9044 03"));
        var dns = d.layer("dns");
        assertThat(dns.get("dns_id").asInt()).isEqualTo(0x309f);
        assertThat(dns.get("dns_flags_opcode").asInt()).isEqualTo(2);
        assertThat(dns.get("dns_flags_truncated").asBoolean()).isTrue();
        assertThat(dns.get("dns_flags_authenticated").asBoolean()).isTrue();
        assertThat(dns.get("dns_count_queries").asInt()).isEqualTo(0xe370);
        assertThat(dns.get("dns_count_answers").asInt()).isEqualTo(0x9044);
        assertThat(dns.get("dns_count_auth_rr")).isNull();
        assertThat(d.malformed()).contains("DNS header");
        // 3 bytes: Wireshark reads the id and the flags together first, so nothing shows (the id neither).
        assertThat(udp(1512, 53, hex("309f 12")).layer("dns").get("dns_id")).isNull();
    }

    private static Cursor cursor(byte[] b) {
        Cursor c = new Cursor();
        c.reset(b, b.length, b.length);
        return c;
    }
}
