package dev.sharkfin.normalize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.Frame;

/** Captures held in memory, for the tests and benchmarks of ParallelDocuments. */
public final class Frames {
    public static final Path CAPTURES = Path.of("src/test/resources/captures");

    /** A frame held in memory. */
    public record F(long time, long wire, byte[] data, int captured, int original, int linkType, boolean outOfRange) {
    }

    private Frames() {
    }

    public static List<F> read(Path capture) {
        List<F> frames = new ArrayList<>();
        try (CaptureFileSource source = new CaptureFileSource(capture)) {
            Frame f = new Frame();
            while (source.next(f)) {
                byte[] data = f.data == null ? null : Arrays.copyOf(f.data, f.capturedLength);
                frames.add(new F(f.timeNanos, f.wireNanos, data, f.capturedLength, f.originalLength, f.linkType, f.timeOutOfRange));
            }
        }
        return frames;
    }

    /**
     * {@code copies} copies (at most 256) of the project's four captures, copy k on its own addresses (10.99.k.x,
     * fd00:99:k::x) and shifted by k milliseconds, merged in time order: many conversations whose frames interleave.
     */
    public static List<F> interleaved(int copies) {
        List<F> all = new ArrayList<>();
        for (String name : List.of("lossy-bulk-ipv4.pcap", "lossy-bulk-ipv6.pcap", "zero-window.pcap", "mixed-small.pcap")) {
            List<F> frames = read(CAPTURES.resolve(name));
            long start = frames.getFirst().wire();
            for (int k = 0; k < copies; k++) {
                long shift = k * 1_000_000L - start + 1_700_000_000_000_000_000L;
                for (F f : frames) {
                    all.add(new F(f.time() + shift, f.wire() + shift, readdress(f.data(), k), f.captured(), f.original(),
                            f.linkType(), false));
                }
            }
        }
        all.sort(Comparator.comparingLong(F::wire)); // stable: copies and files keep their order at equal times
        return all;
    }

    /** The frame with 10.99.0.x → 10.99.k.x and fd00:99::x → fd00:99:k::x (Ethernet, IPv4 and IPv6 headers only). */
    private static byte[] readdress(byte[] data, int k) {
        byte[] d = data.clone();
        int type = (d[12] & 0xff) << 8 | d[13] & 0xff;
        if (type == 0x0800) {
            d[28] = (byte) k;
            d[32] = (byte) k;
        } else if (type == 0x86dd && d[22] == (byte) 0xfd && d[38] == (byte) 0xfd) {
            d[22 + 5] = (byte) k;
            d[38 + 5] = (byte) k;
        }
        return d;
    }
}
