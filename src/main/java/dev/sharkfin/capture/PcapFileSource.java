package dev.sharkfin.capture;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads a pcap or pcapng file through libpcap (pcap4j), with nanosecond timestamps (pcap4j's default
 * rounds to microseconds). Uploads are read by {@link CaptureFileSource}, in Java; this one stays as the reference
 * it is compared with (CaptureFileSourceTest) and for the tests' oracles.
 */
public final class PcapFileSource implements PacketSource {
    /** Nanoseconds since the epoch fit in a long up to 2262-04-11, the limit of Elasticsearch's date_nanos too. */
    static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

    static {
        LibpcapLocator.configure();
    }

    private final PcapHandle handle;
    private final int linkType;
    private final boolean pcapng;
    private final Path path;
    private long bytesRead;
    private long delivered;
    private String warning;
    /** Takes over where libpcap gives up on a pcapng file whose interfaces differ. */
    private PcapngReader fallback;

    public PcapFileSource(Path path, CaptureFormat format) {
        this.path = path;
        try {
            this.handle = Pcaps.openOffline(path.toString(), PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new CaptureReadException("libpcap cannot read this capture: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureReadException("libpcap is not installed (Debian: apt-get install libpcap0.8): " + e.getMessage(), e);
        }
        this.linkType = handle.getDlt().value();
        this.pcapng = format == CaptureFormat.PCAPNG;
        this.bytesRead = pcapng ? 28 : 24;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public boolean next(Frame frame) {
        if (fallback != null) {
            return fallback.next(frame);
        }
        byte[] data;
        try {
            data = handle.getNextRawPacketEx();
        } catch (EOFException e) {
            return false;
        } catch (PcapNativeException e) {
            if (pcapng && e.getMessage() != null && e.getMessage().contains("different from the")) {
                // libpcap reads a pcapng file only while every interface has the first one's link type and
                // snapshot length; Sharkfin's own reader goes on from the same packet.
                fallback = new PcapngReader(path);
                if (!fallback.skip(delivered)) {
                    warning = "reading stopped: " + fallback.warning();
                    return false;
                }
                return fallback.next(frame);
            }
            warning = "reading stopped at a damaged record: " + e.getMessage();
            return false;
        } catch (NotOpenException | java.util.concurrent.TimeoutException e) {
            warning = "reading stopped: " + e.getMessage();
            return false;
        } catch (IllegalArgumentException e) {
            // pcap4j cannot hold a timestamp whose fraction of a second is out of range (Wireshark reads the
            // packet and flags frame.time_invalid): the reading stops there instead of failing the job.
            warning = "reading stopped at a packet whose timestamp is invalid: " + e.getMessage();
            return false;
        }
        Timestamp ts = handle.getTimestamp();
        long seconds = Math.floorDiv(ts.getTime(), 1000);
        frame.timeOutOfRange = seconds < 0 || seconds > MAX_SECONDS;
        seconds = Math.max(0, Math.min(MAX_SECONDS, seconds));
        frame.timeNanos = seconds * 1_000_000_000L + (frame.timeOutOfRange ? 0 : ts.getNanos());
        frame.wireNanos = frame.timeNanos;
        frame.data = data;
        frame.linkType = linkType;
        delivered++;
        frame.capturedLength = data.length;
        Integer orig = handle.getOriginalLength();
        frame.originalLength = orig == null ? data.length : orig;
        // pcap: a 16-byte record header; pcapng: an enhanced packet block, 32 bytes and padding to 4.
        bytesRead += pcapng ? 32 + ((data.length + 3) & ~3) : 16 + data.length;
        return true;
    }

    @Override
    public long bytesRead() {
        return fallback != null ? fallback.bytesRead() : bytesRead;
    }

    @Override
    public String warning() {
        return fallback != null && fallback.warning() != null ? "reading stopped: " + fallback.warning() : warning;
    }

    @Override
    public void close() {
        handle.close();
        if (fallback != null) {
            fallback.close();
        }
    }

    /**
     * JNA looks for {@code libpcap.so}, which Debian ships only in the -dev package; point it at the
     * runtime library when the name is not set.
     */
    static final class LibpcapLocator {
        static void configure() {
            String key = "org.pcap4j.core.pcapLibName";
            if (System.getProperty(key) != null) {
                return;
            }
            for (String candidate : List.of(
                    "/usr/lib/x86_64-linux-gnu/libpcap.so", "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
                    "/usr/lib/aarch64-linux-gnu/libpcap.so", "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8",
                    "/usr/lib64/libpcap.so.1", "/usr/lib/libpcap.so.1", "/usr/lib/libpcap.so.0.8")) {
                if (Files.exists(Path.of(candidate))) {
                    System.setProperty(key, candidate);
                    return;
                }
            }
        }

        private LibpcapLocator() {
        }
    }
}
