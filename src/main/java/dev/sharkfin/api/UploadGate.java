package dev.sharkfin.api;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.sharkfin.capture.UploadProperties;

/**
 * Bounds the uploads being received at once ({@code sharkfin.capture.max-concurrent-uploads}): each holds a server
 * thread while its body arrives, so slow clients could otherwise take every thread and lock everyone out, health
 * checks included. One more upload is refused at once ({@link Busy}, 429), before its body is read. The Micrometer
 * gauges {@code sharkfin.uploads.active} and {@code sharkfin.uploads.peak} and the counters
 * {@code sharkfin.uploads.admitted} and {@code sharkfin.uploads.refused} show it at work.
 */
@Component
class UploadGate {
    private final int max;
    private final Duration retryAfter;
    private final Semaphore permits;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    UploadGate(UploadProperties props, ObjectProvider<MeterRegistry> meters) {
        this.max = Math.max(1, props.maxConcurrentUploads());
        this.retryAfter = props.busyRetryAfter();
        this.permits = new Semaphore(max);
        meters.ifAvailable(m -> {
            Gauge.builder("sharkfin.uploads.active", active, AtomicInteger::get)
                    .description("Uploads being received now (at most sharkfin.capture.max-concurrent-uploads)").register(m);
            Gauge.builder("sharkfin.uploads.peak", peak, AtomicInteger::get)
                    .description("The most uploads received at once since start").register(m);
            FunctionCounter.builder("sharkfin.uploads.admitted", admitted, AtomicLong::get).register(m);
            FunctionCounter.builder("sharkfin.uploads.refused", refused, AtomicLong::get)
                    .description("Uploads refused with 429 because max-concurrent-uploads were being received").register(m);
        });
    }

    /** A place for one upload, given back on close; {@link Busy} when all are taken. */
    Ticket enter() {
        if (!permits.tryAcquire()) {
            refused.incrementAndGet();
            throw new Busy(max, retryAfter);
        }
        admitted.incrementAndGet();
        int now = active.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        return new Ticket();
    }

    /** Uploads being received now. */
    int active() {
        return active.get();
    }

    /** The most uploads received at once since start. */
    int peak() {
        return peak.get();
    }

    long admitted() {
        return admitted.get();
    }

    long refused() {
        return refused.get();
    }

    final class Ticket implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                active.decrementAndGet();
                permits.release();
            }
        }
    }

    /** Every upload place is taken. */
    static final class Busy extends RuntimeException {
        private final Duration retryAfter;

        Busy(int max, Duration retryAfter) {
            super(max + " uploads are being received already, the most at once (sharkfin.capture.max-concurrent-uploads). "
                    + "Try again in " + Math.max(1, retryAfter.toSeconds()) + " s.");
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }
}
