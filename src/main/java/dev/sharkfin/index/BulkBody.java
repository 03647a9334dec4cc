package dev.sharkfin.index;

import java.util.Arrays;

/**
 * One bulk request's body as it is filled: NDJSON bytes, an action line ({@code {"index":{"_id":"<job>-<frame>"}}},
 * the index being in the request's path) and the document per frame, copied in as they come. No object per
 * document: per document only its frame and where its two lines end are kept, so that the documents to retry can
 * be copied into a smaller body. Not thread-safe: one thread fills it, then hands it over.
 */
public final class BulkBody {
    private final byte[] actionStart;
    private byte[] body;
    private int length;
    private long[] frames = new long[64];
    private int[] ends = new int[64];
    private int count;
    private long startNanos;

    /** For documents of job {@code jobId}, with room for {@code capacity} bytes before growing. */
    public BulkBody(String jobId, int capacity) {
        this(("{\"index\":{\"_id\":\"" + jobId + "-").getBytes(java.nio.charset.StandardCharsets.UTF_8), capacity);
    }

    BulkBody(byte[] actionStart, int capacity) {
        this.actionStart = actionStart;
        this.body = new byte[capacity];
    }

    /** Appends frame {@code frame}'s document, {@code json[0, size)}. */
    public void add(long frame, byte[] json, int size) {
        if (count == 0) {
            startNanos = System.nanoTime();
        }
        ensure(actionStart.length + 20 + 6 + size);
        System.arraycopy(actionStart, 0, body, length, actionStart.length);
        length += actionStart.length;
        length = digits(frame, body, length);
        body[length++] = '"';
        body[length++] = '}';
        body[length++] = '}';
        body[length++] = '\n';
        System.arraycopy(json, 0, body, length, size);
        length += size;
        body[length++] = '\n';
        record(frame);
    }

    /** Appends document {@code i} of {@code from}. */
    void copy(BulkBody from, int i) {
        int start = i == 0 ? 0 : from.ends[i - 1];
        int size = from.ends[i] - start;
        ensure(size);
        System.arraycopy(from.body, start, body, length, size);
        length += size;
        record(from.frames[i]);
    }

    /** Empties it, keeping its buffers. */
    public void clear() {
        length = 0;
        count = 0;
    }

    public int count() {
        return count;
    }

    /** Bytes of NDJSON. */
    public int length() {
        return length;
    }

    /** Bytes it holds before growing. */
    int capacity() {
        return body.length;
    }

    /** The NDJSON, valid in {@code [0, length())}. */
    public byte[] bytes() {
        return body;
    }

    long frame(int i) {
        return frames[i];
    }

    /** When its first document came. */
    long startNanos() {
        return startNanos;
    }

    private void record(long frame) {
        if (count == frames.length) {
            frames = Arrays.copyOf(frames, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        frames[count] = frame;
        ends[count++] = length;
    }

    private void ensure(int n) {
        if (length + n > body.length) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, length + n));
        }
    }

    /** A non-negative number's decimal digits at {@code at}; returns the end. */
    private static int digits(long v, byte[] to, int at) {
        int n = 1;
        for (long x = v; x >= 10; x /= 10) {
            n++;
        }
        for (int i = at + n - 1; i >= at; i--) {
            to[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + n;
    }
}
