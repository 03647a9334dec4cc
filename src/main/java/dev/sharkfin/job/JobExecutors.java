package dev.sharkfin.job;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads jobs run on, all daemons: uploads on a fixed pool of {@code concurrency} threads whose queue is
 * unbounded (the job queue's places, taken before an upload is stored, are its bound); each live capture's indexer on
 * a thread of its own at once (its packets are arriving; {@code LiveCaptures} bounds how many); and one thread for
 * the heartbeat. After {@link #shutdown()} nothing more is accepted ({@link RejectedExecutionException}).
 */
final class JobExecutors {
    /** The heartbeat's shortest period. */
    static final long MIN_HEARTBEAT_MILLIS = 100;
    private static final long SHUTDOWN_WAIT_SECONDS = 30;

    private final ThreadPoolExecutor uploads;
    private final ExecutorService live;
    private final ScheduledExecutorService heartbeat;

    JobExecutors(int concurrency) {
        this.uploads = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemons("sharkfin-job-", true));
        this.live = Executors.newCachedThreadPool(daemons("sharkfin-live-indexer-", true));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemons("sharkfin-job-heartbeat", false));
    }

    /** Threads named {@code name}, numbered from 1 after it when {@code numbered}. */
    private static ThreadFactory daemons(String name, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs {@code beat} every {@code period} (at least {@value #MIN_HEARTBEAT_MILLIS} ms), the first a period from now. */
    void everyHeartbeat(Runnable beat, Duration period) {
        long every = Math.max(MIN_HEARTBEAT_MILLIS, period.toMillis());
        heartbeat.scheduleWithFixedDelay(beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Queues an upload's run. */
    Future<?> queueUpload(Runnable run) {
        return uploads.submit(run);
    }

    /** Starts a live capture's indexer at once. */
    Future<?> startLive(Runnable run) {
        return live.submit(run);
    }

    /** Takes a queued upload's run out of the queue; false when it already started (or ended). */
    boolean unqueue(Future<?> queued) {
        return uploads.remove((Runnable) queued);
    }

    /** Whether an upload can be queued now without being refused. */
    boolean hasRoom() {
        return uploads.getQueue().remainingCapacity() > 0;
    }

    /** Stops the heartbeat at once: the first step of shutting down, before the running jobs are asked to end. */
    void stopHeartbeat() {
        heartbeat.shutdownNow();
    }

    /** Accepts nothing more, and waits up to {@value #SHUTDOWN_WAIT_SECONDS} s for the uploads running and queued. */
    void shutdown() {
        uploads.shutdown();
        live.shutdown();
        try {
            uploads.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
