package dev.sharkfin.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sharkfin.dissect.Udp;
import dev.sharkfin.it.Integration;
import dev.sharkfin.it.SharedCaptures;
import dev.sharkfin.golden.Agreement.Field;

/**
 * The UDP conversations ({@code udp.stream} and the times within a conversation) against tshark on every
 * capture of the three corpora, frame by frame, and on the malformed corpus's captures that hold UDP: the target
 * is every frame.
 */
@Integration
class UdpConversationAgreementTest {
    static final List<Field> FIELDS = List.of(Field.of(Udp.STREAM), Field.of(Udp.TIME_RELATIVE), Field.of(Udp.TIME_DELTA));

    @Test
    void udpConversationsAgreeWithTsharkOnEveryFrame() throws IOException {
        List<Path> captures = ApplicationAgreementTest.corpus();
        Agreement agreement = new Agreement(FIELDS);
        captures.forEach(p -> agreement.compare(p, TsharkAgreementTest.format(p)));
        System.out.println(agreement.report("UDP conversations vs tshark, " + captures.size() + " captures"));
        assertThat(agreement.frames.percent()).isEqualTo(100.0);
        for (Map.Entry<String, Agreement.Score> e : agreement.scores.entrySet()) {
            assertThat(e.getValue().percent()).as(e.getKey() + " " + e.getValue().examples).isEqualTo(100.0);
            assertThat(e.getValue().total).as(e.getKey() + " compared").isGreaterThan(1000);
        }
    }

    /**
     * Damaged captures left out, with why: where the headers below UDP are decoded otherwise, which the header
     * comparison of {@link TsharkAgreementTest} counts, the conversations' numbers after it differ too.
     */
    static final Map<String, String> NOT_THE_CONVERSATIONS = Map.of("rx_serviceid_oobr.pcap", "frame 1 is a first IPv4 fragment "
            + "claiming 65319 bytes in a 71-byte frame: tshark cannot queue it for reassembly and decodes the UDP header in it, "
            + "Sharkfin holds the fragment; every later conversation's number is one lower");

    @Test
    void udpConversationsAgreeOnTheMalformedCorpus() throws IOException {
        // Not the conversations': Sharkfin's IPv6 decoder reads on past a zero payload length (TSO) and decodes
        // the UDP header, where tshark finds an empty payload and shows no UDP header at all.
        Agreement agreement = new Agreement(FIELDS).knownDifference("IPv6 payload length 0 (TSO): tshark decodes no UDP "
                + "header", (row, doc, f) -> doc.has("ipv6")
                && (doc.get("ipv6").isArray() ? doc.get("ipv6").get(0) : doc.get("ipv6")).path("ipv6_plen").asInt(-1) == 0);
        int compared = 0;
        for (Path p : TsharkAgreementTest.captures(SharedCaptures.require("malformed"))) {
            if (NOT_THE_CONVERSATIONS.containsKey(p.getFileName().toString())) {
                continue;
            }
            Map<Long, JsonNode> docs;
            try {
                docs = Agreement.documents(p, TsharkAgreementTest.format(p));
            } catch (RuntimeException | AssertionError e) {
                if (e instanceof AssertionError && !(e.getCause() instanceof IOException)) {
                    throw e; // a decoder threw: a bug
                }
                continue; // a file Sharkfin does not read through: MalformedCorpusTest covers those
            }
            if (docs.values().stream().anyMatch(d -> d.has("udp"))) {
                agreement.compare(p, docs);
                compared++;
            }
        }
        System.out.println(agreement.report("UDP conversations vs tshark, " + compared + " malformed-corpus captures with UDP"));
        for (Map.Entry<String, Agreement.Score> e : agreement.scores.entrySet()) {
            assertThat(e.getValue().percent()).as(e.getKey() + " " + e.getValue().examples).isEqualTo(100.0);
        }
        assertThat(agreement.scores.get("udp.stream").total).isGreaterThan(1000);
        assertThat(agreement.knownDifferences.values().stream().mapToLong(k -> k.total).sum()).as("IPv6 zero payload length")
                .isLessThan(20);
    }
}
