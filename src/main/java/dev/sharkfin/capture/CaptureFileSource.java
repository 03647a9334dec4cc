package dev.sharkfin.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a pcap or pcapng file in Java, without libpcap: a fresh machine ingests files with no native library, and a
 * frame costs no JNA call. pcap4j stays for live capture and BPF.
 *
 * <p>It reads what libpcap reads, the way libpcap reads it (checked frame by frame against libpcap on the project's
 * captures and the shared corpus, {@code CaptureFileSourceTest}): pcap in either byte order with microsecond or
 * nanosecond timestamps (and the old Kuznetzov variant), versions before 2.3 with their caplen and len swapped, the
 * link type's FCS bits masked off and the LINKTYPE_ numbers libpcap turns into other DLT_ numbers mapped as libpcap
 * does on Linux (LINKTYPE_RAW 101 is DLT_RAW 12), a record longer than the file's snapshot length read whole (as wiretap
 * reads it, where libpcap cuts it to the snapshot length: tshark shows and dissects every captured byte), a record longer
 * than libpcap's maximum (or cut short by the end of the file) ending the reading with a warning. pcapng goes to
 * {@link PcapngReader} for every file (libpcap refuses interfaces that differ), so custom blocks count as frames as
 * they do in Wireshark, where libpcap skipped them. A timestamp whose fraction is a second or more (a damaged record)
 * is carried into its seconds, where reading through pcap4j threw an IllegalArgumentException and failed the job.
 *
 * <p>Never throws but {@link CaptureReadException} (an unreadable header); a damaged record ends the reading, with
 * {@link #warning()} saying where, and what came before is kept.
 */
public final class CaptureFileSource implements PacketSource {
    private static final int BUFFER = 1 << 18;
    /** libpcap's MAXIMUM_SNAPLEN: a record claiming more is damaged (a few link types allow more, see maxSnaplen). */
    private static final int MAXIMUM_SNAPLEN = 262_144;

    private final FileChannel channel;
    private final PcapngReader pcapng;
    private final ByteBuffer buf;
    private final int linkType;
    private final boolean nanos;
    private final int recordHeader;
    /** 0: as written; 1: caplen and len swapped (before 2.3); 2: swapped when caplen > len (2.3). */
    private final int lengthSwap;
    private final long maxCaplen;
    private long bytesRead;
    private String warning;
    private boolean ended;

    public CaptureFileSource(Path path) {
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CaptureReadException("cannot open the capture: " + e.getMessage(), e);
        }
        try {
            ByteBuffer head = ByteBuffer.allocate(24);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // fill
            }
            head.flip();
            CaptureFormat format = CaptureFormat.detect(head.array(), head.limit());
            if (format == null) {
                throw new CaptureReadException("not a pcap or pcapng file (no magic number)", null);
            }
            if (format == CaptureFormat.PCAPNG) {
                channel.position(0);
                InputStream in = Channels.newInputStream(channel);
                pcapng = new PcapngReader(in);
                buf = null;
                linkType = firstLinkType(path);
                nanos = false;
                recordHeader = 0;
                lengthSwap = 0;
                maxCaplen = 0;
                return;
            }
            if (head.limit() < 24) {
                throw new CaptureReadException("the file ends inside the pcap header (" + head.limit() + " of 24 bytes)", null);
            }
            pcapng = null;
            int magic = head.getInt(0);
            boolean swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1 || magic == 0x34cdb2a1;
            head.order(swapped ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            nanos = format == CaptureFormat.PCAP_NANO;
            recordHeader = magic == 0xa1b2cd34 || magic == 0x34cdb2a1 ? 24 : 16;
            int major = head.getShort(4) & 0xffff;
            int minor = head.getShort(6) & 0xffff;
            if (major < 2) {
                throw new CaptureReadException("archaic pcap savefile format (version " + major + "." + minor + ")", null);
            }
            lengthSwap = major == 2 && minor < 3 ? 1 : major == 2 && minor == 3 ? 2 : 0;
            linkType = dlt(head.getInt(20) & 0x03ffffff);
            maxCaplen = maxSnaplen(linkType);
            buf = ByteBuffer.allocate(BUFFER).order(head.order());
            buf.flip();
            channel.position(24);
            bytesRead = 24;
        } catch (IOException e) {
            close();
            throw new CaptureReadException("cannot read the capture: " + e.getMessage(), e);
        } catch (CaptureReadException e) {
            close();
            throw e;
        }
    }

    /** The first interface's link type (what libpcap reports for the file), or Ethernet when there is none. */
    private static int firstLinkType(Path path) {
        try (PcapngReader probe = new PcapngReader(path)) {
            int t = probe.firstLinkType();
            return t < 0 ? 1 : dlt(t);
        }
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public boolean next(Frame frame) {
        if (pcapng != null) {
            if (!pcapng.next(frame)) {
                return false;
            }
            if (frame.linkType != Frame.PCAPNG_CUSTOM_BLOCK) {
                frame.linkType = dlt(frame.linkType);
            }
            return true;
        }
        if (ended) {
            return false;
        }
        try {
            return record(frame);
        } catch (IOException e) {
            return stop("reading stopped: " + e.getMessage());
        }
    }

    private boolean record(Frame frame) throws IOException {
        int have = fill(recordHeader);
        if (have == 0) {
            ended = true;
            return false;
        }
        if (have < recordHeader) {
            return stop("the file ends inside a record header (" + have + " of " + recordHeader + " bytes)");
        }
        long seconds = buf.getInt();
        long fraction = buf.getInt() & 0xffffffffL;
        long caplen = buf.getInt() & 0xffffffffL;
        long len = buf.getInt() & 0xffffffffL;
        buf.position(buf.position() + recordHeader - 16);
        if (lengthSwap == 1 || lengthSwap == 2 && caplen > len) {
            long t = caplen;
            caplen = len;
            len = t;
        }
        if (caplen > maxCaplen) {
            return stop("a record's captured length " + caplen + " is bigger than the maximum of " + maxCaplen);
        }
        // Bounded by the link type's maximum above, not by the header's snapshot length: wiretap's rule.
        byte[] data = new byte[(int) caplen];
        if (!read(data)) {
            return stop("the file ends inside a record (" + caplen + " captured bytes announced)");
        }
        bytesRead += recordHeader + caplen;
        // Microseconds to nanoseconds in 32 bits, as libpcap and Wireshark both do: a damaged microsecond field wraps
        // the same way in all three. A fraction of a second or more is carried into the seconds (the instant tshark
        // shows as x.1000000000), where pcap4j's Timestamp threw.
        long nanosOfSecond = nanos ? fraction : (fraction * 1000) & 0xffffffffL;
        seconds += Math.floorDiv(nanosOfSecond, 1_000_000_000L);
        nanosOfSecond = Math.floorMod(nanosOfSecond, 1_000_000_000L);
        frame.timeOutOfRange = seconds < 0 || seconds > PcapFileSource.MAX_SECONDS;
        seconds = Math.max(0, Math.min(PcapFileSource.MAX_SECONDS, seconds));
        frame.timeNanos = seconds * 1_000_000_000L + (frame.timeOutOfRange ? 0 : nanosOfSecond);
        frame.wireNanos = frame.timeNanos;
        frame.data = data;
        frame.capturedLength = data.length;
        frame.originalLength = (int) Math.min(len, Integer.MAX_VALUE);
        frame.linkType = linkType;
        return true;
    }

    private boolean stop(String why) {
        warning = why;
        ended = true;
        return false;
    }

    /** Makes up to {@code n} bytes available in the buffer; returns how many are. */
    private int fill(int n) throws IOException {
        if (buf.remaining() < n) {
            buf.compact();
            while (buf.position() < n && channel.read(buf) > 0) {
                // keep reading
            }
            buf.flip();
        }
        return Math.min(buf.remaining(), n);
    }

    private boolean read(byte[] to) throws IOException {
        int at = 0;
        while (at < to.length) {
            if (!buf.hasRemaining() && fill(Math.min(BUFFER, to.length - at)) == 0) {
                return false;
            }
            int n = Math.min(buf.remaining(), to.length - at);
            buf.get(to, at, n);
            at += n;
        }
        return true;
    }

    /** libpcap's linktype_to_dlt on Linux: the LINKTYPE_ numbers whose DLT_ number differs. */
    static int dlt(int linkType) {
        return switch (linkType) {
            case 100 -> 11;   // ATM_RFC1483
            case 101 -> 12;   // RAW
            case 102 -> 15;   // SLIP_BSDOS
            case 103 -> 16;   // PPP_BSDOS
            case 106 -> 19;   // ATM_CLIP
            default -> linkType;
        };
    }

    /** libpcap's max_snaplen_for_dlt. */
    private static long maxSnaplen(int dlt) {
        return switch (dlt) {
            case 231 -> 128L << 20;   // DBUS
            case 279 -> 8L << 20;     // EBHSCR
            case 249 -> 1L << 20;     // USBPCAP
            default -> MAXIMUM_SNAPLEN;
        };
    }

    @Override
    public long bytesRead() {
        return pcapng != null ? pcapng.bytesRead() : bytesRead;
    }

    @Override
    public String warning() {
        return pcapng != null ? pcapng.warning() : warning;
    }

    @Override
    public void close() {
        if (pcapng != null) {
            pcapng.close();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // read-only
        }
    }
}
