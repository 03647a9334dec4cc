package dev.sharkfin.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcapng with interfaces of different link types: libpcap refuses the second interface, so the source
 * hands over to Sharkfin's own reader at the same packet, and every packet is read with its own link type.
 */
class PcapngReaderTest {
    @TempDir
    Path dir;

    static byte[] block(int type, byte[] body) {
        int len = 12 + ((body.length + 3) & ~3);
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(len).put(body);
        b.position(len - 4);
        b.putInt(len);
        return b.array();
    }

    static byte[] shb() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1);
        return block(0x0A0D0D0A, b.array());
    }

    static byte[] idb(int linkType, int snaplen, int tsresol) {
        ByteBuffer b = ByteBuffer.allocate(8 + (tsresol >= 0 ? 8 : 0) + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        if (tsresol >= 0) {
            b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        }
        b.putShort((short) 0).putShort((short) 0);
        return block(1, b.array());
    }

    static byte[] epb(int iface, long ts, byte[] data, int orig) {
        ByteBuffer b = ByteBuffer.allocate(20 + ((data.length + 3) & ~3)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(iface).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(data.length).putInt(orig).put(data);
        return block(6, b.array());
    }

    /** An enhanced packet block with options: each comment (opt_comment, 1), then the end of options. */
    static byte[] epbWithComments(byte[] data, String... comments) {
        ByteArrayOutputStream options = new ByteArrayOutputStream();
        for (String c : comments) {
            byte[] text = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteBuffer o = ByteBuffer.allocate(4 + ((text.length + 3) & ~3)).order(ByteOrder.LITTLE_ENDIAN);
            o.putShort((short) 1).putShort((short) text.length).put(text);
            options.writeBytes(o.array());
        }
        options.writeBytes(new byte[4]);
        ByteBuffer b = ByteBuffer.allocate(20 + ((data.length + 3) & ~3) + options.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(0).putInt(1).putInt(data.length).putInt(data.length).put(data);
        b.position(20 + ((data.length + 3) & ~3));
        b.put(options.toByteArray());
        return block(6, b.array());
    }

    /**
     * Packet comments, which Wireshark shows as expert items: read in order, each up to a NUL inside it (as
     * Wireshark shows it), and none on a packet without.
     */
    @Test
    void packetCommentsAreReadForTheirPacketOnly() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(shb());
        out.writeBytes(idb(101, 65535, -1));
        out.writeBytes(epbWithComments(RAW, "Packet #1\0xM9", "second, ü"));
        out.writeBytes(epb(0, 1_700_000_000_000_000L, RAW, 20));
        Path f = dir.resolve("comments.pcapng");
        Files.write(f, out.toByteArray());
        try (PcapngReader r = new PcapngReader(f)) {
            Frame fr = new Frame();
            assertThat(r.next(fr)).isTrue();
            assertThat(fr.comments).containsExactly("Packet #1", "second, ü");
            assertThat(fr.data).isEqualTo(RAW);
            assertThat(r.next(fr)).isTrue();
            assertThat(fr.comments).isEmpty();
        }
    }

    static final byte[] ETH = new byte[60];
    static final byte[] RAW = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};

    static byte[] twoInterfaces() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(shb());
        out.writeBytes(idb(1, 65535, -1));               // Ethernet, microseconds
        out.writeBytes(epb(0, 1_700_000_000_123_456L, ETH, 60));
        out.writeBytes(idb(101, 128, 9));                 // raw IP, nanoseconds, another snaplen
        out.writeBytes(epb(0, 1_700_000_001_000_000L, ETH, 1514));
        out.writeBytes(epb(1, 1_700_000_002_000_000_007L, RAW, 20));
        return out.toByteArray();
    }

    @Test
    void libpcapHandsOverAndEveryPacketKeepsItsLinkTypeAndTime() throws IOException {
        Path f = dir.resolve("two.pcapng");
        Files.write(f, twoInterfaces());
        try (PcapFileSource s = new PcapFileSource(f, CaptureFormat.PCAPNG)) {
            Frame fr = new Frame();
            assertThat(s.next(fr)).isTrue();
            assertThat(fr.linkType).isEqualTo(1);
            assertThat(fr.timeNanos).isEqualTo(1_700_000_000_123_456_000L);
            assertThat(s.next(fr)).isTrue();
            assertThat(fr.originalLength).isEqualTo(1514);
            assertThat(fr.capturedLength).isEqualTo(60);
            assertThat(s.next(fr)).isTrue();
            assertThat(fr.linkType).isEqualTo(101);
            assertThat(fr.timeNanos).isEqualTo(1_700_000_002_000_000_007L);
            assertThat(fr.data).isEqualTo(RAW);
            assertThat(s.next(fr)).isFalse();
            assertThat(s.warning()).isNull();
        }
    }

    @Test
    void aCutShortBlockEndsTheReadingWithAWarningAndKeepsWhatCameBefore() throws IOException {
        byte[] whole = twoInterfaces();
        Path f = dir.resolve("cut.pcapng");
        Files.write(f, Arrays.copyOf(whole, whole.length - 10));
        try (PcapngReader r = new PcapngReader(f)) {
            Frame fr = new Frame();
            assertThat(r.next(fr)).isTrue();
            assertThat(r.next(fr)).isTrue();
            assertThat(r.next(fr)).isFalse();
            assertThat(r.warning()).contains("ends inside a block");
        }
    }

    /**
     * The tester's 160-byte file: two interfaces of different link types (so libpcap hands over to Sharkfin's
     * reader), then an enhanced packet block whose captured length, 0x7ffffff0, overflowed the bounds check in
     * int arithmetic and made the reader allocate a 2 GiB frame.
     */
    static byte[] hugeCapturedLength() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(shb());
        out.writeBytes(idb(1, 65535, -1));
        out.writeBytes(idb(101, 65535, -1));
        ByteBuffer b = ByteBuffer.allocate(20 + 60).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(0).putInt(0).putInt(0x7ffffff0).putInt(0x7ffffff0).put(new byte[60]);
        out.writeBytes(block(6, b.array()));
        return out.toByteArray();
    }

    @Test
    void aCapturedLengthBeyondItsBlockIsADamagedBlockNotA2GiBFrame() throws IOException {
        byte[] file = hugeCapturedLength();
        assertThat(file).hasSize(160 + 8); // SHB 28, IDB 24 + 24, EPB 92: the tester's 160 bytes and our end-of-options
        Path f = dir.resolve("huge.pcapng");
        Files.write(f, file);
        try (PcapFileSource s = new PcapFileSource(f, CaptureFormat.PCAPNG)) {
            Frame fr = new Frame();
            assertThat(s.next(fr)).as("no frame is made of a block that cannot hold it").isFalse();
            assertThat(fr.data).isNull();
            assertThat(s.warning()).contains("captured length 2147483632").contains("exceeds its block");
        }
    }

    @Test
    void aGoodPacketBeforeTheDamagedBlockIsKept() throws IOException {
        byte[] bad = hugeCapturedLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(bad, 28 + 48));               // SHB and both interfaces
        out.writeBytes(epb(1, 1_700_000_000_000_000L, RAW, 20));    // a good raw-IP packet
        out.writeBytes(Arrays.copyOfRange(bad, 28 + 48, bad.length)); // the damaged block
        Path f = dir.resolve("good-then-huge.pcapng");
        Files.write(f, out.toByteArray());
        try (PcapFileSource s = new PcapFileSource(f, CaptureFormat.PCAPNG)) {
            Frame fr = new Frame();
            assertThat(s.next(fr)).isTrue();
            assertThat(fr.data).isEqualTo(RAW);
            assertThat(s.next(fr)).isFalse();
            assertThat(s.warning()).contains("exceeds its block");
        }
    }

    /** A simple packet block whose original length is negative as a signed int: "Ingestion failed: 4 > -12". */
    @Test
    void aSimplePacketBlockWithANegativeOriginalLengthIsDamaged() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(shb());
        out.writeBytes(idb(1, 65535, -1));
        out.writeBytes(idb(101, 65535, -1));
        ByteBuffer spb = ByteBuffer.allocate(4 + 60).order(ByteOrder.LITTLE_ENDIAN);
        spb.putInt(-12).put(new byte[60]);
        out.writeBytes(block(3, spb.array()));
        Path f = dir.resolve("spb.pcapng");
        Files.write(f, out.toByteArray());
        try (PcapFileSource s = new PcapFileSource(f, CaptureFormat.PCAPNG)) {
            Frame fr = new Frame();
            assertThat(s.next(fr)).isFalse();
            assertThat(s.warning()).contains("original length 4294967284");
        }
        // A simple packet block too short for its length field is damaged as well.
        ByteArrayOutputStream tiny = new ByteArrayOutputStream();
        tiny.writeBytes(shb());
        tiny.writeBytes(idb(1, 65535, -1));
        tiny.writeBytes(idb(101, 65535, -1));
        tiny.writeBytes(block(3, new byte[0]));
        Files.write(f, tiny.toByteArray());
        try (PcapngReader r = new PcapngReader(f)) {
            assertThat(r.next(new Frame())).isFalse();
            assertThat(r.warning()).contains("simple packet block");
        }
    }
}
