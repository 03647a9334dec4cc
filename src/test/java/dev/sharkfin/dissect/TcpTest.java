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
        byte[] opts = hex("020405b4 0402 080a 00000064 000000c8 01 030307 0101 050a 00000010 00000020 0000");
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
    }

    @Test
    void badOptionLengthIsMalformedAndTheHeaderStays() {
        Decoded d = decode(tcp(1, 2, 0, 0, SYN, 1, hex("0209000000000000"), new byte[0]));
        assertThat(d.malformed()).contains("TCP option 2");
        assertThat(d.layer("tcp").get("tcp_srcport").asInt()).isEqualTo(1);
    }

    @Test
    void headerLengthBeyondThePayloadIsMalformed() {
        byte[] t = tcp(1, 2, 0, 0, ACK, 1, new byte[0], new byte[0]);
        t[12] = (byte) 0xf0; // 60-byte header in a 20-byte segment
        assertThat(decode(t).malformed()).contains("TCP header length 60");
    }
}
