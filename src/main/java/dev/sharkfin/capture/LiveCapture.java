package dev.sharkfin.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running capture: a thread in libpcap's {@code pcap_loop} that only appends packets, with their nanosecond
 * timestamps, to the job's pcapng spool. Indexing follows the spool ({@link #source}), so a slow Elasticsearch
 * never holds up the capture thread and the kernel never drops a packet for it.
 *
 * <p>The capture ends on its first limit (packets, spool size, duration), on {@link #stop}, or on a libpcap error;
 * then the spool is closed, and the followers read to its end. {@link #close()} gives its place back to the
 * {@code maxConcurrent} budget; the job calls it once everything captured is indexed.
 */
public final class LiveCapture implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveCapture.class);

    /** Why a capture ended, as the job shows it. */
    public static final String END_PACKETS = "maxPackets", END_BYTES = "maxBytes", END_DURATION = "maxDuration",
            END_STOPPED = "stopped", END_CANCELLED = "cancelled", END_ERROR = "error";

    private final LiveCaptureSpec spec;
    private final PcapHandle handle;
    private final PcapngSpool spool;
    private final int linkType;
    private final Runnable release;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread thread;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> deadline;

    private volatile boolean stopping;
    private volatile String endReason;
    private volatile String error;
    private volatile long packets;
    private volatile long droppedByKernel;
    private volatile long droppedByInterface;
    private boolean released;

    LiveCapture(String jobId, LiveCaptureSpec spec, PcapHandle handle, PcapngSpool spool, int linkType, Runnable release) {
        this.spec = spec;
        this.handle = handle;
        this.spool = spool;
        this.linkType = linkType;
        this.release = release;
        this.thread = new Thread(this::capture, "sharkfin-capture-" + jobId);
        thread.setDaemon(true);
    }

    void start(ScheduledExecutorService timer, long commitMillis) {
        ticker = timer.scheduleWithFixedDelay(this::tick, commitMillis, commitMillis, TimeUnit.MILLISECONDS);
        deadline = timer.schedule(() -> stop(END_DURATION), spec.maxDuration().toMillis(), TimeUnit.MILLISECONDS);
        thread.start();
    }

    public LiveCaptureSpec spec() {
        return spec;
    }

    public int linkType() {
        return linkType;
    }

    public Path spoolPath() {
        return spool.path();
    }

    /** Packets written to the spool. */
    public long packets() {
        return packets;
    }

    /** The spool's size in bytes, committed or not. */
    public long bytes() {
        return spool.size();
    }

    /** Bytes of the spool a reader may take: complete blocks only. */
    public long committedBytes() {
        return spool.committed();
    }

    /** Packets the kernel dropped because the capture buffer was full (libpcap's ps_drop). */
    public long droppedByKernel() {
        return droppedByKernel;
    }

    /** Packets the interface or its driver dropped (libpcap's ps_ifdrop). */
    public long droppedByInterface() {
        return droppedByInterface;
    }

    /** Null while capturing; then why it ended: maxPackets, maxBytes, maxDuration, stopped, cancelled or error. */
    public String endReason() {
        return ended.getCount() == 0 ? endReason : null;
    }

    /** libpcap's message when the capture ended on an error. */
    public String error() {
        return error;
    }

    public boolean capturing() {
        return ended.getCount() > 0;
    }

    /** Ends the capture (the first reason given wins); returns at once, the spool closes shortly after. */
    public void stop(String reason) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            endReason = reason;
        }
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // the loop has already ended
        }
    }

    /** Waits for the capture thread to close the spool. */
    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    /**
     * The captured packets in order, read from the spool as it grows; its end is the spool's end once the capture
     * is over, or the point where {@code abandon} turns true.
     */
    public PacketSource source(BooleanSupplier abandon) {
        return new SpoolSource(new PcapngReader(spool.follow(abandon)), linkType);
    }

    /**
     * Cuts the spool file back to {@code length} bytes (a block boundary a reader reached), so that it holds exactly
     * the packets that were read from it. For a capture cancelled before its indexer reached the end.
     */
    public void truncateSpool(long length) {
        try (var ch = java.nio.channels.FileChannel.open(spool.path(), java.nio.file.StandardOpenOption.WRITE)) {
            if (length < ch.size()) {
                ch.truncate(length);
            }
        } catch (IOException e) {
            log.warn("Could not cut the spool {} back to {} bytes: {}", spool.path(), length, e.getMessage());
        }
    }

    private void capture() {
        RawPacketListener listener = this::write;
        try {
            if (!stopping) {
                handle.loop(-1, listener);
            }
        } catch (InterruptedException e) {
            // breakLoop: a limit, a stop or a cancel, whose reason is already set
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            fail(e.getMessage());
        } finally {
            finish();
        }
    }

    /** Called by libpcap on the capture thread for every packet. */
    private void write(byte[] data) {
        if (stopping) {
            return; // libpcap may still deliver the rest of a batch after breakLoop
        }
        int padded = (data.length + 3) & ~3;
        if (spool.size() + 32 + padded > spec.maxBytes()) {
            stop(END_BYTES);
            return;
        }
        Timestamp ts = handle.getTimestamp();
        long nanos = Math.floorDiv(ts.getTime(), 1000) * 1_000_000_000L + ts.getNanos();
        Integer orig = handle.getOriginalLength();
        try {
            spool.append(nanos, data, orig == null ? data.length : orig);
        } catch (IOException e) {
            fail("writing the capture spool failed: " + e.getMessage());
            stop(END_ERROR);
            return;
        }
        long n = packets + 1;
        packets = n;
        if (spec.maxPackets() > 0 && n >= spec.maxPackets()) {
            stop(END_PACKETS);
        }
    }

    private void fail(String message) {
        synchronized (this) {
            if (error == null) {
                error = message;
            }
            if (!stopping) {
                stopping = true;
                endReason = END_ERROR;
            }
        }
        log.warn("Live capture on {} failed: {}", spec.interfaceName(), message);
    }

    /** Every period: commits the spool (followers and downloads see new packets) and reads libpcap's counters. */
    private void tick() {
        try {
            spool.flush();
        } catch (IOException e) {
            fail("writing the capture spool failed: " + e.getMessage());
            stop(END_ERROR);
        }
        readStats();
    }

    private void readStats() {
        try {
            PcapStat s = handle.getStats();
            droppedByKernel = s.getNumPacketsDropped();
            droppedByInterface = s.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            // closed, or statistics not supported on this device: the last values stand
        }
    }

    private void finish() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
        readStats();
        try {
            spool.close();
        } catch (RuntimeException e) {
            fail(e.getMessage());
        }
        handle.close();
        ended.countDown();
    }

    /** Stops the capture if it still runs and gives its place back; for the job, once it has indexed the spool. */
    @Override
    public void close() {
        stop(END_STOPPED);
        try {
            ended.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        release.run();
    }

    /** Deletes the spool file (for a capture that could not start). */
    void deleteSpool() {
        try {
            Files.deleteIfExists(spool.path());
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The spool, followed, as a packet source. */
    private static final class SpoolSource implements PacketSource {
        private final PcapngReader reader;
        private final int linkType;

        SpoolSource(PcapngReader reader, int linkType) {
            this.reader = reader;
            this.linkType = linkType;
        }

        @Override
        public int linkType() {
            return linkType;
        }

        @Override
        public boolean next(Frame frame) {
            return reader.next(frame);
        }

        @Override
        public long bytesRead() {
            return reader.bytesRead();
        }

        @Override
        public String warning() {
            return reader.warning();
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
