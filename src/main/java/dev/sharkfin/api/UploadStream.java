package dev.sharkfin.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

import dev.sharkfin.capture.CaptureRejectedException;
import dev.sharkfin.capture.CaptureRejectedException.Reason;
import dev.sharkfin.capture.UploadProperties;

/**
 * An upload's request body as it arrives: counted against the request's size bound, and cut (408) when it arrives
 * slower than {@code sharkfin.capture.min-upload-rate} on average once the grace period has passed, or when no byte
 * arrives for {@code sharkfin.capture.upload-timeout} (the read times out). A slow client can thus hold a server
 * thread for the grace period plus one read timeout at most, and {@link UploadGate} bounds how many it can hold.
 */
final class UploadStream extends FilterInputStream {
    private final long limit;
    private final String limitProperty;
    private final long minRate;
    private final long graceNanos;
    private final UploadProperties props;
    private final LongSupplier clock;
    private final long start;
    private long count;

    UploadStream(InputStream in, long limit, String limitProperty, UploadProperties props, LongSupplier nanoClock) {
        super(in);
        this.limit = limit;
        this.limitProperty = limitProperty;
        this.props = props;
        this.minRate = props.minUploadRate().toBytes();
        this.graceNanos = props.minUploadRateGrace().toNanos();
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int r = read(one, 0, 1);
        return r < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int r;
        try {
            r = super.read(b, off, len);
        } catch (IOException e) {
            if (timedOut(e)) {
                throw new CaptureRejectedException(Reason.TOO_SLOW, "No byte of the upload arrived for "
                        + seconds(props.uploadTimeout().toNanos()) + " s (sharkfin.capture.upload-timeout), after "
                        + count + " bytes; the upload was cut. Nothing of it was kept.");
            }
            throw e;
        }
        if (r > 0) {
            count += r;
            if (count > limit) {
                throw new CaptureRejectedException(Reason.TOO_LARGE, "The upload is larger than the "
                        + dev.sharkfin.capture.CaptureStore.describeSize(limit) + " limit (" + limitProperty + ").");
            }
        }
        checkRate();
        return r;
    }

    /** Once the grace period has passed, the average rate since the first byte could be read must be the minimum. */
    private void checkRate() {
        if (minRate <= 0) {
            return;
        }
        long elapsed = clock.getAsLong() - start;
        if (elapsed <= graceNanos) {
            return;
        }
        double rate = count / (elapsed / 1e9);
        if (rate < minRate) {
            throw new CaptureRejectedException(Reason.TOO_SLOW, String.format(java.util.Locale.ROOT,
                    "The upload arrived at %.0f bytes/s on average over %s s (%d bytes), under the minimum of %d bytes/s "
                            + "that an upload must keep after %s s (sharkfin.capture.min-upload-rate, "
                            + "sharkfin.capture.min-upload-rate-grace); it was cut. Nothing of it was kept.",
                    rate, seconds(elapsed), count, minRate, seconds(graceNanos)));
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
