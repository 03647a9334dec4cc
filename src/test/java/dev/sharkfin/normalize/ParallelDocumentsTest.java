package dev.sharkfin.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.CaptureReadException;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.dissect.FlowAffinity;
import dev.sharkfin.it.Integration;
import dev.sharkfin.it.SharedCaptures;

/**
 * Several flow-affine workers write exactly the documents one {@link PacketDocuments} writes, byte for byte and in the
 * same order: for the project's captures, and for one of many interleaved flows made from them.
 */
class ParallelDocumentsTest {
    private static final Path CAPTURES = Path.of("src/test/resources/captures");

    /** A frame held in memory. */
    record F(long time, long wire, byte[] data, int captured, int original, int linkType, boolean outOfRange) {
    }

    @Test
    void theProjectsCapturesGiveTheSameDocumentsOnOneTwoAndFourWorkers() throws IOException {
        List<Path> captures;
        try (Stream<Path> files = Files.list(CAPTURES)) {
            captures = files.filter(f -> f.toString().endsWith(".pcap")).sorted().toList();
        }
        assertThat(captures).hasSizeGreaterThanOrEqualTo(4);
        for (Path capture : captures) {
            List<F> frames = read(capture);
            List<byte[]> expected = oneThread(frames);
            for (int workers : new int[] {1, 2, 4}) {
                assertSame(capture.getFileName() + " on " + workers + " workers", expected, parallel(frames, workers));
            }
        }
    }

    /**
     * 24 copies of the project's captures, each on its own addresses (10.99.k.x, fd00:99:k::x) and shifted by k
     * milliseconds, merged in time order: hundreds of conversations whose frames interleave, TCP and UDP, spread over
     * the workers; stream numbers given out across all of them, as one thread does.
     */
    @Test
    void manyInterleavedFlowsGiveTheSameDocumentsOnOneTwoAndFourWorkers() throws IOException {
        List<F> frames = interleaved(24);
        assertThat(frames).hasSizeGreaterThan(20_000);
        List<byte[]> expected = oneThread(frames);
        Set<Integer> used = new HashSet<>();
        for (F f : frames) {
            used.add(Math.floorMod(FlowAffinity.hash(f.data(), f.captured(), f.linkType()), 4));
        }
        assertThat(used).as("the frames reach every one of 4 workers").hasSize(4);
        String last = new String(expected.getLast());
        assertThat(expected.stream().map(String::new).filter(d -> d.contains("\"tcp_stream\":" + (24 * 4 - 1) + ",")))
                .as("the last copy's last TCP conversation is stream %d", 24 * 4 - 1).isNotEmpty();
        assertThat(last).isNotEmpty();
        for (int workers : new int[] {1, 2, 4}) {
            assertSame("interleaved on " + workers + " workers", expected, parallel(frames, workers));
        }
    }

    @Test
    void aFrameWithoutBytesCostsOnlyThatFrame() throws IOException {
        List<F> frames = new ArrayList<>(read(CAPTURES.resolve("mixed-small.pcap")));
        F broken = frames.get(5);
        frames.set(5, new F(broken.time(), broken.wire(), null, broken.captured(), broken.original(), broken.linkType(), false));
        List<byte[]> expected = oneThread(frames);
        assertThat(new String(expected.get(5))).contains(PacketDocuments.DISSECTOR_ERROR);
        List<RuntimeException> errors = new ArrayList<>();
        List<byte[]> documents = new ArrayList<>();
        try (ParallelDocuments p = new ParallelDocuments(2, "test", (n, json, length, error) -> {
            documents.add(Arrays.copyOf(json, length));
            if (error != null) {
                errors.add(error);
            }
        })) {
            write(p, frames);
            p.finish();
        }
        assertSame("a broken frame on 2 workers", expected, documents);
        assertThat(errors).hasSize(1);
    }

    @Test
    void anOutputThatThrowsStopsEveryStageAndTheReaderGetsItsException() throws IOException {
        List<F> frames = interleaved(4);
        IllegalStateException boom = new IllegalStateException("sink broke");
        ParallelDocuments p = new ParallelDocuments(2, "test", (n, json, length, error) -> {
            if (n == 700) {
                throw boom;
            }
        });
        assertThatThrownBy(() -> {
            write(p, frames);
            p.finish();
        }).isSameAs(boom);
        p.close();
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .noneMatch(name -> name.startsWith("test-worker") || name.equals("test-merge"));
    }

    @Test
    @Integration
    void theSharedCorpusGivesTheSameDocumentsOnTwoWorkers() throws IOException {
        List<String> differing = new ArrayList<>();
        long compared = 0;
        for (String folder : List.of("tcp", "protocols", "malformed")) {
            List<Path> captures;
            try (Stream<Path> files = Files.walk(SharedCaptures.require(folder))) {
                captures = files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(pcap|pcapng|cap)$"))
                        .sorted().toList();
            }
            for (Path capture : captures) {
                List<F> frames;
                try {
                    frames = read(capture);
                } catch (CaptureReadException unreadable) {
                    continue;
                }
                List<byte[]> expected = oneThread(frames);
                List<byte[]> actual = parallel(frames, 2);
                compared += frames.size();
                for (int i = 0; i < expected.size(); i++) {
                    if (!Arrays.equals(expected.get(i), actual.get(i))) {
                        differing.add(capture.getFileName() + " frame " + (i + 1));
                        break;
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(differing).as("captures whose documents differ on 2 workers (first frame)").isEmpty();
    }

    static List<F> read(Path capture) {
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

    /** {@code copies} copies of the project's captures on distinct addresses, interleaved in time (see above). */
    static List<F> interleaved(int copies) throws IOException {
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

    static List<byte[]> oneThread(List<F> frames) {
        PacketDocuments documents = new PacketDocuments();
        List<byte[]> out = new ArrayList<>(frames.size());
        long n = 0;
        for (F f : frames) {
            out.add(documents.write(++n, f.time(), f.wire(), f.data(), f.captured(), f.original(), f.linkType(),
                    f.outOfRange()).toByteArray());
        }
        return out;
    }

    static List<byte[]> parallel(List<F> frames, int workers) {
        List<byte[]> out = new ArrayList<>(frames.size());
        List<Long> numbers = new ArrayList<>(frames.size());
        try (ParallelDocuments p = new ParallelDocuments(workers, "test", (n, json, length, error) -> {
            numbers.add(n);
            out.add(Arrays.copyOf(json, length));
        })) {
            write(p, frames);
            p.finish();
        }
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isEqualTo(i + 1L);
        }
        return out;
    }

    private static void write(ParallelDocuments p, List<F> frames) {
        long n = 0;
        for (F f : frames) {
            p.write(++n, f.time(), f.wire(), f.data(), f.captured(), f.original(), f.linkType(), f.outOfRange());
        }
    }

    private static void assertSame(String what, List<byte[]> expected, List<byte[]> actual) {
        assertThat(actual).as(what + ": documents").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            if (!Arrays.equals(expected.get(i), actual.get(i))) {
                assertThat(new String(actual.get(i))).as(what + ": frame " + (i + 1)).isEqualTo(new String(expected.get(i)));
            }
        }
    }
}
