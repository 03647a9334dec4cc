package dev.sharkfin.capture;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A streaming pcapng reader for what libpcap refuses: files whose interfaces differ in link type or
 * snapshot length (captures from several interfaces). Each frame carries its interface's link type.
 * Reads section headers (either byte order), interface descriptions (with {@code if_tsresol} and
 * {@code if_tsoffset}), enhanced, simple and obsolete packet blocks, and skips every other block.
 * A cut-short or damaged block ends the reading with a warning, keeping what came before.
 */
final class PcapngReader implements AutoCloseable {
    private static final int SHB = 0x0A0D0D0A, IDB = 1, OPB = 2, SPB = 3, EPB = 6, CB_COPY = 0x00000BAD,
            CB_NO_COPY = 0x40000BAD;
    private static final long MAX_BLOCK = 64L << 20;

    private final InputStream in;
    private boolean little;
    private int[] linkTypes = new int[4];
    private int[] snaplens = new int[4];
    private long[] unitsPerSecond = new long[4];
    private long[] offsetSeconds = new long[4];
    private int interfaces;
    private long bytesRead;
    private String warning;
    private byte[] block = new byte[1 << 16];
    /** Whether the last frame delivered was a custom block rather than a packet. */
    private boolean customBlock;
    /** The last timestamped frame's times: what frames without a timestamp of their own are indexed at. */
    private long lastNanos;
    private long lastWireNanos;

    PcapngReader(Path path) {
        try {
            this.in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads from a stream, such as a live capture's spool followed while it grows. */
    PcapngReader(InputStream stream) {
        this.in = new BufferedInputStream(stream, 1 << 16);
    }

    long bytesRead() {
        return bytesRead;
    }

    String warning() {
        return warning;
    }

    /** The next packet into {@code f} (with {@code f.linkType}), or false at the end or at a damaged block. */
    boolean next(Frame f) {
        customBlock = false;
        f.comments.clear();
        try {
            while (true) {
                byte[] head = in.readNBytes(8);
                if (head.length == 0) {
                    return false;
                }
                if (head.length < 8) {
                    warning = "the file ends inside a block header";
                    return false;
                }
                int type = int32(head, 0, little);
                if (type == SHB) {
                    byte[] magic = in.readNBytes(4);
                    if (magic.length < 4) {
                        warning = "the file ends inside a section header";
                        return false;
                    }
                    little = (magic[0] & 0xff) == 0x4d;
                    interfaces = 0;
                    long length = uint32(head, 4, little);
                    if (!readBody(length, 12)) {
                        return false;
                    }
                    continue;
                }
                long length = uint32(head, 4, little);
                if (!readBody(length, 8)) {
                    return false;
                }
                int body = (int) length - 12; // block body, without the trailing length
                switch (type) {
                    case IDB -> {
                        if (!addInterface(body)) {
                            return false;
                        }
                    }
                    case EPB -> {
                        if (packet(f, body, int32(block, 0, little), uint32(block, 4, little), uint32(block, 8, little),
                                uint32(block, 12, little), uint32(block, 16, little), 20)) {
                            return true;
                        }
                    }
                    case OPB -> {
                        if (packet(f, body, little ? (block[0] & 0xff) | (block[1] & 0xff) << 8 : (block[0] & 0xff) << 8 | (block[1] & 0xff),
                                uint32(block, 4, little), uint32(block, 8, little), uint32(block, 12, little),
                                uint32(block, 16, little), 20)) {
                            return true;
                        }
                    }
                    case SPB -> {
                        if (interfaces == 0) {
                            warning = "a simple packet block comes before any interface description";
                            return false;
                        }
                        if (body < 4) {
                            warning = "a simple packet block of " + body + " bytes has no room for its original length";
                            return false;
                        }
                        // Unsigned, in long arithmetic: a length past 2^31 is a damaged block, never a negative one.
                        long orig = uint32(block, 0, little);
                        if (orig > Integer.MAX_VALUE) {
                            warning = "a simple packet block's original length " + orig + " is impossible";
                            return false;
                        }
                        long cap = Math.min(body - 4, orig);
                        long snaplen = snaplens[0] & 0xffffffffL;
                        if (snaplen > 0) {
                            cap = Math.min(cap, snaplen);
                        }
                        // No timestamp: Wireshark shows no time fields. Indexed at the previous frame's time.
                        fill(f, 0, lastNanos, (int) cap, (int) orig, 4);
                        f.timeOutOfRange = false;
                        f.wireNanos = Frame.NO_TIME;
                        return true;
                    }
                    case CB_COPY, CB_NO_COPY -> {
                        if (body >= 4) {
                            // Wireshark counts custom blocks as frames; so do we, to keep its frame numbers.
                            // The frame is the custom data; the enterprise number before it is not counted.
                            f.data = Arrays.copyOfRange(block, 4, body);
                            f.capturedLength = f.originalLength = body - 4;
                            f.linkType = Frame.PCAPNG_CUSTOM_BLOCK;
                            f.timeNanos = lastNanos; // no timestamp of its own: indexed at the previous frame's time
                            f.wireNanos = lastWireNanos;
                            f.timeOutOfRange = false;
                            customBlock = true;
                            return true;
                        }
                    }
                    default -> {
                        // name resolution, statistics, journal entries: nothing to index
                    }
                }
            }
        } catch (IOException e) {
            warning = "reading stopped: " + e.getMessage();
            return false;
        }
    }

    private boolean readBody(long length, int consumed) throws IOException {
        if (length < consumed + 4 || length > MAX_BLOCK || (length & 3) != 0) {
            warning = "a block has an impossible length " + length;
            return false;
        }
        int n = (int) length - consumed;
        if (block.length < n) {
            block = new byte[Math.max(n, block.length * 2)];
        }
        int r = in.readNBytes(block, 0, n);
        if (r < n) {
            warning = "the file ends inside a block (" + r + " of " + n + " bytes)";
            return false;
        }
        bytesRead += length;
        return true;
    }

    private boolean addInterface(int body) {
        if (body < 8) {
            warning = "an interface description of " + body + " bytes is too short";
            return false;
        }
        if (interfaces == linkTypes.length) {
            int n = interfaces * 2;
            linkTypes = Arrays.copyOf(linkTypes, n);
            snaplens = Arrays.copyOf(snaplens, n);
            unitsPerSecond = Arrays.copyOf(unitsPerSecond, n);
            offsetSeconds = Arrays.copyOf(offsetSeconds, n);
        }
        int i = interfaces++;
        linkTypes[i] = little ? (block[0] & 0xff) | (block[1] & 0xff) << 8 : (block[0] & 0xff) << 8 | (block[1] & 0xff);
        snaplens[i] = int32(block, 4, little);
        unitsPerSecond[i] = 1_000_000;
        offsetSeconds[i] = 0;
        for (int at = 8; at + 4 <= body; ) {
            int code = little ? (block[at] & 0xff) | (block[at + 1] & 0xff) << 8 : (block[at] & 0xff) << 8 | (block[at + 1] & 0xff);
            int len = little ? (block[at + 2] & 0xff) | (block[at + 3] & 0xff) << 8 : (block[at + 2] & 0xff) << 8 | (block[at + 3] & 0xff);
            if (code == 0 || at + 4 + len > body) {
                break;
            }
            if (code == 9 && len >= 1) {
                int v = block[at + 4] & 0xff;
                int exp = v & 0x7f;
                unitsPerSecond[i] = (v & 0x80) == 0 ? (exp <= 18 ? pow10(exp) : 0) : (exp <= 62 ? 1L << exp : 0);
            } else if (code == 14 && len >= 8) {
                offsetSeconds[i] = (long) uint32(block, at + 4 + (little ? 0 : 4), little)
                        | (long) uint32(block, at + 4 + (little ? 4 : 0), little) << 32;
            }
            at += 4 + ((len + 3) & ~3);
        }
        return true;
    }

    /**
     * A packet block's frame. The lengths are the file's unsigned 32-bit values, compared in long arithmetic: a
     * captured length past the block's end (or an original length past 2^31) is a damaged block, which ends the
     * reading with a warning, never an int overflow into a huge or negative array.
     */
    private boolean packet(Frame f, int body, int iface, long tsHigh, long tsLow, long cap, long orig, int dataAt) {
        if (body < dataAt) {
            warning = "a packet block of " + body + " bytes is too short for its header";
            return false;
        }
        if (iface < 0 || iface >= interfaces) {
            warning = "a packet names interface " + iface + ", which was not described";
            return false;
        }
        if (dataAt + cap > body) {
            warning = "a packet's captured length " + cap + " exceeds its block (" + (body - dataAt) + " bytes of data)";
            return false;
        }
        if (orig > Integer.MAX_VALUE) {
            warning = "a packet's original length " + orig + " is impossible";
            return false;
        }
        long units = unitsPerSecond[iface];
        long ts = tsHigh << 32 | tsLow;
        long nanos;
        if (units == 0) {
            nanos = 0;
        } else {
            BigInteger n = BigInteger.valueOf(ts).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))
                    .multiply(BigInteger.valueOf(1_000_000_000L)).divide(BigInteger.valueOf(units))
                    .add(BigInteger.valueOf(offsetSeconds[iface]).multiply(BigInteger.valueOf(1_000_000_000L)));
            nanos = n.bitLength() < 63 ? n.longValue() : Long.MAX_VALUE;
            f.wireNanos = n.longValue(); // the low 64 bits: wraps, but keeps differences between frames
        }
        if (units == 0) {
            f.wireNanos = 0;
        }
        fill(f, iface, nanos, (int) cap, (int) orig, dataAt);
        comments(f, dataAt + (int) ((cap + 3) & ~3L), body);
        lastNanos = f.timeNanos;
        lastWireNanos = f.wireNanos;
        return true;
    }

    private static final int OPT_END = 0, OPT_COMMENT = 1;

    /**
     * The packet block's comments (opt_comment, UTF-8, up to a NUL), from its options between {@code at} and {@code end}; an
     * option running past the block ends them (Wireshark keeps the comments before it).
     */
    private void comments(Frame f, int at, int end) {
        while (at + 4 <= end) {
            int code = little ? (block[at] & 0xff) | (block[at + 1] & 0xff) << 8 : (block[at] & 0xff) << 8 | (block[at + 1] & 0xff);
            int len = little ? (block[at + 2] & 0xff) | (block[at + 3] & 0xff) << 8 : (block[at + 2] & 0xff) << 8 | (block[at + 3] & 0xff);
            if (code == OPT_END || at + 4 + len > end) {
                return;
            }
            if (code == OPT_COMMENT) {
                int n = 0;
                while (n < len && block[at + 4 + n] != 0) {
                    n++; // Wireshark's comment is a C string: it ends at a NUL a writer left inside the option
                }
                f.comments.add(new String(block, at + 4, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            at += 4 + ((len + 3) & ~3);
        }
    }

    private void fill(Frame f, int iface, long nanos, int cap, int orig, int dataAt) {
        f.data = Arrays.copyOfRange(block, dataAt, dataAt + cap);
        f.capturedLength = cap;
        f.originalLength = Math.max(orig, cap);
        f.linkType = linkTypes[iface];
        long max = PcapFileSource.MAX_SECONDS * 1_000_000_000L;
        f.timeOutOfRange = nanos < 0 || nanos > max;
        f.timeNanos = Math.max(0, Math.min(max, nanos));
    }

    private static long pow10(int e) {
        long v = 1;
        for (int i = 0; i < e; i++) {
            v *= 10;
        }
        return v;
    }

    private static int int32(byte[] b, int at, boolean little) {
        return little
                ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24
                : (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static long uint32(byte[] b, int at, boolean little) {
        return int32(b, at, little) & 0xffffffffL;
    }

    /** The first interface's link type, read up to the first frame; -1 when the file describes none. For a fresh reader. */
    int firstLinkType() {
        next(new Frame());
        return interfaces > 0 ? linkTypes[0] : -1;
    }

    /** Skips {@code n} packets (those libpcap already delivered; it does not deliver custom blocks). */
    boolean skip(long n) {
        Frame scratch = new Frame();
        for (long i = 0; i < n; ) {
            if (!next(scratch)) {
                return false;
            }
            if (!customBlock) {
                i++;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
