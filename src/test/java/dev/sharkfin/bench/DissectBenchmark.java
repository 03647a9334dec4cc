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

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.dissect.Sharkfin;
import dev.sharkfin.index.BulkBody;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.normalize.PacketDocuments;

/**
 * Sharkfin's hot path per packet. {@code packet}: dissect + TCP analysis + JSON document on a capture held in memory.
 * {@code service}: what the service does per packet of an upload, short of the network: reading the file (the
 * pure-Java reader, from the page cache), dissection, TCP analysis, the document, and its copy into a bulk body
 * (5000 documents, Sharkfin's default, then emptied). The score is microseconds per packet; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per packet. Compare {@code service} with the Sharkfin process's
 * CPU per packet that scripts/bench.sh measures end to end (the README says what lies between them).
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
    private PacketDocuments serviceDocuments;
    private CaptureFileSource source;
    private final Frame frame = new Frame();
    private final BulkBody body = new BulkBody("20261129-000000-abcdef", 8 << 20);
    private long serviceFrame;

    @Setup
    public void load() {
        Path path = Path.of(capture);
        if (!Files.exists(path)) {
            throw new IllegalStateException("no capture at " + path.toAbsolutePath());
        }
        try (CaptureFileSource source = new CaptureFileSource(path)) {
            Frame f = new Frame();
            linkType = source.linkType(); // one link type: the benchmark's capture is a plain pcap
            while (source.next(f)) {
                frames.add(f.data);
                meta.add(new long[] {f.timeNanos, f.originalLength});
            }
        }
        restart();
        reopen();
    }

    private void reopen() {
        if (source != null) {
            source.close();
        }
        source = new CaptureFileSource(Path.of(capture));
        // As the service writes them: every document names its capture, TCP ones their stream (dissect.Sharkfin).
        serviceDocuments = new PacketDocuments(new Sharkfin("20261129-000000-abcdef", "bench.pcap"));
        serviceFrame = 0;
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

    /** One packet as the service handles it: read from the file, dissected, analysed, written, copied into a bulk body. */
    @Benchmark
    public int service(Blackhole bh) {
        if (!source.next(frame)) {
            reopen();
            source.next(frame);
        }
        long n = ++serviceFrame;
        JsonOut out = serviceDocuments.write(n, frame.timeNanos, frame.wireNanos, frame.data, frame.capturedLength,
                frame.originalLength, frame.linkType, frame.timeOutOfRange);
        if (body.count() == 5000) {
            bh.consume(body.bytes());
            body.clear();
        }
        body.add(n, out.buffer(), out.length());
        return out.length();
    }
}
