package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** At most so many restarts within any window. */
class RestartBudgetTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void grantsUpToTheMaximumWithinTheWindowThenRefuses() {
        RestartBudget b = new RestartBudget(2, Duration.ofMinutes(10));
        assertThat(b.take(T0)).isTrue();
        assertThat(b.take(T0.plusSeconds(60))).isTrue();
        assertThat(b.take(T0.plusSeconds(120))).isFalse();
        assertThat(b.take(T0.plusSeconds(600))).as("the first is exactly a window old: still counted").isFalse();
        assertThat(b.take(T0.plusSeconds(601))).as("the first left the window").isTrue();
        assertThat(b.take(T0.plusSeconds(602))).isFalse();
    }

    @Test
    void aRefusalIsNotCounted() {
        RestartBudget b = new RestartBudget(1, Duration.ofSeconds(10));
        assertThat(b.take(T0)).isTrue();
        for (int i = 1; i <= 10; i++) {
            assertThat(b.take(T0.plusSeconds(i))).isFalse();
        }
        assertThat(b.take(T0.plusSeconds(11))).isTrue();
    }

    @Test
    void noneAllowedRefusesAtOnce() {
        assertThat(new RestartBudget(0, Duration.ofMinutes(10)).take(T0)).isFalse();
    }
}
