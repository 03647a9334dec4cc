package dev.sharkfin.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A live capture's spool: a little-endian pcapng file (one section, one interface, nanosecond timestamps) that
 * the capture thread appends to and that readers follow while it grows.
 *
 * <p>Contract: {@link #committed()} is the length of the file's prefix that holds only complete blocks and has
 * reached the file system; readers never go past it, so whatever they see opens in Wireshark. Appends are
 * buffered and committed by {@link #flush()} (the capture calls it on a short period and at the end), which wakes
 * the followers. After {@link #close()} the committed length is the whole file.
 */
final class PcapngSpool implements AutoCloseable {
    private static final int SHB = 0x0A0D0D0A, IDB = 1, EPB = 6;
    private static final int OPT_IF_NAME = 2, OPT_IF_TSRESOL = 9, OPT_IF_FILTER = 11, OPT_SHB_USERAPPL = 4;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    /** Bytes handed to the channel (complete blocks only, since a block is written to the buffer whole). */
    private long written;
    private volatile long committed;
    private volatile boolean closed;

    /**
     * Creates the file and writes its section header and interface description.
     *
     * @param bufferSize how much is buffered between commits (a block larger than that is written through)
     */
    PcapngSpool(Path path, int linkType, int snaplen, String interfaceName, String filter, int bufferSize) {
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the capture spool " + path + ": " + e.getMessage(), e);
        }
        this.buffer = ByteBuffer.allocate(Math.max(1 << 16, bufferSize)).order(ByteOrder.LITTLE_ENDIAN);
        lock.lock();
        try {
            writeSectionHeader();
            writeInterface(linkType, snaplen, interfaceName, filter);
            commitLocked();
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("Could not write the capture spool " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    Path path() {
        return path;
    }

    /** The length of the readable prefix: complete blocks that reached the file system. */
    long committed() {
        return committed;
    }

    /** Bytes appended so far, committed or not: what the capture's byte limit counts. */
    long size() {
        lock.lock();
        try {
            return written + buffer.position();
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        return closed;
    }

    /**
     * Appends one enhanced packet block.
     *
     * @param nanos   capture time, nanoseconds since the epoch
     * @param data    the captured bytes
     * @param origLen the packet's length on the wire
     * @return the file's length once the block is appended
     */
    long append(long nanos, byte[] data, int origLen) throws IOException {
        int padded = (data.length + 3) & ~3;
        int total = 32 + padded;
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the spool is closed");
            }
            if (buffer.remaining() < total) {
                drainLocked();
            }
            ByteBuffer b = buffer.remaining() >= total ? buffer
                    : ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN); // a block larger than the buffer
            b.putInt(EPB).putInt(total).putInt(0).putInt((int) (nanos >>> 32)).putInt((int) nanos)
                    .putInt(data.length).putInt(origLen).put(data);
            for (int i = data.length; i < padded; i++) {
                b.put((byte) 0);
            }
            b.putInt(total);
            if (b != buffer) {
                b.flip();
                writeFully(b);
            }
            return written + buffer.position();
        } finally {
            lock.unlock();
        }
    }

    /** Commits what was appended: followers and downloads see it from now on. */
    void flush() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                commitLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Commits everything and closes the file; followers reach their end once they have read it. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                commitLocked();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the capture spool " + path + ": " + e.getMessage(), e);
            } finally {
                closed = true;
                closeQuietly();
                grown.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stream over the spool from its first byte that waits for more while the capture goes on, and ends at the
     * committed end once the spool is closed, or at once when {@code abandon} says so.
     */
    InputStream follow(BooleanSupplier abandon) {
        return new Follower(abandon);
    }

    private void commitLocked() throws IOException {
        drainLocked();
        committed = written;
        grown.signalAll();
    }

    private void drainLocked() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            written += channel.write(b);
        }
    }

    private void writeSectionHeader() throws IOException {
        byte[] appl = "Sharkfin live capture".getBytes(StandardCharsets.UTF_8);
        int options = option(appl.length) + 4;
        int total = 28 + options;
        buffer.putInt(SHB).putInt(total).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        putOption(OPT_SHB_USERAPPL, appl);
        buffer.putInt(0); // opt_endofopt
        buffer.putInt(total);
    }

    private void writeInterface(int linkType, int snaplen, String name, String filter) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] filterBytes = filter == null || filter.isEmpty() ? null : filter.getBytes(StandardCharsets.UTF_8);
        int options = option(nameBytes.length) + option(1) + (filterBytes == null ? 0 : option(filterBytes.length + 1)) + 4;
        int total = 20 + options;
        buffer.putInt(IDB).putInt(total).putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        putOption(OPT_IF_NAME, nameBytes);
        putOption(OPT_IF_TSRESOL, new byte[] {9}); // 10^-9 s: timestamps are nanoseconds
        if (filterBytes != null) {
            byte[] f = new byte[filterBytes.length + 1]; // first byte 0: a libpcap filter string
            System.arraycopy(filterBytes, 0, f, 1, filterBytes.length);
            putOption(OPT_IF_FILTER, f);
        }
        buffer.putInt(0);
        buffer.putInt(total);
    }

    private static int option(int length) {
        return 4 + ((length + 3) & ~3);
    }

    private void putOption(int code, byte[] value) {
        buffer.putShort((short) code).putShort((short) value.length).put(value);
        for (int i = value.length; i < ((value.length + 3) & ~3); i++) {
            buffer.put((byte) 0);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }

    /** Reads the committed prefix through its own channel, waiting at its end while the spool is open. */
    private final class Follower extends InputStream {
        private final BooleanSupplier abandon;
        private FileChannel in;
        private long position;

        Follower(BooleanSupplier abandon) {
            this.abandon = abandon;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long end = awaitBeyond(position);
            if (end <= position) {
                return -1;
            }
            if (in == null) {
                in = FileChannel.open(path, StandardOpenOption.READ);
            }
            int n = in.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        /** Waits until the committed length passes {@code at}, the spool closes, or the reader is abandoned. */
        private long awaitBeyond(long at) throws IOException {
            lock.lock();
            try {
                while (committed <= at && !closed && !abandon.getAsBoolean()) {
                    grown.await(200, TimeUnit.MILLISECONDS);
                }
                return abandon.getAsBoolean() ? at : committed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while following the capture spool");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
