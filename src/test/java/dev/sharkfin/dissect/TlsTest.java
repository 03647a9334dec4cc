package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TlsTest {
    private static Decoded segment(int sport, int dport, byte[] payload) {
        return Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800,
                ipv4("10.0.0.1", "10.0.0.2", 6, tcp(sport, dport, 1, 1, PSH | ACK, 1000, new byte[0], payload))));
    }

    private static byte[] ext(int type, byte[] data) {
        return concat(u16(type), u16(data.length), data);
    }

    private static byte[] record(int type, byte[] body) {
        return concat(new byte[] {(byte) type, 3, 1}, u16(body.length), body);
    }

    private static byte[] handshake(int type, byte[] body) {
        return concat(new byte[] {(byte) type, 0}, u16(body.length), body);
    }

    static byte[] clientHello() {
        byte[] host = "example.com".getBytes(StandardCharsets.US_ASCII);
        byte[] sni = concat(u16(host.length + 3), new byte[] {0}, u16(host.length), host);
        byte[] alpn = concat(u16(12), new byte[] {2}, "h2".getBytes(StandardCharsets.US_ASCII),
                new byte[] {8}, "http/1.1".getBytes(StandardCharsets.US_ASCII));
        byte[] versions = hex("04 0304 0303");
        byte[] exts = concat(ext(0, sni), ext(16, alpn), ext(43, versions));
        byte[] body = concat(hex("0303"), new byte[32], new byte[] {0}, u16(4), hex("1301 c02f"), hex("0100"),
                u16(exts.length), exts);
        return record(22, handshake(1, body));
    }

    @Test
    void clientHelloSniCipherSuitesAlpnAndVersions() {
        Decoded d = segment(51000, 443, clientHello());
        var tls = d.layer("tls");
        assertThat(tls.get("tls_record_content_type").asInt()).isEqualTo(22);
        assertThat(tls.get("tls_record_version").asInt()).isEqualTo(0x0301);
        assertThat(tls.get("tls_handshake_type").asInt()).isEqualTo(1);
        assertThat(tls.get("tls_handshake_version").asInt()).isEqualTo(0x0303);
        assertThat(tls.get("tls_handshake_ciphersuite").toString()).isEqualTo("[4865,49199]");
        assertThat(tls.get("tls_handshake_extensions_server_name").asText()).isEqualTo("example.com");
        assertThat(tls.get("tls_handshake_extensions_alpn_str").toString()).isEqualTo("[\"h2\",\"http/1.1\"]");
        assertThat(tls.get("tls_handshake_extensions_supported_version").toString()).isEqualTo("[772,771]");
        assertThat(d.malformed()).isNull();
    }

    @Test
    void serverHelloChosenVersionAndCipherThenMoreRecordsAsArrays() {
        byte[] exts = ext(43, hex("0304"));
        byte[] body = concat(hex("0303"), new byte[32], new byte[] {0}, hex("1302"), new byte[] {0}, u16(exts.length), exts);
        byte[] segment = concat(record(22, handshake(2, body)), record(20, hex("01")), record(23, new byte[40]));
        var tls = segment(443, 51000, segment).layer("tls");
        // The ServerHello selected TLS 1.3: the protected record's type is its opaque type, as Wireshark shows it.
        assertThat(tls.get("tls_record_content_type").toString()).isEqualTo("[22,20]");
        assertThat(tls.get("tls_record_opaque_type").asInt()).isEqualTo(23);
        assertThat(tls.get("tls_record_length").size()).isEqualTo(3);
        assertThat(tls.get("tls_handshake_type").asInt()).isEqualTo(2);
        assertThat(tls.get("tls_handshake_ciphersuite").asInt()).isEqualTo(0x1302);
        assertThat(tls.get("tls_handshake_extensions_supported_version").asInt()).isEqualTo(0x0304);
    }

    @Test
    void helloListsGroupsPointFormatsSignatureSchemesAndKeyShares() {
        byte[] exts = concat(ext(10, hex("0006 001d 0017 0018")), ext(11, hex("02 00 01")), ext(13, hex("0004 0804 0403")),
                ext(51, hex("000a 001d 0002 abcd 0017 0002 ef01")));
        byte[] body = concat(hex("0303"), new byte[32], hex("02 aabb"), u16(2), hex("1301"), hex("02 0100"), u16(exts.length), exts);
        var tls = segment(51000, 443, record(22, handshake(1, body))).layer("tls");
        assertThat(tls.get("tls_handshake_session_id_length").asInt()).isEqualTo(2);
        assertThat(tls.get("tls_handshake_session_id").asText().replace(":", "")).isEqualTo("aabb");
        assertThat(tls.get("tls_handshake_random").asText().replace(":", "")).isEqualTo("00".repeat(32));
        assertThat(tls.get("tls_handshake_comp_method").toString()).isEqualTo("[1,0]");
        assertThat(tls.get("tls_handshake_extensions_length").asInt()).isEqualTo(exts.length);
        assertThat(tls.get("tls_handshake_extension_len").toString()).isEqualTo("[8,3,6,14]");
        assertThat(tls.get("tls_handshake_extensions_supported_group").toString()).isEqualTo("[29,23,24]");
        assertThat(tls.get("tls_handshake_extensions_ec_point_format").toString()).isEqualTo("[0,1]");
        assertThat(tls.get("tls_handshake_sig_hash_alg").toString()).isEqualTo("[2052,1027]");
        assertThat(tls.get("tls_handshake_extensions_key_share_group").toString()).isEqualTo("[29,23]");

        byte[] serverExts = ext(51, hex("001d 0002 abcd"));
        byte[] server = concat(hex("0303"), new byte[32], new byte[] {0}, hex("1301"), new byte[] {0}, u16(serverExts.length), serverExts);
        var reply = segment(443, 51000, record(22, handshake(2, server))).layer("tls");
        assertThat(reply.get("tls_handshake_comp_method").asInt()).isZero();
        assertThat(reply.get("tls_handshake_extensions_key_share_group").asInt()).isEqualTo(29);
    }

    @Test
    void ja3LeavesGreaseOutAndJa3sIsTsharks() {
        byte[] exts = concat(ext(0x2a2a, new byte[0]), ext(10, hex("0004 3a3a 001d")), ext(11, hex("01 00")), ext(23, new byte[0]));
        byte[] body = concat(hex("0303"), new byte[32], new byte[] {0}, u16(6), hex("0a0a 1301 c02f"), hex("0100"), u16(exts.length), exts);
        var tls = segment(51000, 443, record(22, handshake(1, body))).layer("tls");
        assertThat(tls.get("tls_handshake_ja3_full").asText()).isEqualTo("771,4865-49199,10-11-23,29,0");
        assertThat(tls.get("tls_handshake_ja3").asText()).hasSize(32);
        // zeek_tls-tls1.2.pcap's ServerHello: tshark 4.0 gives this JA3S.
        byte[] serverExts = ext(0xff01, hex("00"));
        byte[] server = concat(hex("0303"), new byte[32], new byte[] {0}, hex("0004"), new byte[] {0}, u16(serverExts.length), serverExts);
        var reply = segment(443, 51000, record(22, handshake(2, server))).layer("tls");
        assertThat(reply.get("tls_handshake_ja3s_full").asText()).isEqualTo("771,4,65281");
        assertThat(reply.get("tls_handshake_ja3s").asText()).isEqualTo("c253ec3ad88e42f8da4032682892f9a0");
        assertThat(reply.get("tls_handshake_ja3")).isNull();
    }

    @Test
    void applicationDataRightAfterChangeCipherSpecIsTls13() {
        var tls = segment(51000, 443, concat(record(20, hex("01")), record(23, new byte[53]))).layer("tls");
        assertThat(tls.get("tls_record_content_type").asInt()).isEqualTo(20);
        assertThat(tls.get("tls_record_opaque_type").asInt()).isEqualTo(23);
        // Alone, application data says nothing of its version.
        assertThat(segment(51000, 443, record(23, new byte[20])).layer("tls").get("tls_record_content_type").asInt()).isEqualTo(23);
    }

    @Test
    void handshakeAfterChangeCipherSpecIsEncrypted() {
        byte[] segment = concat(record(20, hex("01")), record(22, hex("0100000fdeadbeef")));
        var tls = segment(443, 51000, segment).layer("tls");
        assertThat(tls.get("tls_record_content_type").toString()).isEqualTo("[20,22]");
        assertThat(tls.get("tls_handshake_type")).isNull();
    }

    @Test
    void recordCutByTheSegmentEndIsDecodedAsFarAsItGoes() {
        byte[] hello = clientHello();
        byte[] cut = java.util.Arrays.copyOf(hello, 60); // the SNI is not in these bytes yet
        var tls = segment(51000, 443, cut).layer("tls");
        assertThat(tls.get("tls_record_length").asInt()).isEqualTo(hello.length - 5);
        assertThat(tls.get("tls_handshake_type").asInt()).isEqualTo(1);
        assertThat(tls.get("tls_handshake_ciphersuite").toString()).isEqualTo("[4865,49199]");
        assertThat(tls.get("tls_handshake_extensions_server_name")).isNull();
    }

    @Test
    void continuationSegmentAddsNothing() {
        assertThat(segment(443, 51000, new byte[] {(byte) 0x9a, 0x11, 0x22, 0x33, 0x44, 0x55}).layer("tls")).isNull();
    }

    @Test
    void heuristicOnOtherPortsNeedsAHandshakeOrApplicationDataRecord() {
        assertThat(segment(51000, 4433, clientHello()).layer("tls").get("tls_handshake_extensions_server_name").asText())
                .isEqualTo("example.com");
        assertThat(segment(51000, 4433, record(21, hex("0230"))).layer("tls")).isNull();
    }

    @Test
    void sslv2ClientHello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(hex("0100020003 0000 0010 0700c0 " + "00112233445566778899aabbccddeeff"));
        byte[] msg = b.toByteArray();
        byte[] record = concat(new byte[] {(byte) 0x80, (byte) msg.length}, msg);
        var tls = segment(51000, 443, record).layer("tls");
        assertThat(tls.get("tls_record_version").asInt()).isEqualTo(2);
        assertThat(tls.get("tls_handshake_type").asInt()).isEqualTo(1);
        assertThat(tls.get("tls_handshake_version").asInt()).isEqualTo(2);
        assertThat(tls.get("tls_handshake_session_id_length").asInt()).isZero();
    }
}
