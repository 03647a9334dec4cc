package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.tcp.ConversationEvictions;
import dev.sharkfin.tcp.ConversationLimits;

class TcpStatePropertiesTest {

    @Test
    void boundsThatCouldNotHoldOneConversationAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new TcpStateProperties(10, Duration.ZERO, Duration.ZERO, DataSize.ofKilobytes(100)))
                .hasMessageContaining("sharkfin.tcp.max-unacked-state").hasMessageContaining("480000");
        assertThatThrownBy(() -> new TcpStateProperties(0, Duration.ZERO, Duration.ZERO, DataSize.ofMegabytes(1)))
                .hasMessageContaining("sharkfin.tcp.max-conversations");
        assertThat(new TcpStateProperties(1, Duration.ZERO, Duration.ZERO,
                DataSize.ofBytes(ConversationLimits.MIN_UNACKED_BYTES)).limits().maxUnackedBytes())
                .isEqualTo(ConversationLimits.MIN_UNACKED_BYTES);
    }

    @Test
    void theDefaultsAreTheAnalysisDefaults() {
        assertThat(TcpStateProperties.DEFAULTS.limits()).isEqualTo(ConversationLimits.DEFAULT);
    }

    @Test
    void theWarningCountsEachRuleWithItsPropertyAndNothingWhenNothingWasEvicted() {
        TcpStateProperties p = TcpStateProperties.DEFAULTS;
        assertThat(p.warning(ConversationEvictions.NONE)).isNull();
        String w = p.warning(new ConversationEvictions(3, 0, 1_934_464, 0));
        assertThat(w).startsWith("TCP conversation state was bounded: 1934467 conversations were forgotten (3 closed")
                .contains("3 closed, quiet for sharkfin.tcp.closed-grace=4m, at a cap", "1934464 least recently seen at sharkfin.tcp.max-conversations=65536",
                        "new tcp.stream")
                .doesNotContain("idle-timeout", "max-unacked-state");
    }
}
