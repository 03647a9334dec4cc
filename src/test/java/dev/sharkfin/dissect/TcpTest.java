package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpTest {
    private static Decoded decode(byte[] tcp) {
        return Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.1.1.1", "10.2.2.2", 6, tcp)));
    }

    @Test
    void headerFlagsAndBothPortsAsAnArray() {
        Decoded d = decode(tcp(51234, 80, 0xfffffff0L, 42, PSH | ACK, 501, new byte[0], new byte[100]));
        var tcp = d.layer("tcp");
        assertThat(tcp.get("tcp_srcport").asInt()).isEqualTo(51234);
        assertThat(tcp.get("tcp_port").toString()).isEqualTo("[51234,80]");
        assertThat(tcp.get("tcp_seq_raw").asLong()).isEqualTo(0xfffffff0L);
        assertThat(tcp.get("tcp_ack_raw").asLong()).isEqualTo(42);
        assertThat(tcp.get("tcp_len").asInt()).isEqualTo(100);
        assertThat(tcp.get("tcp_flags").asInt()).isEqualTo(0x18);
        assertThat(tcp.get("tcp_flags_push").asBoolean()).isTrue();
        assertThat(tcp.get("tcp_flags_syn").asBoolean()).isFalse();
        assertThat(tcp.get("tcp_window_size_value").asInt()).isEqualTo(501);

        TcpSegment s = d.packet().tcp(0);
        assertThat(d.packet().tcpCount()).isEqualTo(1);
        assertThat(s.seq).isEqualTo(0xfffffff0L);
        assertThat(s.payloadLength).isEqualTo(100);
        assertThat(s.addressLength).isEqualTo(4);
        assertThat(s.data[s.srcAddressOffset]).isEqualTo((byte) 10);
    }

    @Test
    void optionsReachTheSegmentAndTheDocument() {
        byte[] opts = hex("020405b4 0402 080a 00000064 000000c8 01 030307 0101 050a 00000010 00000020 00000000");
        // MSS 1460, SACK permitted, timestamps 100/200, NOP, window scale 7, NOP NOP, one SACK block, EOL padding
        Decoded d = decode(tcp(1, 2, 0, 0, SYN, 65535, opts, new byte[0]));
        var tcp = d.layer("tcp");
        assertThat(tcp.get("tcp_options_mss_val").asInt()).isEqualTo(1460);
        assertThat(tcp.get("tcp_options_wscale_shift").asInt()).isEqualTo(7);
        assertThat(tcp.get("tcp_options_wscale_multiplier").asInt()).isEqualTo(128);
        assertThat(tcp.get("tcp_options_sack_perm").asBoolean()).isTrue();
        assertThat(tcp.get("tcp_options_timestamp_tsval").asLong()).isEqualTo(100);
        TcpSegment s = d.packet().tcp(0);
        assertThat(s.mss).isEqualTo(1460);
        assertThat(s.windowScale).isEqualTo(7);
        assertThat(s.sackPermitted).isTrue();
        assertThat(s.hasTimestamps).isTrue();
        assertThat(s.tsecr).isEqualTo(200);
        assertThat(s.sackCount).isEqualTo(1);
        assertThat(s.sackLeft[0]).isEqualTo(0x10);
        assertThat(s.sackRight[0]).isEqualTo(0x20);
        assertThat(d.malformed()).isNull();
        // Every option kind in wire order, NOP and EOL included; a length per option that has one.
        assertThat(tcp.get("tcp_option_kind").toString()).isEqualTo("[2,4,8,1,3,1,1,5,0,0,0,0]");
        assertThat(tcp.get("tcp_option_len").toString()).isEqualTo("[4,2,10,3,10]");
        assertThat(tcp.get("tcp_options").asText().replace(":", ""))
                .isEqualTo("020405b40402080a00000064000000c8010303070101050a000000100000002000000000");
        assertThat(tcp.get("tcp_option_kind_eol")).isNull();
    }

    @Test
    void checksumStatusIsUnverifiedAndTheReservedBitsAreInTheFlags() {
        byte[] t = tcp(1, 2, 0, 0, ACK, 1, new byte[0], new byte[0]);
        t[12] |= 0x0e; // the three reserved bits
        var tcp = decode(t).layer("tcp");
        assertThat(tcp.get("tcp_checksum_status").asInt()).isEqualTo(2);
        assertThat(tcp.get("tcp_flags").asInt()).isEqualTo(0xe10);
    }

    /** Each chat hangs on its flag's item, so with every flag set they read in the flags' order: RST, SYN+ACK, FIN. */
    @Test
    void connectionChatsOfASegmentWithEveryFlagFollowTheFlagsOrder() {
        Decoded d = decode(tcp(6260, 40000, 0, 1, 0xff, 1, hex("020405b4"), new byte[0]));
        var experts = d.layer("_ws").get("_ws_expert_message");
        assertThat(experts.get(0).asText()).isEqualTo("Connection reset (RST)");
        assertThat(experts.get(1).asText()).isEqualTo("Connection establish acknowledge (SYN+ACK): server port 6260");
        assertThat(experts.get(2).asText()).isEqualTo("Connection finish (FIN)");
    }

    @Test
    void connectionChatsAndTheNonzeroAckWithoutTheAckFlag() {
        assertThat(decode(tcp(40000, 80, 0, 0, SYN, 1, hex("020405b4"), new byte[0])).expert())
                .isEqualTo("Connection establish request (SYN): server port 80");
        assertThat(decode(tcp(80, 40000, 0, 1, SYN | ACK, 1, hex("020405b4"), new byte[0])).expert())
                .isEqualTo("Connection establish acknowledge (SYN+ACK): server port 80");
        assertThat(decode(tcp(80, 40000, 0, 1, FIN | ACK, 1, new byte[0], new byte[0])).expert()).isEqualTo("Connection finish (FIN)");
        Decoded syn = decode(tcp(40000, 80, 0, 0, SYN, 1, hex("020405b4"), new byte[0]));
        assertThat(syn.layer("tcp").get("tcp_connection_syn").asBoolean()).isTrue();
        assertThat(syn.layer("tcp").get("tcp_connection_synack")).isNull();
        Decoded rst = decode(tcp(80, 40000, 0, 7, RST, 1, new byte[0], new byte[0]));
        assertThat(rst.layer("tcp").get("tcp_connection_rst").asBoolean()).isTrue();
        assertThat(rst.layer("_ws").get("_ws_expert_message").toString()).isEqualTo(
                "[\"The acknowledgment number field is nonzero while the ACK flag is not set\",\"Connection reset (RST)\"]");
        assertThat(decode(tcp(40000, 80, 0, 0, SYN, 1, hex("01010402"), new byte[0])).layer("_ws").get("_ws_expert_message").get(1)
                .asText()).isEqualTo("The SYN packet does not contain a MSS option");
    }

    /** Checked with tshark 4.0.17 on these bytes: a note in its words, the option unlisted, not malformed. */
    @Test
    void badOptionLengthIsNotedAndTheHeaderStays() {
        Decoded d = decode(tcp(1, 2, 0, 0, SYN, 1, hex("0209000000000000"), new byte[0]));
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("_ws").get("_ws_expert_message").get(1).asText())
                .isEqualTo("Maximum segment size (option length = 9 bytes says option goes past end of options)");
        assertThat(d.layer("tcp").get("tcp_option_kind")).isNull();
        assertThat(d.layer("tcp").get("tcp_srcport").asInt()).isEqualTo(1);
        assertThat(decode(tcp(1, 2, 0, 0, ACK, 1, hex("01010102"), new byte[0])).expert())
                .isEqualTo("Maximum segment size (length byte past end of options)");
        assertThat(decode(tcp(1, 2, 0, 0, ACK, 1, hex("3001 0000"), new byte[0])).expert())
                .isEqualTo("Unknown (0x30) (with too-short option length = 1 byte)");
    }

    /** Checked with tshark 4.0.17 on these bytes: the fields up to the header length, a note, not malformed. */
    @Test
    void headerLengthBelowTwentyIsNotedAsWiresharkDoes() {
        byte[] t = tcp(1, 2, 5, 7, SYN, 1, new byte[0], new byte[0]);
        t[12] = 0x40;
        Decoded d = decode(t);
        assertThat(d.malformed()).isNull();
        assertThat(d.expert()).isEqualTo("Bogus TCP header length (16, must be at least 20)");
        var tcp = d.layer("tcp");
        assertThat(tcp.get("tcp_hdr_len").asInt()).isEqualTo(16);
        assertThat(tcp.get("tcp_len").asInt()).isEqualTo(4);
        assertThat(tcp.get("tcp_seq_raw").asInt()).isEqualTo(5);
        assertThat(tcp.get("tcp_ack_raw")).isNull();
        assertThat(tcp.get("tcp_flags")).isNull();
    }

    /** After an EOL, tshark 4.0.17 lists each zero byte as another EOL and stops at the first that is not. */
    @Test
    void bytesAfterEndOfOptionsAreZerosOrNonZeroPadding() {
        Decoded d = decode(tcp(1, 2, 0, 0, ACK, 1, hex("0000000001000000ff004e00"), new byte[0]));
        assertThat(d.layer("tcp").get("tcp_option_kind").toString()).isEqualTo("[0,0,0,0]");
        assertThat(d.layer("tcp").get("tcp_option_len")).isNull();
        assertThat(d.expert()).isEqualTo("Non-zero header padding");
        assertThat(d.malformed()).isNull();
    }

    /** Options cut short by the capture: those captured are listed, as tshark does, and the frame is short. */
    @Test
    void optionsCutShortAreListedAsFarAsCaptured() {
        byte[] t = tcp(1, 2, 0, 0, ACK, 1, hex("1e28 3030 3030 3030 3030" + "00".repeat(30)), new byte[0]);
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, t);
        byte[] frame = ethernet("001122334455", "66778899aabb", 0x0800, ip);
        Decoded d = Decoded.of(Decoded.ETHERNET, java.util.Arrays.copyOf(frame, 64), 64, frame.length);
        assertThat(d.layer("tcp").get("tcp_option_kind").asInt()).isEqualTo(30);
        assertThat(d.layer("tcp").get("tcp_option_len").asInt()).isEqualTo(40);
        assertThat(d.packet().isTruncated()).isTrue();
        assertThat(d.malformed()).isNull();
    }

    /** A header cut short before its end: tshark shows the ports it has. */
    @Test
    void aHeaderCutShortShowsItsPorts() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, tcp(12336, 80, 0, 0, ACK, 1, new byte[0], new byte[0]));
        byte[] frame = java.util.Arrays.copyOf(ethernet("001122334455", "66778899aabb", 0x0800, ip), 14 + 20 + 6);
        Decoded d = Decoded.of(Decoded.ETHERNET, frame);
        assertThat(d.layer("tcp").get("tcp_srcport").asInt()).isEqualTo(12336);
        assertThat(d.layer("tcp").get("tcp_seq_raw")).isNull();
    }

    @Test
    void headerLengthBeyondThePayloadIsMalformed() {
        byte[] t = tcp(1, 2, 0, 0, ACK, 1, new byte[0], new byte[0]);
        t[12] = (byte) 0xf0; // 60-byte header in a 20-byte segment
        assertThat(decode(t).malformed()).contains("TCP header length 60");
    }

    @Test
    void fourNopsInARowWithinFourByteWordsAreNotedAsInWireshark40() {
        String nop = "4 NOP in a row - a router may have removed some options";
        // NOP NOP timestamps, a 22-byte option (kind 30), NOP NOP: the last two are off a 4-byte boundary and count on
        Decoded d = decode(tcp(80, 40000, 1, 1, ACK, 1, hex("0101080a0000000100000002" + "1e16" + "00".repeat(20) + "0101"),
                new byte[0]));
        assertThat(d.expert()).isEqualTo(nop);
        assertThat(d.layer("_ws").get("_ws_expert_message").isArray()).isFalse(); // once, not per further NOP
        assertThat(decode(tcp(80, 40000, 1, 1, ACK, 1, hex("0101080a0000000100000002"), new byte[0])).expert()).isNull();
        // NOP NOP timestamps NOP NOP SACK: the third NOP is on a 4-byte boundary and starts the count over
        byte[] sack = hex("0101080a0000000100000002" + "0101050a0000000100000002");
        assertThat(decode(tcp(80, 40000, 1, 1, ACK, 1, sack, new byte[0])).expert()).isNull();
        // twelve NOPs: counted up to the fourth, then never four again
        Decoded nops = decode(tcp(80, 40000, 1, 1, ACK, 1, hex("01".repeat(12)), new byte[0]));
        assertThat(nops.layer("_ws").get("_ws_expert_message").asText()).isEqualTo(nop);
    }
}
