package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NtpTest {
    private static Decoded decode(byte[] ntp) {
        return Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.2", 17, udp(123, 123, ntp))));
    }

    @Test
    void serverReplyAsWireshark40ShowsIt() {
        // LI 0, version 4, mode 4 (server), stratum 1, poll 8, precision -20, refid "GPSs".
        byte[] ntp = hex("24 01 08 ec 00000000 00000041 47505373"
                + "dbac6ca7 f6d5a2c0" + "00000000 00000000" + "dbac6ca8 00000000" + "dbac6ca8 80000000");
        var d = decode(ntp).layer("ntp");
        assertThat(d.get("ntp_flags_li").asInt()).isZero();
        assertThat(d.get("ntp_flags_vn").asInt()).isEqualTo(4);
        assertThat(d.get("ntp_flags_mode").asInt()).isEqualTo(4);
        assertThat(d.get("ntp_stratum").asInt()).isEqualTo(1);
        assertThat(d.get("ntp_ppoll").asInt()).isEqualTo(8);
        assertThat(d.get("ntp_precision").asInt()).isEqualTo(236);
        assertThat(d.get("ntp_rootdispersion").asInt()).isEqualTo(65);
        assertThat(d.get("ntp_refid").asText()).isEqualTo("47505373");
        // Zero, not set: tshark's NULL, whose value (tshark -T ek) is the epoch.
        assertThat(d.get("ntp_org").asText()).isEqualTo("1970-01-01T00:00:00.000000000Z");
        // 0xdbac6ca8 seconds since 1900 is 2016-10-15T08:51:52Z.
        assertThat(d.get("ntp_xmt").asText()).isEqualTo("2016-10-15T08:51:52.500000000Z");
    }

    @Test
    void controlMessagesKeepTheirFlagsAndShortPacketsAreMalformed() {
        assertThat(decode(hex("1e 02 0001")).layer("ntp").get("ntp_flags_mode").asInt()).isEqualTo(6);
        Decoded d = decode(hex("23 00 06 ec"));
        assertThat(d.malformed()).contains("NTP");
        assertThat(d.layer("ntp").get("ntp_flags_mode").asInt()).isEqualTo(3);
    }

    /**
     * The reserved mode 0 is a standard message to Wireshark (dissect_ntp_std): its fields are shown as far as the
     * bytes go (here 10 bytes: up to the root delay), then the message is malformed.
     */
    @Test
    void reservedModeIsAStandardMessageShownAsFarAsItsBytesGo() {
        Decoded d = decode(hex("00 00 00 00 00000000 5858"));
        assertThat(d.layer("ntp").get("ntp_flags_mode").asInt()).isZero();
        assertThat(d.layer("ntp").get("ntp_stratum").asInt()).isZero();
        assertThat(d.layer("ntp").get("ntp_rootdelay").asInt()).isZero();
        assertThat(d.layer("ntp").get("ntp_rootdispersion")).isNull();
        assertThat(d.malformed()).contains("NTP packet");
        assertThat(d.expert()).isEqualTo("Malformed Packet (Exception occurred)");
    }

    /**
     * Wireshark 4.0's NTP era rule (ENC_TIME_NTP): seconds without the top bit are of era 1, from 2036-02-07T06:28:16Z,
     * and zero seconds with a fraction are not NULL but that era's start.
     */
    @Test
    void secondsWithoutTheTopBitAreOfEraOne() {
        byte[] ntp = hex("24 01 08 ec 00000000 00000041 47505373"
                + "00000000 80000000" + "dbac6ca7 f6d5a2c0" + "6b70caf9 b1a9f9d9" + "00000000 00000004");
        var d = decode(ntp).layer("ntp");
        assertThat(d.get("ntp_reftime").asText()).isEqualTo("2036-02-07T06:28:16.500000000Z");
        assertThat(d.get("ntp_rec").asText()).isEqualTo("2093-03-22T03:56:41.693999877Z");
        // A fraction under a nanosecond with zero seconds is still NULL, the epoch.
        assertThat(d.get("ntp_xmt").asText()).isEqualTo("1970-01-01T00:00:00.000000000Z");
    }

    /**
     * A private (mode 7) message has no leap indicator (its top bits are the response and more bits); an XNTPD
     * PEER_LIST_SUM response shows each peer's stratum and poll under the standard fields' names, as Wireshark does.
     */
    @Test
    void privateMessagesShowTheirPeersStratumAndPoll() {
        String peer = "7f000001 7f7f0100 007b 0a 06 0a ff 09 03" + "00".repeat(56);
        String other = "84c7b012 c0356767 007b 01 0a 08 ff 83 03" + "00".repeat(56);
        Decoded d = decode(hex("97 00 03 01 0002 0048" + peer + other));
        var ntp = d.layer("ntp");
        assertThat(ntp.get("ntp_flags_li")).isNull();
        assertThat(ntp.get("ntp_flags_mode").asInt()).isEqualTo(7);
        assertThat(ntp.get("ntp_stratum").get(0).asInt()).isEqualTo(10);
        assertThat(ntp.get("ntp_stratum").get(1).asInt()).isEqualTo(1);
        assertThat(ntp.get("ntp_ppoll").get(1).asInt()).isEqualTo(8);
        assertThat(d.malformed()).isNull();
        // The request holds no item; an item cut by the datagram's end is malformed, after the fields it holds.
        assertThat(decode(hex("17 00 03 01 0000 0000")).layer("ntp").get("ntp_stratum")).isNull();
        Decoded cut = decode(hex("97 00 03 01 0001 0048" + peer.substring(0, 40)));
        assertThat(cut.layer("ntp").get("ntp_stratum").asInt()).isEqualTo(10);
        assertThat(cut.malformed()).contains("NTP private message item");
    }
}
