package dev.sharkfin.capture;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.springframework.stereotype.Component;

/**
 * Streams an upload to disk in fixed-size chunks (a 2 GiB upload needs no 2 GiB of heap), checking its
 * magic bytes first and decompressing gzip on the way, so that the stored capture is a plain file (read by the job, again by a resumed one).
 */
@Component
public class CaptureStore {
    private static final int CHUNK = 1 << 16;
    /** How often, in bytes written, the disk's free space is read again while an upload is written. */
    static final int DISK_CHECK_EVERY = 1 << 20;
    private final CaptureProperties props;
    private final DiskSpace disk;
    private final long minFreeDisk;
    private String storeId;

    @org.springframework.beans.factory.annotation.Autowired
    public CaptureStore(CaptureProperties props, UploadProperties uploads, DiskSpace disk) {
        this(props, disk, uploads.minFreeDisk().toBytes());
    }

    /** A store that keeps no disk reserve (tests, tools). */
    public CaptureStore(CaptureProperties props) {
        this(props, new DiskSpace(), 0);
    }

    CaptureStore(CaptureProperties props, DiskSpace disk, long minFreeDisk) {
        this.props = props;
        this.disk = disk;
        this.minFreeDisk = minFreeDisk;
    }

    /**
     * Refuses an upload that declares more bytes ({@code declared}, -1 when unknown) than fit on the capture folder's
     * disk with {@code sharkfin.capture.min-free-disk} left over, before a byte of it is read.
     */
    public void checkRoom(long declared) {
        try {
            Files.createDirectories(props.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the capture folder " + props.dir() + ": " + e.getMessage(), e);
        }
        long free = disk.usable(props.dir());
        long needed = Math.max(0, declared);
        if (free - needed < minFreeDisk) {
            throw noSpace("The capture folder's disk has " + DataSizeText.rounded(free) + " free"
                    + (declared > 0 ? " and the upload declares " + DataSizeText.rounded(declared) : "")
                    + ", and " + DataSizeText.rounded(minFreeDisk) + " are kept free (sharkfin.capture.min-free-disk).");
        }
    }

    private CaptureRejectedException noSpace(String what) {
        return new CaptureRejectedException(CaptureRejectedException.Reason.NO_SPACE,
                what + " Try again once space is freed (GET /api/jobs lists the jobs whose captures are kept in "
                        + "sharkfin.capture.dir).");
    }

    public StoredCapture store(String id, InputStream body) {
        try {
            Files.createDirectories(props.dir());
            CountingInputStream counted = new CountingInputStream(body, props.maxSize().toBytes());
            BufferedInputStream in = new BufferedInputStream(counted, CHUNK);
            byte[] head = peek(in, 4);
            int n = head.length;
            if (n == 0) {
                throw new CaptureRejectedException(CaptureRejectedException.Reason.EMPTY,
                        "The upload is empty. Send a capture file: " + CaptureFormat.ACCEPTED + ".");
            }
            boolean gzip = CaptureFormat.isGzip(head, n);
            InputStream capture = in;
            if (gzip) {
                GZIPInputStream gunzip;
                try {
                    gunzip = new GZIPInputStream(in, CHUNK);
                } catch (EOFException e) {
                    // Before, this EOFException looked like a client that went away: 200, no body, no job, no log.
                    throw unsupported("a gzip stream cut short: it ends inside its 10-byte header (" + counted.count()
                            + " bytes in all), so it holds no capture");
                } catch (ZipException e) {
                    throw unsupported("a gzip stream whose header is damaged (" + e.getMessage() + ")");
                }
                // Pushback, not a buffered stream: a buffered read would loop into a damaged gzip tail and
                // lose the bytes it had already inflated.
                java.io.PushbackInputStream inflated = new java.io.PushbackInputStream(gunzip, 4);
                capture = inflated;
                try {
                    head = inflated.readNBytes(4);
                    inflated.unread(head);
                } catch (EOFException e) {
                    throw unsupported("a gzip stream cut short before its first 4 decompressed bytes (" + e.getMessage() + ")");
                } catch (ZipException e) {
                    throw unsupported("a gzip stream that does not decompress (" + e.getMessage() + ")");
                }
                n = head.length;
            }
            CaptureFormat format = CaptureFormat.detect(head, n);
            if (format == null) {
                throw unsupported(describe(head, n, gzip));
            }
            Path path = pathFor(id, format);
            String warning = null;
            long written = 0;
            long limit = props.maxUncompressedSize().toBytes();
            try (OutputStream out = Files.newOutputStream(path)) {
                byte[] buf = new byte[CHUNK];
                while (true) {
                    int r;
                    try {
                        r = capture.read(buf);
                    } catch (EOFException | ZipException e) {
                        if (!gzip) {
                            throw e;
                        }
                        // A cut-short or damaged gzip stream: keep what decompressed, read what it holds.
                        warning = "the gzip stream is damaged or cut short after " + written
                                + " decompressed bytes (" + e.getMessage() + "); the packets before that point were read";
                        break;
                    }
                    if (r < 0) {
                        break;
                    }
                    if (written / DISK_CHECK_EVERY != (written + r) / DISK_CHECK_EVERY || written == 0) {
                        // Room for the next megabyte with the reserve left over, or stop: a gzip stream can grow a
                        // thousandfold, so the declared length alone cannot tell.
                        long free = disk.usable(props.dir());
                        if (free - DISK_CHECK_EVERY - CHUNK < minFreeDisk) {
                            throw noSpace("The capture folder's disk filled up while the upload was written (" + written
                                    + " bytes written, " + DataSizeText.rounded(free) + " free, "
                                    + DataSizeText.rounded(minFreeDisk) + " kept free: sharkfin.capture.min-free-disk); "
                                    + "nothing of it was kept.");
                        }
                    }
                    written += r;
                    if (written > limit) {
                        throw new CaptureRejectedException(CaptureRejectedException.Reason.TOO_LARGE,
                                "The capture " + (gzip ? "decompresses to" : "is") + " more than "
                                        + DataSizeText.of(limit) + " (sharkfin.capture.max-uncompressed-size); nothing of "
                                        + "it was kept.");
                    }
                    out.write(buf, 0, r);
                }
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(path);
                throw e;
            }
            return new StoredCapture(path, format, gzip, counted.count(), written, warning);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the upload: " + e.getMessage(), e);
        }
    }

    private static CaptureRejectedException unsupported(String what) {
        return new CaptureRejectedException(CaptureRejectedException.Reason.UNSUPPORTED_FORMAT,
                "The upload is " + what + ", not a capture Sharkfin reads. Accepted: " + CaptureFormat.ACCEPTED + ".");
    }

    private static String describe(byte[] head, int n, boolean gzip) {
        StringBuilder sb = new StringBuilder(gzip ? "gzip-compressed data starting with bytes " : "data starting with bytes ");
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", head[i] & 0xff));
        }
        return sb.toString();
    }

    private static byte[] peek(InputStream in, int n) throws IOException {
        in.mark(n);
        byte[] head = in.readNBytes(n);
        in.reset();
        return head;
    }

    /** A byte count as the API's messages show it: "64 KB", "4 GB", "1000 bytes". */
    public static String describeSize(long bytes) {
        return DataSizeText.of(bytes);
    }

    /** Where the capture of job {@code id} is kept: an upload after decompression, or a live capture's spool. */
    public Path pathFor(String id, CaptureFormat format) {
        return props.dir().resolve(id + (format == CaptureFormat.PCAPNG ? ".pcapng" : ".pcap"));
    }

    /** The kept capture of job {@code id}, if this instance's capture folder has it. */
    public java.util.Optional<Path> find(String id) {
        for (CaptureFormat f : new CaptureFormat[] {CaptureFormat.PCAP, CaptureFormat.PCAPNG}) {
            Path p = pathFor(id, f);
            if (Files.isRegularFile(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** Bytes the capture folder holds (kept uploads and live-capture spools). */
    public long usedBytes() {
        if (!Files.isDirectory(props.dir())) {
            return 0;
        }
        try (var files = Files.list(props.dir())) {
            return files.filter(Files::isRegularFile).mapToLong(this::sizeOf).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not measure " + props.dir() + ": " + e.getMessage(), e);
        }
    }

    /** A file's size, 0 if it has gone. */
    public long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * This capture folder's identity: a random id kept in the folder ({@code .sharkfin-store}), created on first use.
     * Job records carry it, so an instance resuming jobs at start-up knows which captures should be in its folder
     * (instances sharing a folder share the id) and leaves the others' jobs alone.
     */
    public synchronized String storeId() {
        if (storeId != null) {
            return storeId;
        }
        Path file = props.dir().resolve(".sharkfin-store");
        try {
            Files.createDirectories(props.dir());
            try {
                Files.writeString(file, java.util.UUID.randomUUID().toString(), java.nio.file.StandardOpenOption.CREATE_NEW);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another instance sharing the folder made it first, or an earlier run did
            }
            String id = Files.readString(file).trim();
            if (id.isEmpty()) {
                throw new IOException("empty");
            }
            storeId = id;
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create " + file + " (the capture folder's id): " + e.getMessage(), e);
        }
    }

    /** The folder captures are kept in, for messages. */
    public Path dir() {
        return props.dir().toAbsolutePath().normalize();
    }

    /** An upload whose job has ended: kept for download with {@code keep-files}, else deleted. */
    public void release(Path path) {
        if (!props.keepFiles()) {
            delete(path);
        }
    }

    /** Deletes a capture file (an upload refused, a capture that could not start). */
    public void delete(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort; the folder is the user's to clean
        }
    }

    /** Counts what is read and rejects an upload as soon as it passes the limit. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final long limit;
        private long count;

        CountingInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                add(r);
            }
            return r;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw new CaptureRejectedException(CaptureRejectedException.Reason.TOO_LARGE,
                        "The upload is larger than the " + DataSizeText.of(limit) + " limit (sharkfin.capture.max-size).");
            }
        }
    }

    static final class DataSizeText {
        /** {@code bytes} in the largest unit that keeps one decimal: "1.5 GB", "300.0 MB", "12 bytes". */
        static String rounded(long bytes) {
            if (bytes >= 1L << 30) {
                return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
            }
            if (bytes >= 1L << 20) {
                return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
            }
            if (bytes >= 1L << 10) {
                return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / (double) (1L << 10));
            }
            return bytes + " bytes";
        }

        static String of(long bytes) {
            if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
                return (bytes >> 30) + " GB";
            }
            if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
                return (bytes >> 20) + " MB";
            }
            if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
                return (bytes >> 10) + " KB";
            }
            return bytes + " bytes";
        }
    }
}
