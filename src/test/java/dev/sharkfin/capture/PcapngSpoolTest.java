package dev.sharkfin.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's contract: readers see complete blocks only, wait while it grows, end when it closes. */
class PcapngSpoolTest {
    @TempDir
    Path dir;

    static byte[] packet(int n, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (n + i);
        }
        return b;
    }

    @Test
    void libpcapReadsTheSpoolWithNanosecondTimestamps() throws Exception {
        Path file = dir.resolve("s.pcapng");
        long t0 = 1_764_000_000_123_456_789L;
        try (PcapngSpool spool = new PcapngSpool(file, 1, 65535, "veth0", "udp port 9", 1 << 16)) {
            for (int i = 0; i < 100; i++) {
                spool.append(t0 + i * 1_001L, packet(i, 60 + i), 1500);
            }
        }
        Frame f = new Frame();
        int n = 0;
        try (PcapFileSource source = new PcapFileSource(file, CaptureFormat.PCAPNG)) {
            assertThat(source.linkType()).isEqualTo(1);
            while (source.next(f)) {
                assertThat(f.timeNanos).isEqualTo(t0 + n * 1_001L);
                assertThat(f.capturedLength).isEqualTo(60 + n);
                assertThat(f.originalLength).isEqualTo(1500);
                assertThat(f.data).isEqualTo(packet(n, 60 + n));
                n++;
            }
            assertThat(source.warning()).isNull();
        }
        assertThat(n).isEqualTo(100);
    }

    @Test
    void aFollowerSeesOnlyCommittedBlocksAndWaitsForMore() throws Exception {
        Path file = dir.resolve("f.pcapng");
        PcapngSpool spool = new PcapngSpool(file, 1, 65535, "lo", null, 1 << 16);
        PcapngReader reader = new PcapngReader(spool.follow(() -> false));
        Frame f = new Frame();
        spool.append(1_000, packet(1, 100), 100);
        long committedBefore = spool.committed();
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> reader.next(f));
        Thread.sleep(300);
        assertThat(first).as("nothing committed yet: the reader waits").isNotDone();
        assertThat(Files.size(file)).isEqualTo(committedBefore);
        spool.flush();
        assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.data).isEqualTo(packet(1, 100));
        assertThat(spool.committed()).isEqualTo(Files.size(file));

        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> reader.next(f));
        Thread.sleep(200);
        assertThat(second).isNotDone();
        spool.close();
        assertThat(second.get(5, TimeUnit.SECONDS)).as("closed: the end").isFalse();
        assertThat(reader.warning()).isNull();
        assertThat(reader.bytesRead()).isEqualTo(Files.size(file));
    }

    @Test
    void anAbandonedFollowerEndsAtOnce() throws Exception {
        Path file = dir.resolve("a.pcapng");
        AtomicBoolean abandon = new AtomicBoolean();
        try (PcapngSpool spool = new PcapngSpool(file, 1, 65535, "lo", null, 1 << 16)) {
            try (InputStream in = spool.follow(abandon::get)) {
                byte[] header = in.readNBytes((int) spool.committed());
                assertThat(header.length).isEqualTo(spool.committed());
                CompletableFuture<Integer> more = CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.read();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(200);
                assertThat(more).isNotDone();
                abandon.set(true);
                assertThat(more.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            }
        }
    }

    @Test
    void aBlockLargerThanTheBufferIsWrittenWhole() throws Exception {
        Path file = dir.resolve("big.pcapng");
        try (PcapngSpool spool = new PcapngSpool(file, 1, 262144, "lo", null, 1 << 16)) {
            long headers = spool.committed();
            spool.append(5, packet(3, 10), 10);
            spool.append(6, packet(4, 200_000), 200_000);
            spool.append(7, packet(5, 10), 10);
            assertThat(spool.size()).isEqualTo(headers + (32 + 12) + (32 + 200_000) + (32 + 12));
            assertThat(spool.committed()).as("nothing is committed before a flush").isEqualTo(headers);
        }
        PcapngReader reader = new PcapngReader(file);
        Frame f = new Frame();
        int[] lengths = new int[3];
        for (int i = 0; i < 3; i++) {
            assertThat(reader.next(f)).isTrue();
            lengths[i] = f.capturedLength;
        }
        assertThat(reader.next(f)).isFalse();
        assertThat(lengths).containsExactly(10, 200_000, 10);
    }
}
