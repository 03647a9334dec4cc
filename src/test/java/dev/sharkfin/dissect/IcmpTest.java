package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ICMP and ICMPv6 as Wireshark 4.0 reads them: what each type's header needs, RFC 4884's extension checksum. */
class IcmpTest {
    private static final int RAW = 101;

    private static Decoded v4(byte[] icmp, int captured) {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 1, icmp);
        return Decoded.of(RAW, ip, 20 + captured, ip.length);
    }

    private static Decoded v6(byte[] icmp, int captured) {
        byte[] f = ethernet("001122334455", "66778899aabb", 0x86dd, ipv6("2001:db8::1", "2001:db8::2", 58, icmp));
        return Decoded.of(Decoded.ETHERNET, f, 54 + captured, f.length);
    }

    private static boolean isShort(Decoded d) {
        return d.doc().path("_ws").path("_ws_short").asBoolean();
    }

    /** Wireshark's ICMP reads the RFC 4884 length (byte 5) before any field: fewer bytes show none, and are short. */
    @Test
    void icmpOfFewerThanSixCapturedBytesShowsNoFieldAndIsShort() {
        byte[] echo = concat(hex("0800 0000 0001 0001"), new byte[24]);
        Decoded five = v4(echo, 5);
        assertThat(five.layer("icmp").get("icmp_type")).isNull();
        assertThat(isShort(five)).isTrue();
        Decoded six = v4(echo, 6);
        assertThat(six.layer("icmp").get("icmp_ident").asInt()).isEqualTo(1);
        assertThat(six.layer("icmp").get("icmp_seq")).isNull();
        assertThat(isShort(six)).as("the sequence number is cut").isTrue();
    }

    /**
     * A source quench (type 4) whose RFC 4884 length says 12 bytes of a longer message: Wireshark reads the quoted
     * datagram's total length (bytes 10 and 11) before it hands the datagram over, so 6 captured bytes are short.
     */
    @Test
    void errorMessageCutBeforeTheQuotedLengthIsShort() {
        byte[] quench = concat(hex("0443 0303 0303 0303"), new byte[60]);
        Decoded d = v4(quench, 6);
        assertThat(d.layer("icmp").get("icmp_type").asInt()).isEqualTo(4);
        assertThat(isShort(d)).isTrue();
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ip:icmp");
    }

    /** The timestamp request's three timestamps (20 bytes in all), with the echo's identifier and sequence. */
    @Test
    void timestampRequestNeedsItsTimestamps() {
        byte[] ts = concat(hex("0d00 0000 0007 0002"), new byte[12]);
        assertThat(isShort(v4(ts, 19))).isTrue();
        Decoded whole = v4(ts, 20);
        assertThat(isShort(whole)).isFalse();
        assertThat(whole.layer("icmp").get("icmp_ident").asInt()).isEqualTo(7);
        assertThat(whole.layer("icmp").get("icmp_seq").asInt()).isEqualTo(2);
    }

    /**
     * A router advertisement (RFC 1256) reads its address entries when they are 2 words each (past the message: an
     * exception); of another entry size, what follows its header is data.
     */
    @Test
    void routerAdvertisementEntriesOrData() {
        byte[] two = concat(hex("0900 0000 0102 0708"), hex("0a000001 00000000"));
        setIcmpChecksum(two);
        Decoded d = v4(two, two.length);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ip:icmp");
        assertThat(isShort(v4(two, 12))).isTrue();
        byte[] other = concat(hex("0900 0000 0103 0708"), new byte[12]);
        setIcmpChecksum(other);
        assertThat(v4(other, other.length).layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ip:icmp:data");
    }

    /** An error's quoted datagram goes to Wireshark's "ip" dissector, which notes a version other than 4 or 6. */
    @Test
    void quotedDatagramOfAnotherVersionIsABogusIpVersion() {
        byte[] unreachable = concat(hex("0303 0000 0000 0000"), new byte[28]);
        setIcmpChecksum(unreachable);
        Decoded d = v4(unreachable, 36);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ip:icmp:ip");
        assertThat(d.expert()).isEqualTo("Bogus IP version");
        assertThat(d.malformed()).isNull();
    }

    /**
     * RFC 8335's extended echo request carries RFC 4884's extension structure: Wireshark verifies its checksum (not
     * 0) over the whole structure and says what it should be.
     */
    @Test
    void extensionStructureChecksumIsVerified() {
        // Structure: version 2, checksum, one interface identification object (class 3, c-type 2: index 1).
        byte[] good = hex("2a00 0000 f6ea 0101 2000 dcf4 0008 0302 00000001");
        byte[] goodIcmp = good.clone();
        setIcmpChecksum(goodIcmp);
        Decoded ok = v4(goodIcmp, goodIcmp.length);
        assertThat(ok.layer("icmp").get("icmp_checksum_status").asInt()).isEqualTo(1);
        assertThat(ok.expert()).isNull();
        byte[] bad = good.clone();
        bad[11] = 0x00; // extension checksum 0xdc00 in place of 0xdcf4
        setIcmpChecksum(bad);
        Decoded d = v4(bad, bad.length);
        assertThat(d.expert()).isEqualTo("Bad checksum [should be 0xdcf4]");
        bad[10] = bad[11] = 0; // a checksum of 0 is absent: not verified
        setIcmpChecksum(bad);
        assertThat(v4(bad, bad.length).expert()).isNull();
    }

    /** ICMPv6's extended echo hands the structure to ICMP's extension dissector; one of another version is data. */
    @Test
    void icmpv6ExtendedEchoExtensionsAreIcmpOrData() {
        Decoded d = v6(hex("a000 0000 fb61 0001 2000 1234 0008 0302 00000001"), 20);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:icmpv6:icmp");
        var experts = d.doc().path("_ws").path("_ws_expert_message");
        assertThat(experts.get(experts.size() - 1).asText()).isEqualTo("Bad checksum [should be 0xdcf4]");
        Decoded other = v6(hex("a000 0000 fb61 0001 0000 0000"), 12);
        assertThat(other.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:icmpv6:data");
    }

    /** A mobile prefix advertisement (147): its identifier, then its flags, which a 6-byte capture cuts, then options. */
    @Test
    void icmpv6MobilePrefixAdvertisementCutInItsFlagsIsShort() {
        byte[] mpa = concat(hex("9300 0000 1234 c000"), hex("0101 001122334455"));
        Decoded d = v6(mpa, 6);
        assertThat(d.layer("icmpv6").get("icmpv6_type").asInt()).isEqualTo(147);
        assertThat(isShort(d)).isTrue();
        assertThat(isShort(v6(mpa, 12))).as("its option cut").isTrue();
        assertThat(isShort(v6(mpa, 16))).isFalse();
    }

    /** ICMPv6's contained datagram is IPv6 only when its version says so; else data. None captured: short. */
    @Test
    void icmpv6ErrorQuotingNoIpv6IsData() {
        Decoded d = v6(concat(hex("0100 0000 0000 0000"), new byte[20]), 28);
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ipv6:icmpv6:data");
        assertThat(isShort(v6(concat(hex("0100 0000 0000 0000"), new byte[20]), 8))).isTrue();
    }

    private static java.util.List<String> experts(Decoded d) {
        var node = d.doc().path("_ws").path("_ws_expert_message");
        java.util.List<String> all = new java.util.ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> all.add(n.asText()));
        } else if (!node.isMissingNode()) {
            all.add(node.asText());
        }
        return all;
    }

    /**
     * A router advertisement's PREF64 option (RFC 8781) whose prefix length code is not one of the six: Wireshark's
     * "Invalid Option Length", of its malformed group; a neighbor discovery option of length 0 ends the options.
     */
    @Test
    void routerAdvertisementOptionsAreChecked() {
        byte[] ra = hex("8600 0000 4000 01f4 00000000 00000000");
        byte[] pref64 = hex("2602 0706 20010db8 00010064 ff9b0000");
        Decoded bad = v6(concat(ra, pref64), 32);
        assertThat(experts(bad)).endsWith("Invalid Option Length");
        assertThat(bad.malformed()).isEqualTo("Invalid Option Length");
        pref64[3] = 0; // a 96-bit prefix
        Decoded ok = v6(concat(ra, pref64), 32);
        assertThat(experts(ok)).doesNotContain("Invalid Option Length");
        assertThat(ok.malformed()).isNull();
        Decoded zero = v6(concat(ra, hex("0100 001122334455")), 24);
        assertThat(experts(zero)).endsWith("Invalid option length (Zero)");
        Decoded cut = v6(concat(ra, hex("0102 001122334455")), 24);
        assertThat(cut.malformed()).as("an option past the message").isNotNull();
    }

    /** RPL's target option must be 2, 10 or 18 bytes long: else Wireshark's error, and the rest is unknown data. */
    @Test
    void rplTargetOptionOfAnotherLengthIsAnError() {
        byte[] dao = hex("9b02 0000 2a40 000a 54310000 00000000 00000000 00000000");
        byte[] target = concat(hex("0517 0080"), new byte[21]);
        Decoded d = v6(concat(dao, target), 24 + 25);
        assertThat(experts(d)).endsWith("Invalid Option Length", "Unknown Data (not interpreted)");
        assertThat(d.malformed()).isEqualTo("Invalid Option Length");
        Decoded ok = v6(concat(dao, hex("0512 0080"), new byte[16]), 24 + 20);
        assertThat(ok.malformed()).isNull();
    }

    /** Sets the ICMP checksum (bytes 2 and 3) so that the message sums to 0xffff. */
    private static void setIcmpChecksum(byte[] icmp) {
        icmp[2] = icmp[3] = 0;
        long sum = 0;
        for (int i = 0; i < icmp.length; i += 2) {
            sum += ((icmp[i] & 0xff) << 8) | (i + 1 < icmp.length ? icmp[i + 1] & 0xff : 0);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int c = (int) ~sum & 0xffff;
        icmp[2] = (byte) (c >>> 8);
        icmp[3] = (byte) c;
    }
}
