package dev.sharkfin.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.capture.PcapFileSource;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.normalize.PacketDocuments;

/**
 * Real packets, mutated: cut short, bits flipped, length fields overwritten, captured and reported lengths
 * disagreeing. For a bounded number of rounds with a fixed seed, every mutant must go through dissection,
 * TCP analysis and the writer without an exception or a hang, and come out as a valid document that still
 * carries its frame fields.
 */
class FuzzTest {
    private static final int ROUNDS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Sample(byte[] data, int linkType) {
    }

    static List<Sample> samples() throws IOException {
        List<Sample> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/captures"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pcap")).sorted().toList()) {
                try (PcapFileSource s = new PcapFileSource(f, CaptureFormat.PCAP)) {
                    Frame fr = new Frame();
                    while (s.next(fr)) {
                        out.add(new Sample(fr.data, fr.linkType));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void mutatedPacketsNeverEscapeAsExceptions() throws IOException {
        List<Sample> samples = samples();
        assertThat(samples).hasSizeGreaterThan(1000);
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> run(samples, new Random(20261126)));
    }

    private static void run(List<Sample> samples, Random random) throws IOException {
        PacketDocuments documents = new PacketDocuments();
        int[] linkTypes = {1, 0, 101, 113, 276, 239, 12};
        long malformed = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Sample s = samples.get(random.nextInt(samples.size()));
            byte[] d = Arrays.copyOf(s.data(), s.data().length);
            int captured = d.length;
            int original = d.length;
            int linkType = random.nextInt(20) == 0 ? linkTypes[random.nextInt(linkTypes.length)] : s.linkType();
            switch (random.nextInt(5)) {
                case 0 -> captured = random.nextInt(d.length + 1);                 // cut short by a snaplen
                case 1 -> {                                                          // cut short, and says so
                    captured = random.nextInt(d.length + 1);
                    original = captured;
                }
                case 2 -> {                                                          // bit flips
                    for (int i = random.nextInt(8) + 1; i > 0 && d.length > 0; i--) {
                        d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 3 -> {                                                          // a length field gone wrong
                    if (d.length > 2) {
                        int at = random.nextInt(d.length - 1);
                        int v = switch (random.nextInt(3)) {
                            case 0 -> 0;
                            case 1 -> 0xffff;
                            default -> random.nextInt(0x10000);
                        };
                        d[at] = (byte) (v >>> 8);
                        d[at + 1] = (byte) v;
                    }
                }
                default -> original = d.length + random.nextInt(3000);             // reported longer than captured
            }
            JsonOut out = documents.write(round, 1_700_000_000_000_000_000L + round * 1000L, d, captured, original,
                    linkType, false);
            if (documents.lastError() != null) {
                throw new AssertionError("mutant of round " + round + " threw", documents.lastError());
            }
            JsonNode doc = JSON.readTree(out.toByteArray());
            assertThat(doc.at("/frame/frame_number").asLong()).isEqualTo(round);
            assertThat(doc.at("/frame/frame_cap_len").asInt()).isEqualTo(captured);
            if (doc.has("_ws") && doc.get("_ws").has("_ws_malformed")) {
                malformed++;
                assertThat(doc.at("/_ws/_ws_malformed_reason").asText()).isNotBlank();
            }
        }
        System.out.printf("Fuzz: %d mutated packets, %d flagged malformed, none escaped%n", ROUNDS, malformed);
        assertThat(malformed).isPositive();
    }
}
