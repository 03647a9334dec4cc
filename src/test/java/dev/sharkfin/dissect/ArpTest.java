package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArpTest {
    private static final String DST = "ff:ff:ff:ff:ff:ff", SRC = "00:1f:29:da:2d:79";

    /** An ARP request: hardware type, protocol type, sizes 6 and 4, opcode 1, then the four addresses. */
    private static byte[] arp(String hwType, String protoType) {
        return ethernet(DST, SRC, 0x0806, hex(hwType + protoType + "0604" + "0001" + "001f29da2d79" + "c0a80168"
                + "000000000000" + "c0a80101"));
    }

    /** An Ethernet/IPv4 ARP message of {@code opcode} with the given sender and target pairs (hex). */
    private static byte[] arp(int opcode, String senderMac, String senderIp, String targetMac, String targetIp) {
        return ethernet(DST, SRC, 0x0806, hex("0001" + "0800" + "0604" + "%04x".formatted(opcode) + senderMac + senderIp
                + targetMac + targetIp));
    }

    /** The expert messages of each frame, dissected in order by one dissector (as one capture). */
    private static java.util.List<java.util.List<String>> experts(byte[]... frames) {
        Dissector dissector = new Dissector();
        Packet p = new Packet();
        java.util.List<java.util.List<String>> all = new java.util.ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            p.reset(i + 1, i * 1_000_000_000L, frames[i], frames[i].length, frames[i].length, Decoded.ETHERNET);
            dissector.dissect(p);
            java.util.List<String> experts = new java.util.ArrayList<>();
            for (int e = 0; e < p.expertCount(); e++) {
                experts.add(p.expert(e));
            }
            all.add(experts);
        }
        return all;
    }

    /** Wireshark's ARP cuts its payload to its own length: padding that is not zeros before a trailer is noted. */
    @Test
    void paddingAfterTheArpMessageIsCheckedAsAfterAnIpDatagram() {
        byte[] bad = concat(arp("0001", "0800"), hex("00000000" + "8a" + "00".repeat(13)));
        assertThat(bad).hasSize(60);
        assertThat(Decoded.of(Decoded.ETHERNET, bad).expert()).isEqualTo(Ethernet.PADDING_BAD);
        assertThat(Decoded.of(Decoded.ETHERNET, concat(arp("0001", "0800"), new byte[18])).expert()).isNull();
    }

    /** Addresses past the frame's end: Wireshark throws (its malformed expert), before any trailer check. */
    @Test
    void addressesPastTheFrameAreMalformedWithWiresharksExpert() {
        byte[] f = concat(arp("0001", "0800"), hex("01" + "00".repeat(17)));
        f[14 + 4] = (byte) 134; // hardware size 134
        Decoded d = Decoded.of(Decoded.ETHERNET, f);
        assertThat(d.malformed()).contains("ARP addresses");
        assertThat(d.doc().get("_ws").get("_ws_expert_message").asText()).isEqualTo("Malformed Packet (Exception occurred)");
    }

    /** As Wireshark, an address of size 0 has no field (not an empty byte string). */
    @Test
    void addressesOfSizeZeroHaveNoField() {
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet(DST, SRC, 0x0806, hex("0001" + "0800" + "0004" + "0001"
                + "c0a80168" + "c0a80101" + "00".repeat(20))));
        assertThat(d.layer("arp").get("arp_src_hw")).isNull();
        assertThat(d.layer("arp").get("arp_dst_hw")).isNull();
        assertThat(d.layer("arp").get("arp_src_proto_ipv4").asText()).isEqualTo("192.168.1.104");
    }

    /** packet-arp.c's duplicate address detection: the first MAC address an IP address came with is kept. */
    @Test
    void anIpAddressAnnouncedByASecondMacAddressIsADuplicate() {
        String a = "001f29da2d79", b = "001f29da6d79", ip = "c0a80168", gw = "c0a80101", zero = "000000000000";
        var experts = experts(arp(1, a, ip, zero, gw), arp(1, a, ip, zero, gw), arp(1, b, ip, zero, gw),
                arp(1, b, ip, zero, gw), arp(1, a, ip, zero, gw));
        String dup = "Duplicate IP address configured (192.168.1.104)";
        assertThat(experts).containsExactly(java.util.List.of(), java.util.List.of(), java.util.List.of(dup),
                java.util.List.of(dup), java.util.List.of());
    }

    /** The target's pair counts in a reply, not in a request; group and all-zero MACs and 0.0.0.0 never count. */
    @Test
    void aReplysTargetIsCheckedButNotARequestsNorGroupOrZeroAddresses() {
        String a = "001f29da2d79", b = "001f29da6d79", ip = "c0a80168", gw = "c0a80101", gwMac = "00000c000001";
        String dup = "Duplicate IP address configured (192.168.1.104)";
        assertThat(experts(arp(1, a, ip, gwMac, gw), arp(1, gwMac, gw, b, ip)).get(1)).isEmpty();
        assertThat(experts(arp(1, a, ip, gwMac, gw), arp(2, gwMac, gw, b, ip)).get(1)).containsExactly(dup);
        assertThat(experts(arp(1, a, ip, gwMac, gw), arp(1, "011f29da6d79", ip, gwMac, gw)).get(1)).isEmpty();
        assertThat(experts(arp(1, a, "00000000", gwMac, gw), arp(1, b, "00000000", gwMac, gw)).get(1)).isEmpty();
    }

    @Test
    void ethernetAndIpv4AddressesByTheirNames() {
        Decoded d = Decoded.of(Decoded.ETHERNET, arp("0001", "0800"));
        assertThat(d.layer("arp").get("arp_src_hw_mac").asText()).isEqualTo(SRC);
        assertThat(d.layer("arp").get("arp_src_proto_ipv4").asText()).isEqualTo("192.168.1.104");
        assertThat(d.layer("arp").get("arp_dst_proto_ipv4").asText()).isEqualTo("192.168.1.1");
    }

    /** As Wireshark: the address kind is known by the type and the size both, not by the size alone. */
    @Test
    void sixAndFourByteAddressesOfOtherTypesAreByteStrings() {
        Decoded d = Decoded.of(Decoded.ETHERNET, arp("0025", "9200"));
        assertThat(d.layer("arp").get("arp_src_hw_mac")).isNull();
        assertThat(d.layer("arp").get("arp_src_hw").asText().replace(":", "")).isEqualTo("001f29da2d79");
        assertThat(d.layer("arp").get("arp_dst_hw").asText().replace(":", "")).isEqualTo("000000000000");
        assertThat(d.layer("arp").get("arp_src_proto_ipv4")).isNull();
        assertThat(d.layer("arp").get("arp_src_proto").asText().replace(":", "")).isEqualTo("c0a80168");
        assertThat(d.layer("arp").get("arp_dst_proto").asText().replace(":", "")).isEqualTo("c0a80101");
    }

    /** Hardware type 19 (ATM, RFC 2225) is ATMARP, whose header Wireshark decodes as such: no ARP fields. */
    @Test
    void atmArpIsNotDecodedAsArp() {
        // 12-byte header: sender ATM number of 6, no subaddresses, protocol addresses of 4: 32 bytes in all.
        byte[] atm = hex("0013 0800 06 00 0001 04 00 00 04" + "0102030405 06" + "0a000001" + "0a000002");
        Decoded d = Decoded.of(Decoded.ETHERNET, concat(ethernet(DST, SRC, 0x0806, atm), new byte[14]));
        assertThat(d.layer("arp").get("arp_hw_type")).isNull();
        assertThat(d.layer("arp").get("arp_src_hw_mac")).isNull();
        assertThat(d.malformed()).isNull();
        assertThat(d.expert()).isNull();
    }

    /** ATMARP lengths past the frame: Wireshark's ATMARP throws (malformed), an ARP-looking message included. */
    @Test
    void atmArpAddressesPastTheFrameAreMalformed() {
        Decoded d = Decoded.of(Decoded.ETHERNET, concat(arp("0013", "0800"), new byte[18]));
        assertThat(d.malformed()).contains("ATMARP addresses");
        assertThat(d.expert()).isEqualTo("Malformed Packet (Exception occurred)");
    }

    /** AX.25 ARP goes to a dissector of its own, which Wireshark lists as arp again (eth:ethertype:arp:arp). */
    @Test
    void ax25ArpIsListedTwice() {
        Decoded d = Decoded.of(Decoded.ETHERNET, concat(arp("0003", "0800"), new byte[18]));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:arp:arp");
        assertThat(d.layer("arp").get("arp_src_hw").asText().replace(":", "")).isEqualTo("001f29da2d79");
    }
}
