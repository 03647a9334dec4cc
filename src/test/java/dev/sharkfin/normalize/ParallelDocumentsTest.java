package dev.sharkfin.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sharkfin.capture.CaptureReadException;
import dev.sharkfin.dissect.FlowAffinity;
import dev.sharkfin.dissect.Sharkfin;
import dev.sharkfin.it.Integration;
import dev.sharkfin.it.SharedCaptures;

/**
 * Several flow-affine workers write exactly the documents one {@link PacketDocuments} writes, byte for byte and in the
 * same order: for the project's captures, and for one of many interleaved flows made from them.
 */
class ParallelDocumentsTest {
    private static final Path CAPTURES = Frames.CAPTURES;

    @Test
    void theProjectsCapturesGiveTheSameDocumentsOnOneTwoAndFourWorkers() throws IOException {
        List<Path> captures;
        try (Stream<Path> files = Files.list(CAPTURES)) {
            captures = files.filter(f -> f.toString().endsWith(".pcap")).sorted().toList();
        }
        assertThat(captures).hasSizeGreaterThanOrEqualTo(4);
        for (Path capture : captures) {
            List<Frames.F> frames = Frames.read(capture);
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
    void manyInterleavedFlowsGiveTheSameDocumentsOnOneTwoAndFourWorkers() {
        List<Frames.F> frames = Frames.interleaved(24);
        assertThat(frames).hasSizeGreaterThan(20_000);
        // As the service writes them: with the capture's identity, whose stream key holds tcp.stream too.
        Supplier<PacketDocuments> job = () -> new PacketDocuments(new Sharkfin("20261129-120000-abcdef", "many.pcap"));
        List<byte[]> expected = oneThread(frames, job);
        Set<Integer> used = new HashSet<>();
        for (Frames.F f : frames) {
            used.add(Math.floorMod(FlowAffinity.hash(f.data(), f.captured(), f.linkType()), 4));
        }
        assertThat(used).as("the frames reach every one of 4 workers").hasSize(4);
        String last = new String(expected.getLast());
        assertThat(expected.stream().map(String::new).filter(d -> d.contains("\"tcp_stream\":" + (24 * 4 - 1) + ",")))
                .as("the last copy's last TCP conversation is stream %d", 24 * 4 - 1).isNotEmpty();
        assertThat(expected.stream().map(String::new)
                .filter(d -> d.contains("\"sharkfin_tcp_stream\":\"20261129-120000-abcdef/" + (24 * 4 - 1) + "\"")))
                .as("the stream key of that conversation").isNotEmpty();
        assertThat(last).isNotEmpty();
        for (int workers : new int[] {1, 2, 4}) {
            assertSame("interleaved on " + workers + " workers", expected, parallel(frames, workers, job));
        }
    }

    @Test
    void aFrameWithoutBytesCostsOnlyThatFrame() {
        List<Frames.F> frames = new ArrayList<>(Frames.read(CAPTURES.resolve("mixed-small.pcap")));
        Frames.F broken = frames.get(5);
        frames.set(5, new Frames.F(broken.time(), broken.wire(), null, broken.captured(), broken.original(), broken.linkType(), false));
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
    void anOutputThatThrowsStopsEveryStageAndTheReaderGetsItsException() {
        List<Frames.F> frames = Frames.interleaved(4);
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
                List<Frames.F> frames;
                try {
                    frames = Frames.read(capture);
                } catch (CaptureReadException unreadable) {
                    continue;
                }
                List<byte[]> expected = oneThread(frames);
                List<byte[]> actual = parallel(frames, 2);
                compared += frames.size();
                for (int i = 0; i < expected.size(); i++) {
                    if (!Arrays.equals(expected.get(i), actual.get(i))) {
                        differing.add(capture.getFileName() + " frame " + (i + 1) + "\n  one thread: "
                                + new String(expected.get(i)) + "\n  2 workers:  " + new String(actual.get(i)));
                        break;
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(differing).as("captures whose documents differ on 2 workers (first frame)").isEmpty();
    }

    static List<byte[]> oneThread(List<Frames.F> frames) {
        return oneThread(frames, PacketDocuments::new);
    }

    static List<byte[]> oneThread(List<Frames.F> frames, Supplier<PacketDocuments> factory) {
        PacketDocuments documents = factory.get();
        List<byte[]> out = new ArrayList<>(frames.size());
        long n = 0;
        for (Frames.F f : frames) {
            out.add(documents.write(++n, f.time(), f.wire(), f.data(), f.captured(), f.original(), f.linkType(),
                    f.outOfRange()).toByteArray());
        }
        return out;
    }

    static List<byte[]> parallel(List<Frames.F> frames, int workers) {
        return parallel(frames, workers, PacketDocuments::new);
    }

    static List<byte[]> parallel(List<Frames.F> frames, int workers, Supplier<PacketDocuments> factory) {
        List<byte[]> out = new ArrayList<>(frames.size());
        List<Long> numbers = new ArrayList<>(frames.size());
        try (ParallelDocuments p = new ParallelDocuments(workers, "test", factory, (n, json, length, error) -> {
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

    private static void write(ParallelDocuments p, List<Frames.F> frames) {
        long n = 0;
        for (Frames.F f : frames) {
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
