package dev.sharkfin.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.CaptureReadException;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Dns;
import dev.sharkfin.dissect.Ipv4;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.dissect.Tcp;
import dev.sharkfin.it.Integration;
import dev.sharkfin.it.SharedCaptures;
import dev.sharkfin.tcp.TcpFields;

/** The linear writer writes exactly the bytes the former quadratic one wrote. */
class LinearDocumentWriterTest {
    @Test
    void everyFrameOfTheProjectsCapturesIsWrittenByteForByteAsBefore() throws IOException {
        List<Path> captures;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/captures"))) {
            captures = files.filter(f -> f.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
        }
        assertThat(captures).isNotEmpty();
        long frames = 0;
        for (Path capture : captures) {
            frames += compare(capture);
        }
        assertThat(frames).isGreaterThan(1000);
    }

    @Test
    @Integration
    void everyFrameOfTheSharedCorpusIsWrittenByteForByteAsBefore() throws IOException {
        long frames = 0;
        for (String folder : List.of("tcp", "protocols", "malformed")) {
            List<Path> captures;
            try (Stream<Path> files = Files.walk(SharedCaptures.require(folder))) {
                captures = files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().toList();
            }
            for (Path capture : captures) {
                try {
                    frames += compare(capture);
                } catch (CaptureReadException unreadable) {
                    // a malformed file libpcap refuses: nothing to write
                }
            }
        }
        assertThat(frames).isGreaterThan(10_000);
    }

    private static long compare(Path capture) {
        Dissector dissector = new Dissector();
        TcpFields tcp = new TcpFields();
        Packet p = new Packet();
        DocumentWriter linear = new DocumentWriter();
        QuadraticDocumentWriter quadratic = new QuadraticDocumentWriter();
        JsonOut a = new JsonOut();
        JsonOut b = new JsonOut();
        long n = 0;
        try (CaptureFileSource source = new CaptureFileSource(capture)) {
            Frame f = new Frame();
            while (source.next(f)) {
                p.reset(++n, f.timeNanos, f.data, f.capturedLength, f.originalLength, f.linkType);
                dissector.dissect(p);
                tcp.analyze(p);
                linear.write(p, a);
                quadratic.write(p, b);
                assertThat(a.toString()).as("%s frame %d", capture.getFileName(), n).isEqualTo(b.toString());
            }
        }
        return n;
    }

    /** Many keys repeated, interleaved, in several layers, one of them twice and one hidden. */
    @Test
    void repeatedKeysInterleavedAcrossLayersAreWrittenAsBefore() {
        Packet p = new Packet();
        p.reset(1, 1_700_000_000_123_456_789L, new byte[64], 64, 64, 1);
        int ip1 = p.layer(Ipv4.PROTOCOL);
        int tcp = p.layer(Tcp.PROTOCOL);
        int ip2 = p.layer(Ipv4.PROTOCOL);
        int dns = p.layer(Dns.PROTOCOL);
        for (int i = 0; i < 300; i++) {
            p.uint(tcp, Tcp.PORT, i);
            p.uint(i % 2 == 0 ? ip1 : ip2, Ipv4.TTL, i);
            p.uint(tcp, i % 3 == 0 ? Tcp.SRCPORT : Tcp.DSTPORT, i * 7L);
            p.uint(dns, Tcp.SEQ_RAW, i);
        }
        p.uint(tcp, Tcp.ACK_RAW, 1);
        p.bool(ip1, Dissector.TIME_OUT_OF_RANGE, true);
        JsonOut a = new JsonOut();
        JsonOut b = new JsonOut();
        new DocumentWriter().write(p, a);
        new QuadraticDocumentWriter().write(p, b);
        assertThat(a.toString()).isEqualTo(b.toString()).contains("\"tcp_ack_raw\":1").contains("\"ip\":[{");
        p.hidePayloadOf(tcp);
        DocumentWriter reused = new DocumentWriter();
        reused.write(p, a);
        new QuadraticDocumentWriter().write(p, b);
        assertThat(a.toString()).isEqualTo(b.toString()).doesNotContain("dns");
    }
}
