package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A timeline's interval: parsing, the automatic choice and the bounds that keep a request from overflowing. */
class TimelineIntervalTest {

    @Test
    void parsesEachUnit() {
        assertThat(TimelineInterval.parseMillis("100ms")).isEqualTo(100);
        assertThat(TimelineInterval.parseMillis("2s")).isEqualTo(2_000);
        assertThat(TimelineInterval.parseMillis("5m")).isEqualTo(300_000);
        assertThat(TimelineInterval.parseMillis("3h")).isEqualTo(10_800_000);
        assertThat(TimelineInterval.parseMillis("365d")).isEqualTo(TimelineInterval.MAX_INTERVAL_MILLIS);
    }

    @Test
    void refusesWhatIsNotAnIntervalOrTooLongOne() {
        for (String bad : new String[] {"fast", "", "1", "1w", "-1s", "1.5s", "0ms", "366d", "8761h",
                "9223372036854775808ms", "999999999999s", "1000000000000ms"}) {
            assertThatThrownBy(() -> TimelineInterval.parseMillis(bad)).as(bad).isInstanceOf(PacketStats.BadInterval.class);
        }
    }

    @Test
    void niceMillisIsTheSmallestOneTwoOrFiveTimesAPowerOfTenAtLeastTheValue() {
        assertThat(TimelineInterval.niceMillis(0)).isEqualTo(1);
        assertThat(TimelineInterval.niceMillis(1)).isEqualTo(1);
        assertThat(TimelineInterval.niceMillis(1.01)).isEqualTo(2);
        assertThat(TimelineInterval.niceMillis(3)).isEqualTo(5);
        assertThat(TimelineInterval.niceMillis(5.5)).isEqualTo(10);
        assertThat(TimelineInterval.niceMillis(199)).isEqualTo(200);
        assertThat(TimelineInterval.niceMillis(333.3)).isEqualTo(500);
        assertThat(TimelineInterval.niceMillis(50_000)).isEqualTo(50_000);
    }

    @Test
    void withoutARequestAboutThreeHundredPointsCoverTheStream() {
        TimelineInterval i = TimelineInterval.of(null, 60);
        assertThat(i.millis()).isEqualTo(200);
        assertThat(i.text()).isEqualTo("200ms");
        assertThat(60_000 / i.millis()).isBetween(120L, (long) TimelineInterval.AUTO_BUCKETS);
        assertThat(TimelineInterval.of("  ", 0).millis()).as("a one-packet stream").isEqualTo(1);
    }

    @Test
    void aRequestedIntervalIsKeptAsWrittenUnlessItMakesTooManyPoints() {
        TimelineInterval i = TimelineInterval.of("1s", 60);
        assertThat(i.text()).isEqualTo("1s");
        assertThat(i.millis()).isEqualTo(1_000);
        assertThat(TimelineInterval.of("1ms", 5).millis()).as("exactly 5000 points").isEqualTo(1);
        assertThatThrownBy(() -> TimelineInterval.of("1ms", 5.001)).isInstanceOf(PacketStats.BadInterval.class)
                .hasMessageContaining("more than 5000 points").hasMessageContaining("5.001 s");
    }

    @Test
    void bitsPerSecondScalesTheBytesOfOneInterval() {
        assertThat(new TimelineInterval("100ms", 100).bitsPerSecond(1_000)).isEqualTo(80_000.0);
        assertThat(new TimelineInterval("2s", 2_000).bitsPerSecond(1_000)).isEqualTo(4_000.0);
    }
}
