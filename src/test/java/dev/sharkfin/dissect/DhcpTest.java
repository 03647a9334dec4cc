package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class DhcpTest {
    static byte[] request() {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put(hex("01 01 06 00 00003d1d 0000 8000")).put(addr("0.0.0.0")).put(addr("0.0.0.0")).put(addr("192.168.0.1"))
                .put(addr("0.0.0.0")).put(hex("000b8201fc42")).put(new byte[10]).put(new byte[64]).put(new byte[128])
                .put(hex("63825363"))
                .put(hex("350103"))                           // DHCP message type: request
                .put(hex("3204c0a8000a"))                     // requested address
                .put(hex("3604c0a80001"))                     // server identifier
                .put(hex("0c0468737431"))                     // host name "hst1"
                .put(hex("370301030f"))                       // parameter request list
                .put(hex("00 ff"));                           // a pad byte, then the end
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static Decoded decode(byte[] dhcp, int captured) {
        byte[] f = ethernet("ffffffffffff", "000b8201fc42", 0x0800, ipv4("0.0.0.0", "255.255.255.255", 17, udp(68, 67, dhcp)));
        return Decoded.of(Decoded.ETHERNET, f, Math.min(captured, f.length), f.length);
    }

    @Test
    void headerAndOptions() {
        Decoded d = decode(request(), Integer.MAX_VALUE);
        var dhcp = d.layer("dhcp");
        assertThat(dhcp.get("dhcp_type").asInt()).isEqualTo(1);
        assertThat(dhcp.get("dhcp_id").asLong()).isEqualTo(0x3d1d);
        assertThat(dhcp.get("dhcp_hw_mac_addr").asText()).isEqualTo("00:0b:82:01:fc:42");
        assertThat(dhcp.get("dhcp_ip_client").asText()).isEqualTo("0.0.0.0");
        assertThat(dhcp.get("dhcp_ip_server").asText()).isEqualTo("192.168.0.1");
        assertThat(dhcp.get("dhcp_option_dhcp").asInt()).isEqualTo(3);
        assertThat(dhcp.get("dhcp_option_requested_ip_address").asText()).isEqualTo("192.168.0.10");
        assertThat(dhcp.get("dhcp_option_dhcp_server_id").asText()).isEqualTo("192.168.0.1");
        assertThat(dhcp.get("dhcp_option_hostname").asText()).isEqualTo("hst1");
        assertThat(dhcp.get("dhcp_option_request_list_item").toString()).isEqualTo("[1,3,15]");
        // Wireshark lists the end option as type 0 and pads not at all.
        assertThat(dhcp.get("dhcp_option_type").toString()).isEqualTo("[53,50,54,12,55,0]");
        assertThat(dhcp.get("dhcp_flags_bc").asBoolean()).isTrue();
        assertThat(d.malformed()).isNull();
    }

    @Test
    void snaplenCutKeepsTheFieldsThatAreThere() {
        Decoded d = decode(request(), 14 + 20 + 8 + 60);
        var dhcp = d.layer("dhcp");
        assertThat(dhcp.get("dhcp_hw_mac_addr").asText()).isEqualTo("00:0b:82:01:fc:42");
        assertThat(dhcp.get("dhcp_option_type")).isNull();
        assertThat(d.packet().isTruncated()).isTrue();
        assertThat(d.malformed()).isNull();
    }

    @Test
    void optionPastTheEndIsMalformed() {
        byte[] r = request();
        byte[] bad = concat(java.util.Arrays.copyOf(r, 240), hex("0c10 6162"));
        Decoded d = decode(bad, Integer.MAX_VALUE);
        assertThat(d.malformed()).contains("DHCP option 12");
        assertThat(d.layer("dhcp").get("dhcp_id").asLong()).isEqualTo(0x3d1d);
    }

    private static int secs(String wire) {
        byte[] r = request();
        System.arraycopy(hex(wire), 0, r, 8, 2);
        return decode(r, Integer.MAX_VALUE).layer("dhcp").get("dhcp_secs").asInt();
    }

    @Test
    void secsReadLittleEndianWhereThatGivesOneToTwoHundredFiftyFiveSeconds() {
        // Windows sends secs little-endian; Wireshark takes the little-endian value when it is 1..255.
        assertThat(secs("1a00")).isEqualTo(26);
        assertThat(secs("ff00")).isEqualTo(255);
        assertThat(secs("18b5")).isEqualTo(0x18b5);
        assertThat(secs("0001")).isEqualTo(1);
        assertThat(secs("0000")).isZero();
    }

    private static String secsExpert(String wire) {
        byte[] r = request();
        System.arraycopy(hex(wire), 0, r, 8, 2);
        com.fasterxml.jackson.databind.JsonNode ws = decode(r, Integer.MAX_VALUE).layer("_ws");
        return ws == null || ws.get("_ws_expert_message") == null ? null : ws.get("_ws_expert_message").asText();
    }

    @Test
    void secsReadLittleEndianGetsWiresharksNote() {
        assertThat(secsExpert("1a00")).isEqualTo("Seconds elapsed appears to be encoded as little-endian");
        assertThat(secsExpert("18b5")).isNull();
        assertThat(secsExpert("0001")).isNull();
        assertThat(secsExpert("0000")).isNull();
    }

    @Test
    void clientIdentifierWithAHardwareAddressRepeatsTheHardwareFields() {
        byte[] r = request();
        byte[] withId = concat(java.util.Arrays.copyOf(r, 243), hex("3d07 01 0a002700000d"), java.util.Arrays.copyOfRange(r, 243, r.length));
        var dhcp = decode(withId, Integer.MAX_VALUE).layer("dhcp");
        // chaddr first, then option 61's type and address, as tshark lists them.
        assertThat(dhcp.get("dhcp_hw_type").toString()).isEqualTo("[1,1]");
        assertThat(dhcp.get("dhcp_hw_mac_addr").toString()).isEqualTo("[\"00:0b:82:01:fc:42\",\"0a:00:27:00:00:0d\"]");
        assertThat(dhcp.get("dhcp_option_type").toString()).isEqualTo("[53,61,50,54,12,55,0]");
    }

    @Test
    void ntpServers() {
        byte[] r = request();
        byte[] with = concat(java.util.Arrays.copyOf(r, 243), hex("2a08 0a000001 0a000002"), java.util.Arrays.copyOfRange(r, 243, r.length));
        var dhcp = decode(with, Integer.MAX_VALUE).layer("dhcp");
        assertThat(dhcp.get("dhcp_option_ntp_server").toString()).isEqualTo("[\"10.0.0.1\",\"10.0.0.2\"]");
        assertThat(dhcp.get("dhcp_flags_bc").asBoolean()).isTrue();
    }

    @Test
    void clientIdentifierOfAnotherKindAddsNoHardwareFields() {
        byte[] r = request();
        byte[] withId = concat(java.util.Arrays.copyOf(r, 243), hex("3d04 00 616263"), java.util.Arrays.copyOfRange(r, 243, r.length));
        var dhcp = decode(withId, Integer.MAX_VALUE).layer("dhcp");
        assertThat(dhcp.get("dhcp_hw_type").toString()).isEqualTo("1");
        assertThat(dhcp.get("dhcp_hw_mac_addr").asText()).isEqualTo("00:0b:82:01:fc:42");
    }

    private static byte[] withOption(String option) {
        byte[] r = request();
        return concat(java.util.Arrays.copyOf(r, 243), hex(option), java.util.Arrays.copyOfRange(r, 243, r.length));
    }

    @Test
    void optionsCutBeforeTheirEndShowNoFieldAtAll() {
        // Wireshark's first pass over the options, before any field, meets the snapshot length: truncated, nothing shown.
        byte[] r = request();
        Decoded d = decode(r, 14 + 20 + 8 + 250);
        assertThat(d.packet().isTruncated()).isTrue();
        assertThat(d.layer("dhcp").get("dhcp_type")).isNull();
        assertThat(d.expert()).isNull();
        // Its end option captured, the cut padding after it is no matter.
        Decoded padded = decode(concat(r, new byte[20]), 14 + 20 + 8 + r.length + 5);
        assertThat(padded.layer("dhcp").get("dhcp_option_type").toString()).isEqualTo("[53,50,54,12,55,0]");
    }

    @Test
    void staticRoutesAndPolicyFiltersThatAreNotAddressPairsGetWiresharksNote() {
        assertThat(decode(withOption("2103 0a0000"), Integer.MAX_VALUE).expert()).isEqualTo("Option length isn't a multiple of 8");
        assertThat(decode(withOption("1505 0a00000001"), Integer.MAX_VALUE).expert()).isEqualTo("Option length isn't a multiple of 8");
        assertThat(decode(withOption("2108 0a000000 0a000001"), Integer.MAX_VALUE).expert()).isNull();
    }

    @Test
    void bootpWithoutTheMagicCookieNeedsItsSixtyFourBytesOfVendorData() {
        // The magic two bytes early: BOOTP, whose 64 bytes of vendor data run past the datagram.
        byte[] r = request();
        byte[] early = concat(java.util.Arrays.copyOf(r, 234), java.util.Arrays.copyOfRange(r, 236, 282));
        Decoded d = decode(early, Integer.MAX_VALUE);
        assertThat(d.layer("dhcp").get("dhcp_ip_server").asText()).isEqualTo("192.168.0.1");
        assertThat(d.malformed()).contains("BOOTP");
        assertThat(d.layer("dhcp").get("dhcp_option_type")).isNull();
    }

    @Test
    void clientIdentifierOfTypeZeroWithBytesAfterANulGetsTheStrayCharactersNote() {
        assertThat(decode(withOption("3d06 00 0044010000"), Integer.MAX_VALUE).expert()).isEqualTo("Trailing stray characters");
        assertThat(decode(withOption("3d06 00 6162630000"), Integer.MAX_VALUE).expert()).isNull();
        assertThat(decode(withOption("3d11 00 00010203040506070809101112131415"), Integer.MAX_VALUE).expert())
                .as("17 bytes of type 0 are a UUID").isNull();
    }
}
