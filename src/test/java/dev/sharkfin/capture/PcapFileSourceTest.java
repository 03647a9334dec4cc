package dev.sharkfin.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileSourceTest {
    /** A little-endian microsecond pcap of Ethernet frames, each (seconds, microseconds, 14 bytes). */
    private static byte[] pcap(long[][] stamps) {
        ByteBuffer b = ByteBuffer.allocate(24 + stamps.length * (16 + 14)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (long[] s : stamps) {
            b.putInt((int) s[0]).putInt((int) s[1]).putInt(14).putInt(14).put(new byte[14]);
        }
        return b.array();
    }

    /** A fraction of a second out of range (Wireshark's frame.time_invalid) ends the reading with a warning, not an exception. */
    @Test
    void aTimestampWhoseFractionIsOutOfRangeEndsTheReadingWithAWarning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad-usec.pcap");
        Files.write(file, pcap(new long[][] {{1_700_000_000L, 5}, {1_700_000_001L, 2_000_000}}));
        try (PcapFileSource source = new PcapFileSource(file, CaptureFormat.PCAP)) {
            Frame frame = new Frame();
            assertThat(source.next(frame)).isTrue();
            assertThat(frame.timeNanos).isEqualTo(1_700_000_000_000_005_000L);
            assertThat(source.next(frame)).isFalse();
            assertThat(source.warning()).contains("timestamp is invalid");
        }
    }
}
