package dev.sharkfin.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.capture.LiveCaptureException.Reason;

/** Defaults, bounds, the switch and the allow-list, without capturing anything. */
class LiveCapturesTest {
    @TempDir
    Path dir;

    static LiveCaptureProperties props(boolean enabled, List<String> allowed) {
        return new LiveCaptureProperties(enabled, allowed, 2, Duration.ofSeconds(10), Duration.ofMinutes(10),
                Duration.ofHours(24), 0, 1_000_000, DataSize.ofGigabytes(1), DataSize.ofGigabytes(16), 262144,
                DataSize.ofMegabytes(32), Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    static Reason reason(Runnable r) {
        try {
            r.run();
        } catch (LiveCaptureException e) {
            return e.reason();
        }
        throw new AssertionError("no LiveCaptureException");
    }

    @Test
    void aRequestWithoutLimitsGetsTheDefaults() {
        LiveCaptureSpec spec = new LiveCaptures(props(true, List.of())).spec("eth0", "  ", null, null, null, null, null);
        assertThat(spec).isEqualTo(new LiveCaptureSpec("eth0", null, 262144, false, 0, Duration.ofMinutes(10),
                DataSize.ofGigabytes(1).toBytes()));
    }

    @Test
    void limitsAreReadInEitherNotation() {
        LiveCaptures c = new LiveCaptures(props(true, List.of()));
        LiveCaptureSpec iso = c.spec("lo", "tcp", 128, true, 500L, "PT90S", "500MB");
        assertThat(iso.maxDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(iso.maxBytes()).isEqualTo(DataSize.ofMegabytes(500).toBytes());
        assertThat(iso.promiscuous()).isTrue();
        assertThat(c.spec("lo", null, null, null, null, "2h", "1048576").maxDuration()).isEqualTo(Duration.ofHours(2));
        assertThat(c.spec("lo", null, null, null, null, "2h", "1048576").maxBytes()).isEqualTo(1048576);
    }

    @Test
    void boundsAreEnforcedAndNamed() {
        LiveCaptures c = new LiveCaptures(props(true, List.of()));
        assertThatThrownBy(() -> c.spec("lo", null, null, null, 1_000_001L, null, null))
                .hasMessageContaining("sharkfin.capture.live.max-packets");
        assertThatThrownBy(() -> c.spec("lo", null, null, null, null, "25h", null))
                .hasMessageContaining("sharkfin.capture.live.max-duration");
        assertThatThrownBy(() -> c.spec("lo", null, null, null, null, "0s", null)).hasMessageContaining("'maxDuration'");
        assertThatThrownBy(() -> c.spec("lo", null, null, null, null, null, "17GB"))
                .hasMessageContaining("sharkfin.capture.live.max-bytes");
        assertThatThrownBy(() -> c.spec("lo", null, 63, null, null, null, null)).hasMessageContaining("'snaplen'");
        assertThatThrownBy(() -> c.spec(null, null, null, null, null, null, null)).hasMessageContaining("'interface' is required");
        assertThat(reason(() -> c.spec("lo", null, null, null, null, "whenever", null))).isEqualTo(Reason.BAD_REQUEST);
    }

    @Test
    void addressesAreWrittenAsPeopleWriteThem() throws Exception {
        assertThat(LiveCaptures.text(java.net.InetAddress.getByName("fd00:0:0:0:0:0:0:2"))).isEqualTo("fd00::2");
        assertThat(LiveCaptures.text(java.net.InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(LiveCaptures.text(java.net.InetAddress.getByName("fe80:0:0:0:fc:ff:fe00:1"))).isEqualTo("fe80::fc:ff:fe00:1");
        assertThat(LiveCaptures.text(java.net.InetAddress.getByName("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(LiveCaptures.text(java.net.InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(LiveCaptures.text(java.net.InetAddress.getByName("10.0.0.1"))).isEqualTo("10.0.0.1");
    }

    @Test
    void switchedOffRefusesEverything() {
        LiveCaptures c = new LiveCaptures(props(false, List.of()));
        assertThat(reason(c::interfaces)).isEqualTo(Reason.DISABLED);
        assertThat(reason(() -> c.spec("lo", null, null, null, null, null, null))).isEqualTo(Reason.DISABLED);
        assertThat(reason(() -> c.start("x", new LiveCaptureSpec("lo", null, 100, false, 0, Duration.ofSeconds(1), 4096),
                dir.resolve("x.pcapng")))).isEqualTo(Reason.DISABLED);
    }

    @Test
    void theAllowListFiltersAndRefuses() {
        LiveCaptures c = new LiveCaptures(props(true, List.of("lo")));
        assertThat(c.interfaces()).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
        assertThat(c.interfaces().get(0).loopback()).isTrue();
        assertThat(c.interfaces().get(0).addresses()).contains("127.0.0.1");

        LiveCaptures onlyOther = new LiveCaptures(props(true, List.of("nosuch0")));
        assertThat(onlyOther.interfaces()).isEmpty();
        LiveCaptureSpec lo = new LiveCaptureSpec("lo", null, 100, false, 0, Duration.ofSeconds(1), 4096);
        assertThat(reason(() -> onlyOther.start("x", lo, dir.resolve("x.pcapng")))).isEqualTo(Reason.NOT_ALLOWED);
        assertThat(onlyOther.placesLeft()).as("a refused start takes no place").isEqualTo(2);
        LiveCaptureSpec missing = new LiveCaptureSpec("nosuch1", null, 100, false, 0, Duration.ofSeconds(1), 4096);
        assertThat(reason(() -> c.start("x", missing, dir.resolve("x.pcapng")))).isEqualTo(Reason.UNKNOWN_INTERFACE);
    }
}
