package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** IEEE 802.11 as Wireshark 4.0 reads it: each frame type's header, the A-Control, management elements. */
class WlanTest {
    private static final int WLAN = 105;
    private static final String ADDRESSES = "020000000001 020000000002 020000000003";
    /** A beacon's header (no flags) and fixed parameters (timestamp, interval, capabilities). */
    private static final byte[] BEACON = hex("8000 0000 " + ADDRESSES + " 0000  0000000000000000 6400 0104");
    /** A reassociation response's header and fixed parameters (capabilities, status, association id). */
    private static final byte[] REASSOCIATION_RESPONSE = hex("3000 0000 " + ADDRESSES + " 0000  0104 0000 01c0");

    static List<String> experts(Decoded d) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < d.packet().expertCount(); i++) {
            all.add(d.packet().expert(i));
        }
        return all;
    }

    static String protocols(Decoded d) {
        return d.layer("frame").get("frame_protocols").asText();
    }

    @Test
    void anAcknowledgementIsTenBytesAfterRadiotapWithItsFcs() {
        byte[] radiotap = hex("00 00 0c00 02000000 10 00 0000"); // flags present: FCS at end
        Decoded d = Decoded.of(127, concat(radiotap, hex("d400 0000 90a4dec0460a"), hex("2731633c")));
        assertThat(d.malformed()).isNull();
        assertThat(d.expert()).isNull();
        assertThat(d.layer("wlan").get("wlan_fc_type_subtype").asInt()).isEqualTo(0x1d);
        assertThat(d.layer("wlan").get("wlan_ra").asText()).isEqualTo("90:a4:de:c0:46:0a");
        assertThat(d.layer("wlan").has("wlan_ta")).isFalse();
    }

    @Test
    void controlFramesHaveTheirSubtypesLength() {
        assertThat(Decoded.of(WLAN, hex("b400 0000 020000000001 020000000002")).malformed()).isNull(); // RTS: 16
        assertThat(Decoded.of(WLAN, hex("b400 0000 020000000001 0200000000")).malformed()).contains("802.11 header");
        assertThat(Decoded.of(WLAN, hex("c400 0000 0200000000")).malformed()).contains("802.11 header"); // CTS: 10
    }

    @Test
    void aFirstAControlSubfieldOfAnUnknownIdIsAnInvalidControlWord() {
        byte[] qosHtc = hex("8881 0000 " + ADDRESSES + " 0000 0000 ffffffff"); // to DS, +HTC; HE variant, control id 15
        Decoded d = Decoded.of(WLAN, concat(qosHtc, hex("aaaa03 000000 0800"), ipv4("10.0.0.1", "10.0.0.2", 17,
                udp(1000, 2000, new byte[1]))));
        assertThat(experts(d)).containsExactly(Wlan.INVALID_CONTROL_WORD);
        assertThat(d.malformed()).isNull();
        assertThat(protocols(d)).isEqualTo("wlan:llc:ip:udp:data");
        // Control id 4 (UL power headroom) is one Wireshark knows.
        Decoded known = Decoded.of(WLAN, concat(hex("8881 0000 " + ADDRESSES + " 0000 0000 13000000"), hex("aaaa03 000000 0800"),
                ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[1]))));
        assertThat(known.expert()).isNull();
    }

    @Test
    void rsnCountsTooLargeAreFlaggedThenTheCapabilitiesRunPastTheElement() {
        // RSN of 11 bytes, all 0x30: pairwise count 12336 with 3 bytes left, AKM count 12336 with 1, no room for
        // the 2-byte capabilities.
        byte[] rsn = concat(hex("30 0b"), hex("3030 30303030 3030 3030 30"));
        Decoded d = Decoded.of(WLAN, concat(BEACON, rsn, hex("00 00")));
        assertThat(experts(d)).containsExactly("Pairwise Cipher Suite Count too large, 4*12336 > 3",
                "Auth Key Management (AKM) Suite Count too large, 4*12336 > 1", Dissector.MALFORMED_EXPERT);
        assertThat(d.layer("_ws").get("_ws_malformed").asBoolean()).isTrue();
    }

    @Test
    void anRsnCountCutToTheElementEndsItQuietlyAndTheNextElementIsRead() {
        // 48 bytes: the pairwise count (12336) is cut to the 10 suites that fit, which end the element; the next
        // element is cut by the snapshot length: short, not malformed.
        byte[] rsn = concat(hex("30 30"), hex("0100 000fac04 3030"), new byte[40]);
        byte[] frame = concat(REASSOCIATION_RESPONSE, rsn, hex("30 30 0100"));
        Decoded d = Decoded.of(WLAN, frame, frame.length, frame.length + 100);
        assertThat(experts(d)).containsExactly("Pairwise Cipher Suite Count too large, 4*12336 > 40");
        assertThat(d.layer("_ws").get("_ws_malformed").asBoolean()).isTrue(); // the expert's malformed group
        assertThat(d.layer("_ws").get("_ws_short").asBoolean()).isTrue();
        assertThat(d.packet().malformedReason()).isNull(); // no exception
    }

    @Test
    void anElementCutByTheSnapshotLengthIsShortBeforeItsChecks() {
        // The counts are there, the suites are not: Wireshark wants the whole value first, so no count expert.
        byte[] frame = concat(REASSOCIATION_RESPONSE, hex("30 30"), hex("3030 30303030 3030 30"));
        Decoded d = Decoded.of(WLAN, frame, frame.length, frame.length + 100);
        assertThat(d.expert()).isNull();
        assertThat(d.layer("_ws").has("_ws_malformed")).isFalse();
        assertThat(d.layer("_ws").get("_ws_short").asBoolean()).isTrue();
    }

    @Test
    void aWellFormedRsnHasNoExpert() {
        byte[] rsn = hex("30 14 0100 000fac04 0100 000fac04 0100 000fac02 0000");
        Decoded d = Decoded.of(WLAN, concat(BEACON, hex("0004 74657374"), rsn));
        assertThat(d.expert()).isNull();
        assertThat(d.malformed()).isNull();
    }

    @Test
    void aVhtOperationOfAnotherLengthThanFiveIsFlaggedThenAnElementLongerThanTheFrameFails() {
        byte[] associationRequest = hex("0010 0000 " + ADDRESSES + " 0000  0421 0000");
        Decoded d = Decoded.of(WLAN, concat(associationRequest, hex("c0 01 01"), hex("01 96")));
        assertThat(experts(d)).containsExactly("VHT Operation IE length 1 wrong, must be = 5", WlanManagement.TAG_TOO_LONG,
                Dissector.MALFORMED_EXPERT);
        assertThat(d.malformed()).contains("802.11 element");
    }

    @Test
    void anAssociationRequestNeedsAnElementAProbeRequestDoesNot() {
        assertThat(Decoded.of(WLAN, hex("0000 0000 " + ADDRESSES + " 0000  0421 0000")).malformed()).contains("802.11 element");
        assertThat(Decoded.of(WLAN, hex("4000 0000 " + ADDRESSES + " 0000")).malformed()).isNull();
    }

    /** A header cut short shows its duration and first address as far as they go, all addresses once 24 bytes are. */
    @Test
    void aCutHeaderShowsItsFieldsAsFarAsTheBytesGo() {
        Decoded tenBytes = Decoded.of(WLAN, hex("3030 3030 303030303030"), 10, 100);
        assertThat(tenBytes.layer("wlan").get("wlan_duration").asInt()).isEqualTo(12336);
        assertThat(tenBytes.layer("wlan").get("wlan_ra").asText()).isEqualTo("30:30:30:30:30:30");
        assertThat(tenBytes.layer("wlan").has("wlan_seq")).isFalse();
        assertThat(tenBytes.layer("_ws").get("_ws_short").asBoolean()).isTrue();
        Decoded retry = Decoded.of(WLAN, hex("0008 3000 11"));
        assertThat(retry.layer("wlan").get("wlan_duration").asInt()).isEqualTo(48);
        assertThat(retry.layer("wlan").has("wlan_ra")).isFalse();
        assertThat(experts(retry)).containsExactly(Wlan.RETRANSMISSION, Dissector.MALFORMED_EXPERT);
        Decoded noHtControl = Decoded.of(WLAN, hex("0080 3000 " + ADDRESSES + " 1000 00"));
        assertThat(noHtControl.layer("wlan").get("wlan_ta").asText()).isEqualTo("02:00:00:00:00:02");
        assertThat(noHtControl.layer("wlan").get("wlan_seq").asInt()).isEqualTo(1);
        Decoded noQosControl = Decoded.of(WLAN, hex("8801 3000 " + ADDRESSES + " 1000 00"));
        assertThat(noQosControl.layer("wlan").has("wlan_fc_type_subtype")).isFalse();
        assertThat(noQosControl.layer("wlan").has("wlan_ra")).isFalse();
    }

    @Test
    void aProtectedManagementFrameNeedsItsSecurityHeader() {
        assertThat(Decoded.of(WLAN, hex("0040 0000 " + ADDRESSES + " 5310")).malformed()).contains("security header");
        assertThat(Decoded.of(WLAN, hex("0040 0000 " + ADDRESSES + " 5310 00000020")).malformed()).isNull();
    }

    @Test
    void protocolVersionTwoIsDataThenMalformedOrShortWhenCut() {
        byte[] frame = hex("0208 0000 00028ad8de9a");
        Decoded d = Decoded.of(WLAN, frame);
        assertThat(protocols(d)).isEqualTo("wlan:data");
        assertThat(experts(d)).containsExactly(Dissector.MALFORMED_EXPERT);
        Decoded cut = Decoded.of(WLAN, frame, frame.length, 100);
        assertThat(protocols(cut)).isEqualTo("wlan");
        assertThat(cut.malformed()).isNull();
        assertThat(cut.layer("_ws").get("_ws_short").asBoolean()).isTrue();
    }

    @Test
    void aPv1QosDataFrameIsItsTwelveByteHeader() {
        Decoded d = Decoded.of(WLAN, hex("0108 0075000b8524 e890 0002 000b8524e89f 5400 aaaa"));
        assertThat(protocols(d)).isEqualTo("wlan");
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("wlan").get("wlan_ra").asText()).isEqualTo("00:75:00:0b:85:24");
        assertThat(d.layer("wlan").get("wlan_seq").asInt()).isEqualTo(32);
        Decoded cut = Decoded.of(WLAN, hex("0108 0075000b8524 e890 00"));
        assertThat(cut.malformed()).contains("PV1");
        assertThat(cut.layer("wlan").get("wlan_ra").asText()).isEqualTo("00:75:00:0b:85:24");
        assertThat(cut.layer("wlan").has("wlan_seq")).isFalse();
    }

    /** The SID's A3 and A4 bits add a third and a fourth address after the sequence control. */
    @Test
    void aPv1SidNamesItsFurtherAddresses() {
        Decoded d = Decoded.of(WLAN, hex("0108 111111111111 0060 1000 333333333333 444444444444"));
        assertThat(d.layer("wlan").get("wlan_addr").toString())
                .isEqualTo("[\"11:11:11:11:11:11\",\"33:33:33:33:33:33\",\"44:44:44:44:44:44\"]");
        assertThat(d.malformed()).isNull();
        assertThat(Decoded.of(WLAN, hex("0108 111111111111 0020 1000 333333")).malformed()).contains("PV1");
    }
}
