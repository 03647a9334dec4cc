package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A header whose version nibble is not its own, as Wireshark decodes it. */
class IpVersionTest {
    private static final int LINKTYPE_IPV4 = 228;
    private static final int LINKTYPE_IPV6 = 229;

    /**
     * The raw IPv4 link type is Wireshark's "ip" dissector, which hands a version-6 header to IPv6 before any field
     * of its own and says nothing: ip:ipv6:udp, no ip object, no note.
     */
    @Test
    void ipv6BehindTheIpv4LinkTypeIsDecodedAsIpv6() {
        Decoded d = Decoded.of(LINKTYPE_IPV4, ipv6("2001:db8::1", "2001:db8::2", 17, udp(12345, 9999, new byte[4])));
        assertThat(d.layer("ip")).isNull();
        assertThat(d.layer("ipv6").get("ipv6_src").asText()).isEqualTo("2001:db8::1");
        assertThat(d.layer("udp").get("udp_dstport").asInt()).isEqualTo(9999);
        assertThat(d.layer("frame").get("frame_protocols").asText()).startsWith("ip:ipv6:udp");
        assertThat(d.expert()).isNull();
        assertThat(d.malformed()).isNull();
    }

    /** Neither 4 nor 6 behind the raw IPv4 link type: the "ip" dissector's version and "Bogus IP version". */
    @Test
    void anotherVersionBehindTheIpv4LinkTypeIsABogusIpVersion() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[0]));
        ip[0] = 0x55;
        Decoded d = Decoded.of(LINKTYPE_IPV4, ip);
        assertThat(d.layer("ip").get("ip_version").asInt()).isEqualTo(5);
        assertThat(d.layer("ip").get("ip_hdr_len")).isNull();
        assertThat(d.expert()).isEqualTo("Bogus IP version");
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("ip");
    }

    /** Behind ethertype 0x0800, Wireshark's IPv4 dissector shows the version, "Bogus IPv4 version", then IPv6. */
    @Test
    void ipv6BehindEthertypeIpv4IsABogusIpv4Version() {
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ipv6("2001:db8::1", "2001:db8::2", 17, udp(1, 2, new byte[4])));
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.layer("ip").get("ip_version").asInt()).isEqualTo(6);
        assertThat(d.expert()).isEqualTo("Bogus IPv4 version");
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:ipv6:udp:data");
    }

    @Test
    void anotherVersionBehindEthertypeIpv4StopsAtTheVersion() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[0]));
        ip[0] = 0x55;
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800, ip));
        assertThat(d.layer("ip").get("ip_version").asInt()).isEqualTo(5);
        assertThat(d.layer("ip").get("ip_hdr_len")).isNull();
        assertThat(d.layer("udp")).isNull();
        assertThat(d.expert()).isEqualTo("Bogus IPv4 version");
    }

    /** Wireshark's IPv6 dissector shows the version alone and "Bogus IPv6 version", of its malformed group. */
    @Test
    void ipv4BehindTheIpv6LinkTypeIsABogusVersion() {
        Decoded d = Decoded.of(LINKTYPE_IPV6, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[20])));
        assertThat(d.layer("ipv6").get("ipv6_version").asInt()).isEqualTo(4);
        assertThat(d.layer("ipv6").get("ipv6_src")).isNull();
        assertThat(d.expert()).isEqualTo("Bogus IPv6 version");
        assertThat(d.malformed()).isEqualTo("Bogus IPv6 version"); // an error of its malformed group, no exception
        assertThat(d.doc().get("_ws").get("_ws_expert_message").asText()).isEqualTo("Bogus IPv6 version");
        assertThat(d.layer("frame").get("frame_protocols")).as("the dissector declines: nothing listed, no frame.protocols").isNull();
    }

    /** Behind ethertype 0x86dd a bogus version is declined too: the ethertype's payload is data ("eth:ethertype:data"). */
    @Test
    void bogusIpv6VersionBehindItsEthertypeIsData() {
        byte[] ip = ipv6("fe80::1", "ff02::1", 58, hex("8000 0000 0001 0001"));
        ip[0] = 0;
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x86dd, ip));
        assertThat(d.layer("ipv6").get("ipv6_version").asInt()).isZero();
        assertThat(d.expert()).isEqualTo("Bogus IPv6 version");
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:data");
    }
}
