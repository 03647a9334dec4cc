package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sharkfin.dissect.Ipv4;
import dev.sharkfin.dissect.Tcp;

/** The pure parts of reading the aggregations: endpoints, durations and the values taken from a packet's source. */
class StatsResultsTest {

    @Test
    void endpointsBracketIpv6AndOmitAMissingPort() {
        assertThat(StatsResults.endpoint("10.0.0.1", 80)).isEqualTo("10.0.0.1:80");
        assertThat(StatsResults.endpoint("2001:db8::1", 443)).isEqualTo("[2001:db8::1]:443");
        assertThat(StatsResults.endpoint("10.0.0.1", null)).isEqualTo("10.0.0.1");
        assertThat(StatsResults.endpoint(null, 80)).isNull();
    }

    @Test
    void firstPrefersTheFirstValueAndTheFirstOfAList() {
        assertThat(StatsResults.first("a", "b")).isEqualTo("a");
        assertThat(StatsResults.first(null, "b")).isEqualTo("b");
        assertThat(StatsResults.first(List.of("x", "y"), "b")).isEqualTo("x");
        assertThat(StatsResults.first(null, null)).isNull();
    }

    @Test
    void secondsBetweenTwoInstants() {
        assertThat(StatsResults.seconds("2024-01-01T00:00:00Z", "2024-01-01T00:00:01.250Z")).isEqualTo(1.25);
        assertThat(StatsResults.seconds(null, "2024-01-01T00:00:00Z")).isZero();
    }

    @Test
    void valuesAreReadOnlyWhenTheProtocolOccursOnce() {
        Map<String, Object> once = Map.of("ip", Map.of(Ipv4.SRC.key(), "10.0.0.1"), "tcp", Map.of(Tcp.SRCPORT.key(), 80));
        assertThat(StatsResults.value(once, Ipv4.SRC)).isEqualTo("10.0.0.1");
        assertThat(StatsResults.value(once, Tcp.SRCPORT)).isEqualTo(80);
        Map<String, Object> tunnel = Map.of("ip", List.of(Map.of(Ipv4.SRC.key(), "10.0.0.1"), Map.of(Ipv4.SRC.key(), "10.0.0.2")));
        assertThat(StatsResults.value(tunnel, Ipv4.SRC)).isNull();
    }
}
