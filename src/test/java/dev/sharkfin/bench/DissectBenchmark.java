package dev.sharkfin.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.capture.PcapFileSource;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.normalize.PacketDocuments;

/**
 * Dissect + TCP analysis + JSON document, per packet, on a capture held in memory (no I/O, no
 * Elasticsearch): the CPU cost of Sharkfin's hot path. The score is microseconds per packet; with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per packet.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.openjdk.jmh.Main \
 *     -Dexec.args="DissectBenchmark -prof gc"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DissectBenchmark {
    @Param("src/test/resources/captures/lossy-bulk-ipv4.pcap")
    public String capture;

    private final List<byte[]> frames = new ArrayList<>();
    private final List<long[]> meta = new ArrayList<>();
    private int linkType;
    private int next;

    private PacketDocuments documents;

    @Setup
    public void load() {
        Path path = Path.of(capture);
        if (!Files.exists(path)) {
            throw new IllegalStateException("no capture at " + path.toAbsolutePath());
        }
        try (PcapFileSource source = new PcapFileSource(path, path.toString().endsWith(".pcapng") ? CaptureFormat.PCAPNG : CaptureFormat.PCAP)) {
            Frame f = new Frame();
            linkType = source.linkType(); // one link type: the benchmark's capture is a plain pcap
            while (source.next(f)) {
                frames.add(f.data);
                meta.add(new long[] {f.timeNanos, f.originalLength});
            }
        }
        restart();
    }

    private void restart() {
        next = 0;
        documents = new PacketDocuments();
    }

    /** One packet: the capture is replayed in order, starting over (with fresh TCP state) at its end. */
    @Benchmark
    public int packet(Blackhole bh) {
        if (next == frames.size()) {
            restart();
        }
        int i = next++;
        byte[] data = frames.get(i);
        long[] m = meta.get(i);
        JsonOut out = documents.write(i + 1, m[0], data, data.length, (int) m[1], linkType, false);
        bh.consume(out);
        return out.length();
    }
}
