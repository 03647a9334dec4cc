package dev.sharkfin.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharkfinTest {
    @Test
    void aStreamKeyIsMadeOncePerStreamAndACaptureWithoutSourceIsItsJob() {
        Sharkfin s = new Sharkfin("j", null);
        assertThat(s.capture()).isEqualTo("j");
        assertThat(s.streamKey(200)).isSameAs(s.streamKey(200)).isEqualTo("j/200");
        assertThat(s.streamKey(3)).isEqualTo("j/3");
    }

    /** A capture of millions of streams keeps a bounded cache: two streams sharing a slot each get their own key. */
    @Test
    void streamKeysStayRightWhenNewerStreamsTakeTheirCacheSlot() {
        Sharkfin s = new Sharkfin("j", "x.pcap");
        int clash = 7 + Sharkfin.CACHED_KEYS;
        assertThat(s.streamKey(7)).isEqualTo("j/7");
        assertThat(s.streamKey(clash)).isEqualTo("j/" + clash);
        assertThat(s.streamKey(7)).isEqualTo("j/7");
        assertThat(s.streamKey(0)).isEqualTo("j/0");
        for (int stream = 0; stream < 3 * Sharkfin.CACHED_KEYS; stream++) {
            assertThat(s.streamKey(stream)).isEqualTo("j/" + stream);
        }
    }
}
