package dev.sharkfin.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.sun.management.OperatingSystemMXBean;

import dev.sharkfin.normalize.Frames;
import dev.sharkfin.normalize.Frames.F;
import dev.sharkfin.normalize.PacketDocuments;
import dev.sharkfin.normalize.ParallelDocuments;

/**
 * Packets per second, and the process's CPU per packet, against the number of flow-affine workers (sharkfin.jobs.workers),
 * into a null sink: frames held in memory (no file reading, no Elasticsearch), so the score is dissection + TCP analysis
 * + documents + ordering. "inline" is the single-threaded path (workers = 1: PacketDocuments on the job's thread); "N"
 * is ParallelDocuments with N workers, plus its reader (the caller) and merge thread, whose own CPU is printed too. On a
 * machine other processes load, a process of more threads gets a larger share of the cores: compare the CPU per packet,
 * which is what the threads cost. Each setting runs ROUNDS times; the best rate and the least CPU are reported.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.sharkfin.bench.WorkersBenchmark \
 *     -Dexec.args="64 inline,1,2 5"</pre>
 * Arguments: COPIES WORKERS,... [ROUNDS] [CAPTURE].
 * COPIES copies of the project's captures on distinct addresses, interleaved (Frames.interleaved: 64 give some 270,000
 * frames of 256 conversations); or, with CAPTURE, that file as it is (a capture of few address pairs keeps few workers
 * busy: a worker takes all of one pair's flows).
 */
public final class WorkersBenchmark {
    private WorkersBenchmark() {
    }

    public static void main(String[] args) {
        int copies = Integer.parseInt(args[0]);
        int[] workers = Arrays.stream(args[1].split(","))
                .mapToInt(w -> w.equals("inline") ? 0 : Integer.parseInt(w)).toArray();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<F> frames = args.length > 3 ? Frames.read(Path.of(args[3])) : Frames.interleaved(copies);
        System.out.printf("%d frames, %d cores%n", frames.size(), Runtime.getRuntime().availableProcessors());
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int w : workers) {
            double best = 0;
            double cpu = Double.MAX_VALUE;
            String name = w == 0 ? "inline" : w + " workers";
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                long cpuStart = os.getProcessCpuTime();
                long bytes = w == 0 ? inline(frames) : parallel(frames, w);
                double rate = frames.size() / ((System.nanoTime() - start) / 1e9);
                double cpuPerPacket = (os.getProcessCpuTime() - cpuStart) / 1e3 / frames.size();
                best = Math.max(best, rate);
                cpu = Math.min(cpu, cpuPerPacket);
                System.out.printf("  %-10s round %d: %,.0f packets/s, %.2f µs CPU a packet (%,d document bytes)%n",
                        name, r, rate, cpuPerPacket, bytes);
            }
            System.out.printf("%-10s best %,.0f packets/s, least %.2f µs CPU a packet%n", name, best, cpu);
        }
    }

    private static long inline(List<F> frames) {
        PacketDocuments documents = new PacketDocuments();
        long n = 0;
        long bytes = 0;
        for (F f : frames) {
            bytes += documents.write(++n, f.time(), f.wire(), f.data(), f.captured(), f.original(), f.linkType(), f.outOfRange())
                    .length();
        }
        return bytes;
    }

    private static long parallel(List<F> frames, int workers) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] bytes = new long[1];
        long[] mergeCpu = new long[1];
        long readerStart = threads.getCurrentThreadCpuTime();
        try (ParallelDocuments p = new ParallelDocuments(workers, "bench", (n, json, length, error) -> {
            bytes[0] += length;
            if (n == frames.size()) {
                mergeCpu[0] = threads.getCurrentThreadCpuTime(); // the merge thread's, all of it: it started with p
            }
        })) {
            long n = 0;
            for (F f : frames) {
                p.write(++n, f.time(), f.wire(), f.data(), f.captured(), f.original(), f.linkType(), f.outOfRange());
            }
            p.finish();
        }
        System.out.printf("    reader %.2f µs CPU a packet, ordering stage %.2f%n",
                (threads.getCurrentThreadCpuTime() - readerStart) / 1e3 / frames.size(), mergeCpu[0] / 1e3 / frames.size());
        return bytes[0];
    }
}
