package dev.sharkfin.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class CaptureStoreTest {
    static final byte[] PCAP_LE = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 0, 0};

    @TempDir
    Path dir;

    private CaptureStore store(long max) {
        return new CaptureStore(new CaptureProperties(dir, DataSize.ofBytes(max), DataSize.ofMegabytes(1), false));
    }

    @Test
    void recognisesEveryMagic() {
        assertThat(CaptureFormat.detect(new byte[] {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4}, 4)).isEqualTo(CaptureFormat.PCAP);
        assertThat(CaptureFormat.detect(PCAP_LE, 4)).isEqualTo(CaptureFormat.PCAP);
        assertThat(CaptureFormat.detect(new byte[] {(byte) 0xa1, (byte) 0xb2, 0x3c, 0x4d}, 4)).isEqualTo(CaptureFormat.PCAP_NANO);
        assertThat(CaptureFormat.detect(new byte[] {0x4d, 0x3c, (byte) 0xb2, (byte) 0xa1}, 4)).isEqualTo(CaptureFormat.PCAP_NANO);
        assertThat(CaptureFormat.detect(new byte[] {0x0a, 0x0d, 0x0d, 0x0a}, 4)).isEqualTo(CaptureFormat.PCAPNG);
        assertThat(CaptureFormat.detect("GET /".getBytes(), 4)).isNull();
        assertThat(CaptureFormat.detect(PCAP_LE, 3)).isNull();
    }

    @Test
    void plainCaptureIsStoredAsIs() throws IOException {
        StoredCapture c = store(1000).store("a", new ByteArrayInputStream(PCAP_LE));
        assertThat(c.format()).isEqualTo(CaptureFormat.PCAP);
        assertThat(c.gzip()).isFalse();
        assertThat(Files.readAllBytes(c.path())).isEqualTo(PCAP_LE);
    }

    @Test
    void gzipIsDecompressedOnTheWay() throws IOException {
        StoredCapture c = store(1000).store("b", new ByteArrayInputStream(gzip(PCAP_LE)));
        assertThat(c.gzip()).isTrue();
        assertThat(c.size()).isEqualTo(PCAP_LE.length);
        assertThat(Files.readAllBytes(c.path())).isEqualTo(PCAP_LE);
    }

    @Test
    void cutShortGzipKeepsWhatDecompressedAndSaysSo() throws IOException {
        byte[] big = new byte[200_000];
        System.arraycopy(PCAP_LE, 0, big, 0, PCAP_LE.length);
        for (int i = PCAP_LE.length; i < big.length; i++) {
            big[i] = (byte) (i * 31 + i / 7);
        }
        byte[] gz = gzip(big);
        StoredCapture c = new CaptureStore(new CaptureProperties(dir, DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), false))
                .store("c", new ByteArrayInputStream(Arrays.copyOf(gz, gz.length / 2)));
        assertThat(c.warning()).contains("gzip stream");
        assertThat(c.size()).isPositive().isLessThan(big.length);
    }

    @Test
    void emptyUnknownAndTooLargeAreRejectedWithTheirReason() {
        assertThatThrownBy(() -> store(1000).store("d", new ByteArrayInputStream(new byte[0])))
                .isInstanceOfSatisfying(CaptureRejectedException.class, e -> assertThat(e.reason()).isEqualTo(CaptureRejectedException.Reason.EMPTY));
        assertThatThrownBy(() -> store(1000).store("e", new ByteArrayInputStream("hello world".getBytes())))
                .isInstanceOfSatisfying(CaptureRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CaptureRejectedException.Reason.UNSUPPORTED_FORMAT);
                    assertThat(e.getMessage()).contains("68656c6c").contains("pcapng");
                });
        assertThatThrownBy(() -> store(10).store("f", new ByteArrayInputStream(PCAP_LE)))
                .isInstanceOfSatisfying(CaptureRejectedException.class, e -> assertThat(e.reason()).isEqualTo(CaptureRejectedException.Reason.TOO_LARGE));
        assertThat(dir.resolve("f.pcap")).doesNotExist();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void aGzipStreamCutShortInItsHeaderIsRefusedAsSuch() {
        assertThatThrownBy(() -> store(1000).store("g", new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b})))
                .isInstanceOfSatisfying(CaptureRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CaptureRejectedException.Reason.UNSUPPORTED_FORMAT);
                    assertThat(e.getMessage()).contains("gzip stream cut short").contains("header");
                });
    }

    /** A disk that shrinks as the store writes: free = what it had less what was written. */
    private static final class ShrinkingDisk extends DiskSpace {
        final long initial;
        final Path dir;

        ShrinkingDisk(long initial, Path dir) {
            this.initial = initial;
            this.dir = dir;
        }

        @Override
        public long usable(Path ignored) {
            try (var files = Files.list(dir)) {
                return initial - files.mapToLong(f -> f.toFile().length()).sum();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void theDiskReserveIsKeptWhileAGzipStreamInflates() throws IOException {
        long reserve = 10L << 20;
        CaptureStore store = new CaptureStore(new CaptureProperties(dir, DataSize.ofMegabytes(1), DataSize.ofGigabytes(1), false),
                new ShrinkingDisk(reserve + (3L << 20), dir), reserve);
        byte[] zeros = new byte[8 << 20];
        System.arraycopy(PCAP_LE, 0, zeros, 0, PCAP_LE.length);
        assertThatThrownBy(() -> store.store("h", new ByteArrayInputStream(gzip(zeros))))
                .isInstanceOfSatisfying(CaptureRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CaptureRejectedException.Reason.NO_SPACE);
                    assertThat(e.getMessage()).contains("sharkfin.capture.min-free-disk").contains("filled up");
                });
        try (var files = Files.list(dir)) {
            assertThat(files).as("the refused upload's file is deleted").isEmpty();
        }
        // Before a byte is read: a declared length that does not fit with the reserve left over.
        assertThatThrownBy(() -> store.checkRoom(4L << 20))
                .isInstanceOfSatisfying(CaptureRejectedException.class, e -> assertThat(e.reason()).isEqualTo(CaptureRejectedException.Reason.NO_SPACE));
        store.checkRoom(2L << 20);
        store.checkRoom(-1);
    }
}
