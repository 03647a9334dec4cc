package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** LINKTYPE_RAW as Wireshark's raw dissector reads it. */
class RawIpTest {
    private static final int RAW = 101;

    @Test
    void theVersionNibbleChoosesIpv4OrIpv6() {
        assertThat(Decoded.of(RAW, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[4])))
                .layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ip:udp:data");
        assertThat(Decoded.of(RAW, ipv6("2001:db8::1", "2001:db8::2", 59, new byte[0]))
                .layer("frame").get("frame_protocols").asText()).isEqualTo("raw:ipv6");
    }

    /** Another version is Wireshark's data, not a malformed packet. */
    @Test
    void anotherVersionIsData() {
        Decoded d = Decoded.of(RAW, hex("30 00 00 14 00000000 0000"));
        assertThat(d.layer("frame").get("frame_protocols").asText()).isEqualTo("raw:data");
        assertThat(d.malformed()).isNull();
        assertThat(d.layer("data").get("data_len").asInt()).isEqualTo(10);
    }

    /**
     * Wireshark reads 8 bytes of every raw frame (its PPP checks at bytes 0 and 6): one byte captured of a longer
     * frame is short ("Raw truncated"), a frame of one byte on the wire malformed.
     */
    @Test
    void fewerThanEightBytesAreShortOrMalformed() {
        Decoded cut = Decoded.of(RAW, hex("30"), 1, 1000); // heap-overflow-1.pcap's frame, in kind
        assertThat(cut.doc().get("_ws").get("_ws_short").asBoolean()).isTrue();
        assertThat(cut.malformed()).isNull();
        Decoded tiny = Decoded.of(RAW, hex("45"));
        assertThat(tiny.malformed()).contains("raw IP packet");
    }
}
