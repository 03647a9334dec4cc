package dev.sharkfin.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sharkfin.it.Integration;
import dev.sharkfin.it.SharedCaptures;

/**
 * The pure-Java reader reads what libpcap reads: every frame's timestamps, lengths, link type and bytes, in order,
 * and stops where libpcap stops. Where they differ on purpose (custom blocks, which Wireshark counts as frames and
 * libpcap skips; a record longer than the file's snapshot length, which libpcap cuts to it and wiretap reads whole),
 * the difference is named.
 */
class CaptureFileSourceTest {
    @Test
    void theProjectsCapturesReadAsLibpcapReadsThem() throws IOException {
        List<String> differences = new ArrayList<>();
        long frames = 0;
        for (Path capture : captures(Path.of("src/test/resources/captures"))) {
            frames += compare(capture, differences);
        }
        assertThat(frames).isGreaterThan(1000);
        assertThat(differences).isEmpty();
    }

    /** Wiretap's rule (tshark shows every captured byte): the snapshot length in the header does not cut a record. */
    @Test
    void aRecordLongerThanTheSnapshotLengthIsReadWhole(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(64).putInt(1);
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(0).putInt(100).putInt(120);
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.array());
        out.writeBytes(record.array());
        out.writeBytes(data);
        Path file = Files.write(dir.resolve("snap64.pcap"), out.toByteArray());
        List<Frame> frames = new ArrayList<>();
        assertThat(readAll(() -> new CaptureFileSource(file), frames)).isNull();
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.capturedLength).isEqualTo(100);
            assertThat(f.originalLength).isEqualTo(120);
            assertThat(Arrays.copyOf(f.data, f.capturedLength)).isEqualTo(data);
        });
    }

    @Test
    @Integration
    void theSharedTcpAndProtocolCapturesReadAsLibpcapReadsThem() throws IOException {
        List<String> differences = new ArrayList<>();
        long frames = 0;
        for (String folder : List.of("tcp", "protocols")) {
            for (Path capture : captures(SharedCaptures.require(folder))) {
                frames += compare(capture, differences);
            }
        }
        differences.forEach(d -> System.out.println("[reader] " + d));
        assertThat(frames).isGreaterThan(10_000);
        assertThat(differences).isEmpty();
    }

    /**
     * Damaged files: never anything thrown but CaptureReadException, and the same frames as libpcap up to where either
     * stops, the same number of them, ending the same way (a warning or not).
     */
    @Test
    @Integration
    void theMalformedCorpusEndsWithAWarningNeverAnException() throws IOException {
        List<String> differences = new ArrayList<>();
        List<Path> files = captures(SharedCaptures.require("malformed"));
        for (Path capture : files) {
            compare(capture, differences);
        }
        differences.forEach(d -> System.out.println("[reader, malformed] " + d));
        assertThat(files).hasSizeGreaterThan(10);
        // The one difference: a timestamp fraction of a second or more, which pcap4j's Timestamp refuses (PcapFileSource
        // stops there with a warning); the new reader carries it into the seconds, as tshark shows it, and reads on.
        assertThat(differences).allSatisfy(d -> assertThat(d).contains("reading stopped at a packet whose timestamp is invalid"));
        assertThat(differences).hasSizeLessThanOrEqualTo(3);
    }

    private static List<Path> captures(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().toList();
        }
    }

    /** Compares the two readers on one file; returns the frames the new reader read. */
    private static long compare(Path capture, List<String> differences) {
        List<Frame> expected = new ArrayList<>();
        String expectedEnd;
        try {
            expectedEnd = readAll(() -> new PcapFileSource(capture, format(capture)), expected);
        } catch (RuntimeException e) {
            expectedEnd = "libpcap threw " + e;
        }
        List<Frame> actual = new ArrayList<>();
        String actualEnd;
        try {
            actualEnd = readAll(() -> new CaptureFileSource(capture), actual);
        } catch (CaptureReadException e) {
            actualEnd = "refused: " + e.getMessage();
        } catch (RuntimeException e) {
            differences.add(capture.getFileName() + ": the new reader threw " + e);
            return 0;
        }
        int i = 0;
        int j = 0;
        int custom = 0;
        while (i < expected.size() && j < actual.size()) {
            Frame a = actual.get(j);
            Frame e = expected.get(i);
            if (a.linkType == Frame.PCAPNG_CUSTOM_BLOCK && e.linkType != Frame.PCAPNG_CUSTOM_BLOCK) {
                custom++; // libpcap skips custom blocks; Wireshark (and this reader) counts them as frames
                j++;
                continue;
            }
            String d = differs(e, a, snaplen(capture));
            if (d != null) {
                differences.add(capture.getFileName() + " frame " + (j + 1) + ": " + d);
                return actual.size();
            }
            i++;
            j++;
        }
        while (j < actual.size() && actual.get(j).linkType == Frame.PCAPNG_CUSTOM_BLOCK) {
            j++;
            custom++;
        }
        if (i != expected.size() || j != actual.size()) {
            differences.add(capture.getFileName() + ": libpcap read " + expected.size() + " frames (" + expectedEnd + "), the new reader "
                    + (actual.size() - custom) + " (" + actualEnd + ")");
        } else if ((expectedEnd == null) != (actualEnd == null)) {
            differences.add(capture.getFileName() + ": same " + expected.size() + " frames; libpcap ended with " + expectedEnd
                    + ", the new reader with " + actualEnd);
        }
        return actual.size();
    }

    private static String differs(Frame e, Frame a, long snaplen) {
        if (e.timeNanos != a.timeNanos || e.wireNanos != a.wireNanos || e.timeOutOfRange != a.timeOutOfRange) {
            return "time " + e.timeNanos + "/" + e.wireNanos + "/" + e.timeOutOfRange + " vs " + a.timeNanos + "/" + a.wireNanos + "/"
                    + a.timeOutOfRange;
        }
        // libpcap cuts a record at the snapshot length; the reader (as wiretap, as tshark) keeps what the record holds.
        boolean beyondSnaplen = e.capturedLength == snaplen && a.capturedLength > snaplen;
        if (e.capturedLength != a.capturedLength && !beyondSnaplen || e.originalLength != a.originalLength) {
            return "lengths " + e.capturedLength + "/" + e.originalLength + " vs " + a.capturedLength + "/" + a.originalLength;
        }
        if (e.linkType != a.linkType) {
            return "link type " + e.linkType + " vs " + a.linkType;
        }
        // Past the snapshot length libpcap holds the record's first snaplen bytes: those must be the reader's first ones.
        if (!Arrays.equals(e.data, 0, e.capturedLength, a.data, 0, beyondSnaplen ? e.capturedLength : a.capturedLength)) {
            return "bytes differ";
        }
        return null;
    }

    /** A pcap file's snapshot length; -1 for pcapng (whose simple packet blocks both readers cut at it alike). */
    private static long snaplen(Path capture) {
        try (var in = Files.newInputStream(capture)) {
            ByteBuffer head = ByteBuffer.wrap(in.readNBytes(24));
            if (head.limit() < 24 || CaptureFormat.detect(head.array(), 4) == CaptureFormat.PCAPNG) {
                return -1;
            }
            int magic = head.getInt(0);
            boolean swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1 || magic == 0x34cdb2a1;
            head.order(swapped ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            return head.getInt(16) & 0xffffffffL;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readAll(java.util.function.Supplier<PacketSource> open, List<Frame> into) {
        try (PacketSource source = open.get()) {
            while (true) {
                Frame f = new Frame();
                if (!source.next(f)) {
                    break;
                }
                into.add(f);
            }
            return Objects.toString(source.warning(), null);
        }
    }

    private static CaptureFormat format(Path capture) throws RuntimeException {
        try (var in = Files.newInputStream(capture)) {
            byte[] head = in.readNBytes(4);
            CaptureFormat f = CaptureFormat.detect(head, head.length);
            return f == null ? CaptureFormat.PCAP : f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
