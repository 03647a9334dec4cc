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
}
