package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MacsecTest {
    private static final String DST = "3e6ff374237c", SRC = "2eb73f3995c3";
    /** A SecTAG with an SCI: TCI/AN, short length, packet number 68, system identifier, port 1. */
    private static final String SECTAG = "00 4400000044 2eb73f3995c3 0001";
    private static final byte[] ICV = hex("deba93240fad9a4c3b74722f7470752b");
    private static final byte[] UDP = ipv4("192.0.2.1", "192.0.2.2", 17, udp(4053, 4054, hex("31323334")));

    /** An Ethernet frame carrying a SecTAG whose first byte is {@code tciAn}, then {@code rest}. */
    private static byte[] macsec(int tciAn, byte[] rest) {
        byte[] secTag = hex(SECTAG);
        secTag[0] = (byte) tciAn;
        return ethernet(DST, SRC, 0x88e5, concat(secTag, rest));
    }

    private static String protocols(Decoded d) {
        return d.layer("frame").get("frame_protocols").asText();
    }

    @Test
    void integrityOnlyPayloadIsDecodedAndWhatItLeavesIsTheIcv() {
        Decoded d = Decoded.of(Decoded.ETHERNET, macsec(0x20, concat(u16(0x0800), UDP, ICV)));
        var m = d.layer("macsec");
        assertThat(protocols(d)).isEqualTo("eth:ethertype:macsec:ethertype:ip:udp:data");
        assertThat(m.get("macsec_TCI").asInt()).isEqualTo(0x08); // the six high bits, shifted as Wireshark's mask
        assertThat(m.get("macsec_TCI_SC").asBoolean()).isTrue();
        assertThat(m.get("macsec_TCI_E").asBoolean()).isFalse();
        assertThat(m.get("macsec_AN").asInt()).isZero();
        assertThat(m.get("macsec_SL").asInt()).isEqualTo(0x44); // shown, not used
        assertThat(m.get("macsec_PN").asLong()).isEqualTo(68);
        assertThat(m.get("macsec_SCI_system_identifier").asText()).isEqualTo("2e:b7:3f:39:95:c3");
        assertThat(m.get("macsec_SCI_port_identifier").asInt()).isEqualTo(1);
        assertThat(m.get("macsec_etype").asInt()).isEqualTo(0x0800);
        assertThat(m.get("macsec_ICV").asText()).isEqualTo("de:ba:93:24:0f:ad:9a:4c:3b:74:72:2f:74:70:75:2b");
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(4);
        assertThat(d.doc().get("_ws")).isNull();
    }

    /** Without the SC bit the SecTAG is 6 bytes, without an SCI; the other bits change nothing. */
    @Test
    void noSciWithoutTheScBit() {
        byte[] f = ethernet(DST, SRC, 0x88e5, concat(hex("53 00 fffffffe"), u16(0x0800), UDP, ICV)); // ES, SCB, AN 3
        var m = Decoded.of(Decoded.ETHERNET, f).layer("macsec");
        assertThat(m.get("macsec_TCI").asInt()).isEqualTo(0x14);
        assertThat(m.get("macsec_TCI_ES").asBoolean()).isTrue();
        assertThat(m.get("macsec_TCI_SCB").asBoolean()).isTrue();
        assertThat(m.get("macsec_AN").asInt()).isEqualTo(3);
        assertThat(m.get("macsec_PN").asLong()).isEqualTo(0xfffffffeL);
        assertThat(m.get("macsec_SCI_system_identifier")).isNull();
        assertThat(m.get("macsec_etype").asInt()).isEqualTo(0x0800);
        assertThat(m.get("macsec_ICV")).isNotNull();
    }

    /** The E or C bit: no ethertype, data up to the last 16 captured bytes, the ICV (Wireshark 4.0 decrypts nothing). */
    @Test
    void encryptedOrChangedFrameIsDataThenTheIcv() {
        Decoded changed = Decoded.of(Decoded.ETHERNET, macsec(0x24, concat(u16(0x0800), UDP, ICV)));
        assertThat(protocols(changed)).isEqualTo("eth:ethertype:macsec:data");
        assertThat(changed.layer("macsec").get("macsec_TCI_C").asBoolean()).isTrue();
        assertThat(changed.layer("macsec").get("macsec_etype")).isNull();
        assertThat(changed.layer("macsec").get("macsec_ICV").asText()).startsWith("de:ba:93");
        assertThat(changed.layer("data").get("data_len").asInt()).isEqualTo(2 + UDP.length);

        byte[] f = macsec(0x2c, concat(u16(0x0800), UDP, ICV));
        Decoded cut = Decoded.of(Decoded.ETHERNET, f, 50, f.length); // 36 bytes after Ethernet captured
        assertThat(cut.layer("data").get("data_len").asInt()).isEqualTo(36 - 14 - 16);
        assertThat(cut.layer("macsec").get("macsec_ICV").asText()).isEqualTo("12:34:40:00:40:11:00:00:c0:00:02:01:c0:00:02:02"); // bytes 34 to 50
        assertThat(cut.doc().get("_ws")).isNull();
    }

    /** Wireshark's MACsec declines a version bit or a payload no longer than SecTAG and ICV: the ethertype's data. */
    @Test
    void otherVersionOrTooShortIsData() {
        Decoded version = Decoded.of(Decoded.ETHERNET, macsec(0xa0, concat(u16(0x0800), UDP, ICV)));
        assertThat(protocols(version)).isEqualTo("eth:ethertype:data");
        assertThat(version.layer("macsec")).isNull();

        byte[] f = macsec(0x20, concat(u16(0x0800), UDP, ICV));
        Decoded cut = Decoded.of(Decoded.ETHERNET, f, 44, f.length); // exactly SecTAG and ICV captured
        assertThat(protocols(cut)).isEqualTo("eth:ethertype:data");
        assertThat(cut.layer("data").get("data_len").asInt()).isEqualTo(30);
        assertThat(cut.doc().get("_ws")).isNull();
    }

    @Test
    void noSecTagAtAllIsMalformed() {
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x88e5, new byte[0]));
        assertThat(protocols(d)).isEqualTo("eth:ethertype:macsec");
        assertThat(d.malformed()).contains("MACsec");
    }

    /** An IPv4 total length past the frame takes the ICV's bytes too (Wireshark leaves them in the payload): no ICV. */
    @Test
    void ipv4LongerThanTheFrameLeavesNoIcv() {
        byte[] ip = ipv4("192.0.2.1", "192.0.2.2", 253, new byte[64]);
        Decoded d = Decoded.of(Decoded.ETHERNET, macsec(0x20, concat(u16(0x0800), java.util.Arrays.copyOf(ip, 40), ICV)));
        assertThat(d.layer("macsec").get("macsec_ICV")).isNull();
        assertThat(d.expert()).isEqualTo("IPv4 total length exceeds packet length (56 bytes)");
    }

    /** The ICV is checked as an Ethernet trailer: a padding of zeros is not part of it; other padding is, with the note. */
    @Test
    void paddingBeforeTheIcv() {
        byte[] ip = ipv4("192.0.2.1", "192.0.2.2", 253, new byte[0]); // 50-byte frame up to its end, 64 with the trailer
        Decoded zeros = Decoded.of(Decoded.ETHERNET, macsec(0x20, concat(u16(0x0800), ip, new byte[10], hex("01020304"))));
        assertThat(zeros.layer("macsec").get("macsec_ICV").asText()).isEqualTo("01:02:03:04");
        assertThat(zeros.expert()).isNull();

        Decoded ones = Decoded.of(Decoded.ETHERNET, macsec(0x20, concat(u16(0x0800), ip, hex("0101010101010101010101010101"))));
        assertThat(ones.layer("macsec").get("macsec_ICV").asText()).hasSize(14 * 3 - 1);
        assertThat(ones.expert()).isEqualTo(Ethernet.PADDING_BAD);
    }

    /** A snaplen cut inside the ICV shows its captured part; nothing is read past it. */
    @Test
    void icvCutByTheSnaplen() {
        byte[] f = macsec(0x20, concat(u16(0x0800), UDP, ICV));
        Decoded d = Decoded.of(Decoded.ETHERNET, f, f.length - 6, f.length);
        assertThat(d.layer("macsec").get("macsec_ICV").asText()).isEqualTo("de:ba:93:24:0f:ad:9a:4c:3b:74");
        assertThat(d.doc().get("_ws")).isNull();
    }
}
