package dev.sharkfin.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * A flow's frames hash alike whatever way they travel: both directions, bare or behind VLAN tags, an MPLS label stack
 * or a PPPoE session (tcpreplay_test.pcap has an echo request over MPLS whose reply comes bare: on two workers the
 * reply lost its icmp.resp_to until MPLS was followed).
 */
class FlowAffinityTest {
    private static final HexFormat HEX = HexFormat.of();
    /** An IPv4 header, ICMP, 192.168.10.1 → 192.168.40.1, and 8 bytes of echo request. */
    private static final String REQUEST = "4500001c0019000040010000c0a80a01c0a828010800f7fa00050000";
    private static final String REPLY = "4500001c0019000040010000c0a82801c0a80a010000fffa00050000";
    private static final String MACS = "c203633e0000c205634d0000";

    @Test
    void bothDirectionsHashAlikeAndOtherPairsApart() {
        int request = hash(MACS + "0800" + REQUEST);
        assertThat(request).isNotZero().isEqualTo(hash(MACS + "0800" + REPLY));
        assertThat(hash(MACS + "0800" + REQUEST.replace("c0a80a01", "c0a80a02"))).isNotEqualTo(request);
    }

    @Test
    void anMplsLabelStackIsFollowedToItsIpHeader() {
        int bare = hash(MACS + "0800" + REPLY);
        assertThat(hash(MACS + "8847" + "00010140" + REQUEST)).as("one label, bottom of stack").isEqualTo(bare);
        assertThat(hash(MACS + "8847" + "00010040" + "00020140" + REQUEST)).as("two labels").isEqualTo(bare);
        assertThat(hash(MACS + "8847" + "00010040")).as("no bottom of stack").isZero();
    }

    @Test
    void vlanTagsAndPppoeSessionsAreFollowed() {
        int bare = hash(MACS + "0800" + REQUEST);
        assertThat(hash(MACS + "8100" + "0064" + "0800" + REQUEST)).isEqualTo(bare);
        assertThat(hash(MACS + "8864" + "1100000100" + "1e" + "0021" + REQUEST)).isEqualTo(bare);
        assertThat(hash(MACS + "0806" + "0001080006040001")).as("ARP: no address pair").isZero();
    }

    private static int hash(String hex) {
        byte[] frame = HEX.parseHex(hex);
        return FlowAffinity.hash(frame, frame.length, 1);
    }
}
