package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;

/** What the fault tests share: a big capture, signals to a process, bounded waits, and the exactly-once check. */
final class Faults {
    static final Path LOSSY = Path.of("src/test/resources/captures/lossy-bulk-ipv4.pcap");

    private Faults() {
    }

    /**
     * A capture of {@code copies} × the lossy capture's 2,425 packets, each copy's timestamps shifted past the
     * previous copy's end (a nanosecond pcap, as the source is): big enough that a job is still running when a
     * fault is injected.
     */
    static Path bigCapture(Path out, int copies) throws IOException {
        if (Files.exists(out)) {
            return out;
        }
        ByteBuffer src = ByteBuffer.wrap(Files.readAllBytes(LOSSY)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(src.getInt(0)).as("a little-endian nanosecond pcap").isEqualTo(0xa1b23c4d);
        long first = -1, last = 0;
        for (int p = 24; p + 16 <= src.limit(); p += 16 + src.getInt(p + 8)) {
            long t = src.getInt(p) * 1_000_000_000L + src.getInt(p + 4);
            first = first < 0 ? t : first;
            last = t;
        }
        long span = last - first + 1_000_000_000L;
        Files.createDirectories(out.getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            os.write(src.array(), 0, 24);
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < copies; c++) {
                for (int p = 24; p + 16 <= src.limit(); p += 16 + src.getInt(p + 8)) {
                    long t = src.getInt(p) * 1_000_000_000L + src.getInt(p + 4) + c * span;
                    header.clear();
                    header.putInt((int) (t / 1_000_000_000L)).putInt((int) (t % 1_000_000_000L))
                            .putInt(src.getInt(p + 8)).putInt(src.getInt(p + 12));
                    os.write(header.array());
                    os.write(src.array(), p + 16, src.getInt(p + 8));
                }
            }
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    static void signal(String signal, long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            assertThat(k.waitFor()).as("kill -%s %d", signal, pid).isZero();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what);
            }
            sleep(100);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static double seconds(long fromNanos) {
        return (System.nanoTime() - fromNanos) / 1e9;
    }

    /** What the index holds, to check that every frame 1..n is there exactly once. */
    record Indexed(long count, long distinctFrames, long maxFrame, long minFrame, long framesTwice) {
        long lost(long sent) {
            return sent - (count - framesTwice);
        }
    }

    /**
     * Counts the index exactly: {@code _count}, min and max frame numbers, the frame numbers held by two or more
     * documents (a terms aggregation with {@code min_doc_count} 2: exact on one shard) and their cardinality
     * (precision threshold 40,000: HyperLogLog, close but not exact above that).
     */
    static Indexed indexed(Api api, String index) {
        api.es("POST", "/" + index + "/_refresh", null);
        long count = api.es("GET", "/" + index + "/_count", null).get("count").asLong();
        JsonNode aggs = api.es("POST", "/" + index + "/_search", """
                {"size": 0, "track_total_hits": true, "aggs": {
                  "frames": {"cardinality": {"field": "frame.frame_number", "precision_threshold": 40000}},
                  "max": {"max": {"field": "frame.frame_number"}},
                  "min": {"min": {"field": "frame.frame_number"}},
                  "twice": {"terms": {"field": "frame.frame_number", "min_doc_count": 2, "size": 10000}}}}""")
                .get("aggregations");
        long twice = 0;
        for (JsonNode b : aggs.at("/twice/buckets")) {
            twice += b.get("doc_count").asLong() - 1;
        }
        return new Indexed(count, aggs.at("/frames/value").asLong(), aggs.at("/max/value").asLong(),
                aggs.at("/min/value").asLong(), twice);
    }

    /** Every frame 1..packets in the index once: the count, the ends, no frame number twice. */
    static void assertEveryPacketOnce(Indexed ix, long packets) {
        assertThat(ix.framesTwice()).as("documents whose frame number another document has too").isZero();
        assertThat(ix.count()).as("_count").isEqualTo(packets);
        assertThat(ix.minFrame()).as("first frame").isEqualTo(1);
        assertThat(ix.maxFrame()).as("last frame").isEqualTo(packets);
        assertThat((double) ix.distinctFrames()).as("cardinality (HyperLogLog)").isCloseTo(packets,
                org.assertj.core.data.Percentage.withPercentage(packets <= 40_000 ? 0.01 : 2));
    }
}
