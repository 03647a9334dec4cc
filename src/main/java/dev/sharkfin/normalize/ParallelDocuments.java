package dev.sharkfin.normalize;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.sharkfin.dissect.FlowAffinity;
import dev.sharkfin.dissect.FrameClock;
import dev.sharkfin.tcp.ConversationEvictions;

/**
 * One capture's frames into documents on several worker threads, flow-affine (as Arkime does): each frame goes to the
 * worker its IP address pair hashes to ({@link FlowAffinity}), so each worker keeps its own dissector, TCP analysis and
 * UDP conversations ({@link PacketDocuments}) without locks, and sees each flow's frames in capture order. The
 * documents come out in capture order, and are exactly those one {@link PacketDocuments} writes for the whole capture:
 * <ul>
 * <li>frame numbers are the reader's;</li>
 * <li>frame.time_delta and frame.time_relative are measured over every frame: the reader runs the capture's
 *     {@link FrameClock} and hands each frame the two times it is measured from;</li>
 * <li>tcp.stream and udp.stream number conversations across ALL flows in order of creation. A worker numbers its
 *     own conversations (0, 1, ...: its local order of creation, which is the global order restricted to its flows),
 *     and records where in each document a stream number stands. The merge stage, which takes the documents in
 *     capture order, gives a worker's local number the next global one the first time it meets it, and rewrites the
 *     number. Every conversation shows its number in the frame that creates it (a port reuse's too), so the order of
 *     first sight in capture order is the order of creation: the numbers are those of one thread.</li>
 * </ul>
 * What stays exact only while a conversation's frames share one address pair (see {@link FlowAffinity}): an ICMP
 * error is sent to the pair it quotes; an sFlow sample quoting other hosts' headers, an FTP data connection announced
 * for a third host (FXP), an inner flow that moves between tunnels, open their conversations on another worker. And
 * past the UDP conversation bound (UdpConversations.MAX_CONVERSATIONS, which each worker applies to its own share)
 * the conversation forgotten first differs.
 *
 * <p>Stages and memory: the reader (the caller of {@link #write}) copies frames into a {@link Chunk} of up to
 * {@value #CHUNK_FRAMES} frames; a full chunk goes to every worker (each takes its own frames from it, and writes their
 * documents into its own part of the chunk) and to the merge thread, which waits until all workers are done with it,
 * hands its documents to the {@link Output} in capture order and gives the chunk back. A fixed number of chunks is
 * reused, so memory stays flat: the reader waits for a free chunk when the workers or the output fall behind. Nothing
 * is allocated per frame once the chunks' buffers have grown. A failure of any stage (the output throwing, say) stops
 * all of them; {@link #finish} and {@link #write} rethrow it on the reader's thread.
 */
public final class ParallelDocuments implements AutoCloseable {
    static final int CHUNK_FRAMES = 256;
    /** A chunk is handed on once its frames hold this many bytes, so a capture of jumbo frames keeps chunks small. */
    static final int CHUNK_BYTES = 1 << 20;
    private static final long POLL_MILLIS = 50;
    private static final byte[] TCP_STREAM = "\"tcp_stream\":".getBytes();
    private static final byte[] UDP_STREAM = "\"udp_stream\":".getBytes();
    /** Sharkfin's stream key, {@code "<job id>/<tcp.stream>"}: its number is the tcp.stream's, made global too. */
    private static final byte[] SHARKFIN_TCP_STREAM = "\"sharkfin_tcp_stream\":\"".getBytes();

    /** Where the documents go, in capture order, on the merge thread. */
    public interface Output {
        /**
         * Frame {@code number}'s document, in {@code json[0, length)}, valid until the call returns; {@code error} is
         * null, or what the dissection threw (the document then says so, as {@link PacketDocuments} does).
         */
        void add(long number, byte[] json, int length, RuntimeException error);
    }

    private final int workers;
    private final Output output;
    private final Supplier<PacketDocuments> documents;
    private final Worker[] workerStages;
    private final FrameClock clock = new FrameClock();
    private final BlockingQueue<Chunk> free;
    private final BlockingQueue<Chunk> toMerge;
    private final BlockingQueue<Chunk>[] toWorker;
    private final Thread[] threads;
    private final Merge merge;
    /** Handed to every stage after the last chunk: the end of the capture. */
    private final Chunk end = new Chunk(0);
    private volatile Throwable failure;
    private Chunk current;
    private boolean finished;

    /** Starts {@code workers} worker threads and the merge thread, named after {@code name}. */
    public ParallelDocuments(int workers, String name, Output output) {
        this(workers, name, PacketDocuments::new, output);
    }

    /**
     * Starts {@code workers} worker threads, each writing with a {@link PacketDocuments} of {@code documents} (the
     * job's capture identity and its share of the TCP state bounds), and the merge thread, named after {@code name}.
     */
    @SuppressWarnings("unchecked")
    public ParallelDocuments(int workers, String name, Supplier<PacketDocuments> documents, Output output) {
        if (workers < 1 || workers > 127) {
            throw new IllegalArgumentException("workers must be 1 to 127, not " + workers);
        }
        this.workers = workers;
        this.output = output;
        this.documents = documents;
        this.workerStages = new Worker[workers];
        int chunks = 2 * workers + 2;
        free = new ArrayBlockingQueue<>(chunks);
        toMerge = new ArrayBlockingQueue<>(chunks + 1);
        toWorker = new BlockingQueue[workers];
        for (int i = 0; i < chunks; i++) {
            free.add(new Chunk(workers));
        }
        threads = new Thread[workers + 1];
        for (int w = 0; w < workers; w++) {
            toWorker[w] = new ArrayBlockingQueue<>(chunks + 1);
            Worker worker = new Worker(w, toWorker[w]);
            workerStages[w] = worker;
            threads[w] = Thread.ofPlatform().name(name + "-worker-" + w).daemon().unstarted(() -> guard(worker::run));
        }
        merge = new Merge(workers);
        threads[workers] = Thread.ofPlatform().name(name + "-merge").daemon().unstarted(() -> guard(merge::run));
        for (Thread t : threads) {
            t.start();
        }
        current = take();
    }

    /**
     * Hands over frame {@code number} (numbers from 1, in capture order): copied, so {@code data} may be reused
     * at once. Blocks while every chunk is in use. Throws (an {@link IllegalStateException} with the cause) once a
     * stage failed.
     */
    public void write(long number, long timeNanos, long wireNanos, byte[] data, int captured, int original,
            int linkType, boolean timeOutOfRange) {
        write(number, timeNanos, wireNanos, data, captured, original, linkType, timeOutOfRange, List.of());
    }

    /** As above, with the frame's comments (see {@link PacketDocuments#comments}), copied too. */
    public void write(long number, long timeNanos, long wireNanos, byte[] data, int captured, int original,
            int linkType, boolean timeOutOfRange, List<String> comments) {
        checkFailure();
        clock.advance(wireNanos, linkType);
        int worker = Math.floorMod(FlowAffinity.hash(data, captured, linkType), workers);
        current.add(number, timeNanos, wireNanos, clock, data, captured, original, linkType, timeOutOfRange, worker);
        current.comments[current.count - 1] = comments.isEmpty() ? null : comments.toArray(String[]::new);
        if (current.count == CHUNK_FRAMES || current.dataLength >= CHUNK_BYTES) {
            dispatch(current);
            current = take();
        }
    }

    /** Hands the last frames on, waits until every document went to the output, and stops the threads. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (current.count > 0) {
                dispatch(current);
            }
            current = null;
            dispatch(end);
        } finally {
            join(); // after a failure too: every stage sees it and ends
        }
        checkFailure();
    }

    /** The TCP conversations the workers evicted, all together; read after {@link #finish}. */
    public ConversationEvictions tcpEvictions() {
        ConversationEvictions all = ConversationEvictions.NONE;
        for (Worker w : workerStages) {
            all = all.plus(w.documents.tcpEvictions());
        }
        return all;
    }

    /** Stops the threads without waiting for the frames handed over (after {@link #finish}: nothing to do). */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            fail(new IllegalStateException("closed before finish"));
            join();
        }
    }

    private void dispatch(Chunk chunk) {
        chunk.pending = workers;
        for (BlockingQueue<Chunk> q : toWorker) {
            put(q, chunk);
        }
        put(toMerge, chunk);
    }

    private void put(BlockingQueue<Chunk> q, Chunk chunk) {
        try {
            while (!q.offer(chunk, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
            checkFailure();
        }
    }

    private Chunk take() {
        Chunk c = poll(free);
        c.clear();
        return c;
    }

    /** The next chunk of {@code q}, waiting as long as no stage failed (then it throws). */
    private Chunk poll(BlockingQueue<Chunk> q) {
        try {
            Chunk c;
            while ((c = q.poll(POLL_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                checkFailure();
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void join() {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
                return;
            }
        }
    }

    private void checkFailure() {
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the parallel dissection failed: " + f, f);
        }
    }

    private void fail(Throwable t) {
        synchronized (this) {
            if (failure == null) {
                failure = t;
            }
        }
    }

    /** Runs a stage; what it throws stops every stage. A stage that sees another's failure leaves quietly. */
    private void guard(Runnable stage) {
        try {
            stage.run();
        } catch (Stopped e) {
            // another stage failed first
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Thrown in a stage that finds another stage failed: nothing more to do. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private Chunk next(BlockingQueue<Chunk> q) {
        try {
            Chunk c;
            while ((c = q.poll(POLL_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                if (failure != null) {
                    throw new Stopped();
                }
            }
            return c;
        } catch (InterruptedException e) {
            throw new Stopped();
        }
    }

    /** One worker: its own PacketDocuments, fed its frames of every chunk. */
    private final class Worker {
        private final int index;
        private final BlockingQueue<Chunk> queue;
        private final PacketDocuments documents;

        Worker(int index, BlockingQueue<Chunk> queue) {
            this.index = index;
            this.queue = queue;
            this.documents = ParallelDocuments.this.documents.get();
        }

        void run() {
            for (Chunk c = next(queue); c != end; c = next(queue)) {
                Chunk.Part part = c.parts[index];
                for (int i = 0; i < c.count; i++) {
                    if (c.worker[i] == index) {
                        documents.clock(c.first[i], c.previous[i]);
                        if (c.comments[i] != null) {
                            documents.comments(Arrays.asList(c.comments[i]));
                        }
                        byte[] data = c.nullData[i] ? null : c.data[i];
                        JsonOut out = documents.write(c.number[i], c.time[i], c.wire[i], data, c.captured[i], c.original[i],
                                c.linkType[i], c.outOfRange[i]);
                        c.error[i] = documents.lastError();
                        part.add(i, out);
                    }
                }
                c.done();
                if (failure != null) {
                    throw new Stopped();
                }
            }
        }
    }

    /** The merge stage: documents in capture order, stream numbers made global. */
    private final class Merge {
        /** Per worker, local tcp.stream (row 0) and udp.stream (row 1) → global number + 1 (0: not met yet). */
        private final long[][][] global;
        private final long[] count = new long[2];
        private byte[] doc = new byte[4096];

        Merge(int workers) {
            global = new long[workers][2][];
            for (long[][] w : global) {
                w[0] = new long[64];
                w[1] = new long[64];
            }
        }

        void run() {
            for (Chunk c = next(toMerge); c != end; c = next(toMerge)) {
                c.awaitDone(ParallelDocuments.this);
                for (int i = 0; i < c.count; i++) {
                    int w = c.worker[i];
                    int length = rewrite(c.parts[w], c, i, w);
                    output.add(c.number[i], doc, length, c.error[i]);
                }
                free.add(c);
            }
        }

        /** Copies frame {@code i}'s document into {@link #doc}, its local stream numbers replaced by global ones. */
        private int rewrite(Chunk.Part part, Chunk c, int i, int w) {
            int from = part.docStart[i];
            int end = from + part.docLength[i];
            int n = 0;
            ensure(part.docLength[i] + 20 * (part.patchEnd[i] - part.patchStart[i]));
            for (int p = part.patchStart[i]; p < part.patchEnd[i]; p++) {
                int at = part.patchAt[p];
                System.arraycopy(part.docs, from, doc, n, at - from);
                n += at - from;
                n = digits(globalNumber(w, part.patchKind[p], part.patchLocal[p]), n);
                from = at + part.patchDigits[p];
            }
            System.arraycopy(part.docs, from, doc, n, end - from);
            return n + end - from;
        }

        private long globalNumber(int w, int kind, long local) {
            long[] map = global[w][kind];
            if (local >= map.length) {
                map = global[w][kind] = Arrays.copyOf(map, (int) Math.max(local + 1, map.length * 2L));
            }
            int l = (int) local;
            if (map[l] == 0) {
                map[l] = ++count[kind];
            }
            return map[l] - 1;
        }

        private int digits(long v, int at) {
            int len = v < 10 ? 1 : (int) Math.log10(v) + 1;
            for (int k = at + len - 1; k >= at; k--) {
                doc[k] = (byte) ('0' + v % 10);
                v /= 10;
            }
            return at + len;
        }

        private void ensure(int n) {
            if (doc.length < n) {
                doc = new byte[Math.max(n, doc.length * 2)];
            }
        }
    }

    /**
     * Up to {@value #CHUNK_FRAMES} consecutive frames, and each worker's {@link Part}: the documents of its frames.
     * Reused: {@link #clear} keeps every array.
     */
    static final class Chunk {
        int count;
        final long[] number = new long[CHUNK_FRAMES];
        final long[] time = new long[CHUNK_FRAMES];
        final long[] wire = new long[CHUNK_FRAMES];
        final long[] first = new long[CHUNK_FRAMES];
        final long[] previous = new long[CHUNK_FRAMES];
        final int[] captured = new int[CHUNK_FRAMES];
        final int[] original = new int[CHUNK_FRAMES];
        final int[] linkType = new int[CHUNK_FRAMES];
        final boolean[] outOfRange = new boolean[CHUNK_FRAMES];
        final byte[] worker = new byte[CHUNK_FRAMES];
        final boolean[] nullData = new boolean[CHUNK_FRAMES];
        final RuntimeException[] error = new RuntimeException[CHUNK_FRAMES];
        /** Frame i's comments, or null (most frames): see {@link PacketDocuments#comments}. */
        final String[][] comments = new String[CHUNK_FRAMES][];
        /** Frame i's bytes, copied: an array per slot, kept for the next use of the chunk (decoders read from 0). */
        final byte[][] data = new byte[CHUNK_FRAMES][];
        /** The bytes of the frames so far. */
        int dataLength;
        final Part[] parts;
        int pending;

        Chunk(int workers) {
            parts = new Part[workers];
            for (int w = 0; w < workers; w++) {
                parts[w] = new Part();
            }
        }

        void clear() {
            count = 0;
            dataLength = 0;
            Arrays.fill(error, null);
            for (Part p : parts) {
                p.clear();
            }
        }

        void add(long n, long t, long w, FrameClock clock, byte[] bytes, int cap, int orig, int link, boolean out,
                int to) {
            int i = count++;
            number[i] = n;
            time[i] = t;
            wire[i] = w;
            first[i] = clock.first();
            previous[i] = clock.previous();
            original[i] = orig;
            linkType[i] = link;
            outOfRange[i] = out;
            worker[i] = (byte) to;
            captured[i] = cap;
            if (bytes == null) {
                // No bytes (a source's bug): the document says what the dissection made of it, as on one thread.
                nullData[i] = true;
                return;
            }
            nullData[i] = false;
            int len = Math.min(cap, bytes.length);
            if (data[i] == null || data[i].length < len) {
                data[i] = new byte[Math.max(len, 2048)];
            }
            System.arraycopy(bytes, 0, data[i], 0, len);
            dataLength += len;
        }

        synchronized void done() {
            if (--pending == 0) {
                notifyAll();
            }
        }

        synchronized void awaitDone(ParallelDocuments owner) {
            while (pending > 0) {
                if (owner.failure != null) {
                    throw new Stopped();
                }
                try {
                    wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    throw new Stopped();
                }
            }
        }

        /** One worker's documents of a chunk, one after the other, and where their stream numbers stand. */
        static final class Part {
            byte[] docs = new byte[64 * 1024];
            int docsLength;
            final int[] docStart = new int[CHUNK_FRAMES];
            final int[] docLength = new int[CHUNK_FRAMES];
            final int[] patchStart = new int[CHUNK_FRAMES];
            final int[] patchEnd = new int[CHUNK_FRAMES];
            int patches;
            int[] patchAt = new int[CHUNK_FRAMES];
            int[] patchDigits = new int[CHUNK_FRAMES];
            byte[] patchKind = new byte[CHUNK_FRAMES];
            long[] patchLocal = new long[CHUNK_FRAMES];

            void clear() {
                docsLength = 0;
                patches = 0;
            }

            /** Keeps frame {@code i}'s document and notes its stream numbers (see {@link #scan}). */
            void add(int i, JsonOut out) {
                int len = out.length();
                if (docsLength + len > docs.length) {
                    docs = Arrays.copyOf(docs, Math.max(docsLength + len, docs.length * 2));
                }
                System.arraycopy(out.buffer(), 0, docs, docsLength, len);
                docStart[i] = docsLength;
                docLength[i] = len;
                patchStart[i] = patches;
                scan(docsLength, docsLength + len);
                patchEnd[i] = patches;
                docsLength += len;
            }

            /**
             * Finds the stream numbers in {@code docs[from, to)}: the values of the keys "tcp_stream" and "udp_stream",
             * and the number after the slash of "sharkfin_tcp_stream" ({@code "<job id>/<tcp.stream>"}). A match is
             * always the key: inside a JSON string every quote is escaped, so {@code "tcp_stream":} with its unescaped
             * second quote and colon can only be a key, and catalog keys hold no escapes.
             */
            private void scan(int from, int to) {
                for (int at = from; at + TCP_STREAM.length < to; at++) {
                    if (docs[at] != '"') {
                        continue;
                    }
                    int end;
                    if (matches(at, to, TCP_STREAM)) {
                        end = number(at + TCP_STREAM.length, to, 0);
                    } else if (matches(at, to, UDP_STREAM)) {
                        end = number(at + UDP_STREAM.length, to, 1);
                    } else if (matches(at, to, SHARKFIN_TCP_STREAM)) {
                        int slash = at + SHARKFIN_TCP_STREAM.length;
                        while (slash < to && docs[slash] != '/') { // job ids hold no slash
                            slash++;
                        }
                        end = number(slash + 1, to, 0);
                    } else {
                        continue;
                    }
                    at = end - 1;
                }
            }

            /** Notes the number at {@code v} (if digits stand there) as a stream number of {@code kind}; where it ends. */
            private int number(int v, int to, int kind) {
                long local = 0;
                int end = v;
                while (end < to && docs[end] >= '0' && docs[end] <= '9') {
                    local = local * 10 + docs[end++] - '0';
                }
                if (end > v) {
                    patch(v, end - v, kind, local);
                }
                return Math.max(end, v);
            }

            private boolean matches(int at, int to, byte[] key) {
                if (at + key.length > to) {
                    return false;
                }
                for (int k = 1; k < key.length; k++) {
                    if (docs[at + k] != key[k]) {
                        return false;
                    }
                }
                return true;
            }

            private void patch(int at, int digits, int kind, long local) {
                if (patches == patchAt.length) {
                    int n = patches * 2;
                    patchAt = Arrays.copyOf(patchAt, n);
                    patchDigits = Arrays.copyOf(patchDigits, n);
                    patchKind = Arrays.copyOf(patchKind, n);
                    patchLocal = Arrays.copyOf(patchLocal, n);
                }
                patchAt[patches] = at;
                patchDigits[patches] = digits;
                patchKind[patches] = (byte) kind;
                patchLocal[patches++] = local;
            }
        }
    }
}
