package dev.sharkfin.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.dissect.Tcp;
import dev.sharkfin.golden.Agreement.Field;
import dev.sharkfin.it.SharedCaptures;

/**
 * tshark is the oracle: every catalog field of the frame, link, network and transport protocols and of the
 * TCP analysis (the catalog's Wireshark names; Sharkfin-only fields are not compared). On the project's own
 * recorded captures every field must agree on every frame; on the shared corpus the report is printed and the
 * floor is the measured agreement. The fields that do not agree yet are listed with their reason and floor.
 */
public class TsharkAgreementTest {
    /**
     * The protocols whose fields this test compares: the frame, the link, network and transport headers and
     * the TCP analysis. {@link ApplicationAgreementTest} compares every other protocol's.
     */
    public static final Set<String> HEADER_PROTOCOLS = Set.of("frame", "_ws", "eth", "arp", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp");

    /** Every catalog field of the header protocols with a Wireshark name, the TCP analysis's aside. */
    public static final List<Field> HEADER_FIELDS = Agreement.catalogFields(
            f -> HEADER_PROTOCOLS.contains(f.protocol().name()) && !Tcp.analysisFields().contains(f));

    /** The fields the TCP analysis (tcp.TcpFields) writes. */
    public static final List<Field> TCP_ANALYSIS_FIELDS = Agreement.catalogFields(Tcp.analysisFields()::contains);

    /** A field that does not agree with tshark yet: why, and the agreement measured when it was listed (its floor). */
    record Known(String reason, double percent) {
    }

    static final String FRAME_PROTOCOLS = "tshark lists an ethertype layer after the link layer (and data for a payload no "
            + "dissector takes); Sharkfin does not (issue 9)";
    static final String OPTION_KIND = "tshark lists every option kind in wire order, NOP and EOL included; Sharkfin leaves "
            + "NOP and EOL out (and writes tcp_option_kind_eol) (issue 9)";
    static final String EXPERT_MESSAGE = "tshark lists every expert information (chats such as 'Connection establish request "
            + "(SYN)' included); Sharkfin writes only the first length warning";
    static final String SHORT = "tshark flags a short frame where a protocol Sharkfin does not decode (JXTA on the iperf "
            + "port) meets the snapshot length; Sharkfin only where a header it decodes is cut";
    static final String COMPLETENESS = "differs by one flag bit on a few conversations of zeek_ftp-ipv6.pcap (to investigate)";

    /**
     * Known differences on the project's own captures: issue 9's defects, left for the decoders to fix. A listed
     * field must not fall below its measured agreement; once it agrees everywhere, take it off the list.
     */
    static final Map<String, Known> PROJECT_DIFFERENCES = Map.of(
            "frame.protocols", new Known(FRAME_PROTOCOLS, 0.0),
            "tcp.option_kind", new Known(OPTION_KIND, 0.27),
            "_ws.expert.message", new Known(EXPERT_MESSAGE, 0.0),
            "_ws.short", new Known(SHORT, 0.0));

    /** Known differences on ../shared/captures/tcp (besides the sFlow frame described in the test). */
    static final Map<String, Known> SHARED_TCP_DIFFERENCES = Map.of(
            "frame.protocols", new Known(FRAME_PROTOCOLS, 0.0),
            "frame.encap_type", new Known("holds the capture's link type (LINKTYPE_*), not Wireshark's encapsulation number "
                    + "(raw IP 12 for 7, SLL 113 for 25) (issue 9)", 96.74),
            "tcp.option_kind", new Known(OPTION_KIND, 2.52),
            "tcp.completeness", new Known(COMPLETENESS, 99.92),
            "_ws.expert.message", new Known(EXPERT_MESSAGE, 0.07),
            "_ws.short", new Known(SHORT, 0.0),
            "_ws.malformed", new Known("tshark marks frames malformed in protocols Sharkfin does not decode", 1.14));

    /** Every field listed as a known difference anywhere above: what other comparisons leave out until it is fixed. */
    public static java.util.Set<String> knownDifferences() {
        java.util.Set<String> all = new java.util.TreeSet<>(PROJECT_DIFFERENCES.keySet());
        all.addAll(SHARED_TCP_DIFFERENCES.keySet());
        return all;
    }

    /** Known differences of the TCP analysis on ../shared/captures/{tcp,protocols}. */
    static final Map<String, Known> SHARED_ANALYSIS_DIFFERENCES = Map.of(
            "tcp.completeness", new Known(COMPLETENESS, 99.92));

    /**
     * What differs by the comparison, not by Sharkfin: Wireshark's IPv6 dissector shows an {@code ip.version}
     * field too, where Sharkfin has only {@code ipv6.ipv6_version}.
     */
    static Agreement withKnownDifferences(Agreement a) {
        return a.knownDifference("ip.version of an IPv6 header (Wireshark's IPv6 dissector adds ip.version; Sharkfin's is "
                + "ipv6.ipv6_version)", (row, doc, f) -> f.tshark().equals("ip.version") && doc.get("ip") == null);
    }

    /** Asserts each field at 100% but the known differences, each at its floor and not yet at 100%. */
    static void assertAgreement(Agreement agreement, Map<String, Known> known) {
        for (Map.Entry<String, Agreement.Score> e : agreement.scores.entrySet()) {
            Known k = known.get(e.getKey());
            if (k == null) {
                assertThat(e.getValue().percent()).as(e.getKey() + " " + e.getValue().examples).isEqualTo(100.0);
            } else {
                assertThat(e.getValue().percent()).as(e.getKey() + " (known: " + k.reason() + ") " + e.getValue().examples)
                        .isGreaterThanOrEqualTo(k.percent()).isLessThan(100.0);
            }
        }
        assertThat(agreement.scores).as("known differences that are compared").containsKeys(known.keySet().toArray(String[]::new));
    }

    static List<Field> allFields() {
        List<Field> all = new ArrayList<>(HEADER_FIELDS);
        all.addAll(TCP_ANALYSIS_FIELDS);
        return all;
    }

    static List<Path> captures(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
        }
    }

    static CaptureFormat format(Path p) {
        return p.toString().endsWith(".pcapng") ? CaptureFormat.PCAPNG : CaptureFormat.PCAP;
    }

    @Test
    void projectCapturesAgreeWithTsharkOnEveryField() throws IOException {
        Agreement agreement = withKnownDifferences(new Agreement(allFields()));
        List<Path> own = captures(Path.of("src/test/resources/captures"));
        assertThat(own).isNotEmpty();
        own.forEach(p -> agreement.compare(p, format(p)));
        System.out.println(agreement.report("Sharkfin vs tshark, project captures " + own.stream().map(Path::getFileName).toList()));
        assertThat(agreement.frames.percent()).isEqualTo(100.0);
        assertAgreement(agreement, PROJECT_DIFFERENCES);
        assertThat(agreement.scores.get("tcp.analysis.bytes_in_flight").total).isPositive();
        assertThat(agreement.scores.get("tcp.analysis.duplicate_ack").total).isPositive();
        assertThat(agreement.scores.get("tcp.analysis.retransmission").total).isPositive();
    }

    @Test
    void sharedTcpCorpusAgreement() throws IOException {
        Path dir = SharedCaptures.require("tcp");
        Agreement agreement = withKnownDifferences(new Agreement(allFields()));
        captures(dir).forEach(p -> agreement.compare(p, format(p)));
        System.out.println(agreement.report("Sharkfin vs tshark, ../shared/captures/tcp"));
        assertThat(agreement.frames.percent()).isEqualTo(100.0);
        assertThat(agreement.scores.get("tcp.analysis.bytes_in_flight").percent()).isEqualTo(100.0);
        assertThat(agreement.scores.get("tcp.analysis.duplicate_ack").percent()).isEqualTo(100.0);
        assertThat(agreement.scores.get("tcp.analysis.retransmission").percent()).isEqualTo(100.0);
        // A regression floor at the measured agreement: every field agrees on every frame but one, the sFlow
        // datagram pcapplusplus_tcp-reassembly.pcap#66. Sharkfin decodes its first sampled packet (headers
        // agree); tshark decodes all eight, so a field first shown by a later sample differs (the MSS), and it
        // gives the sampled segment a stream index and its raw numbers as sequence, ack and window, where
        // Sharkfin keeps a sampled segment out of the TCP analysis. Per field, "compared" counts the frames
        // where either side shows the field.
        for (Map.Entry<String, Agreement.Score> e : agreement.scores.entrySet()) {
            Agreement.Score sc = e.getValue();
            Known k = SHARED_TCP_DIFFERENCES.get(e.getKey());
            if (k != null) {
                assertThat(sc.percent()).as(e.getKey() + " (known: " + k.reason() + ") " + sc.examples)
                        .isGreaterThanOrEqualTo(k.percent()).isLessThan(100.0);
                continue;
            }
            assertThat(sc.total - sc.agree).as(e.getKey() + " " + sc.examples).isLessThanOrEqualTo(1);
            if (sc.agree != sc.total) {
                assertThat(sc.examples.get(0)).startsWith("pcapplusplus_tcp-reassembly.pcap#66 ");
            }
        }
    }

    /** Known differences of the header fields on ../shared/captures/protocols. */
    static final Map<String, Known> SHARED_PROTOCOLS_DIFFERENCES = Map.of();

    /**
     * The header fields on the shared protocol corpus (tunnels, link layers, fragments, pcapng features): every
     * field agrees with tshark on at least 99.9% of the frames where either side shows it, but the known
     * differences, each at its floor.
     */
    @Test
    void sharedProtocolsCorpusAgreement() throws IOException {
        Agreement agreement = withKnownDifferences(new Agreement(HEADER_FIELDS));
        captures(SharedCaptures.require("protocols")).forEach(p -> agreement.compare(p, format(p)));
        System.out.println(agreement.report("Sharkfin vs tshark, header fields, ../shared/captures/protocols"));
        assertThat(agreement.frames.percent()).isEqualTo(100.0);
        for (Map.Entry<String, Agreement.Score> e : agreement.scores.entrySet()) {
            Agreement.Score sc = e.getValue();
            Known k = SHARED_PROTOCOLS_DIFFERENCES.get(e.getKey());
            if (k == null) {
                assertThat(sc.percent()).as(e.getKey() + " " + sc.examples).isGreaterThanOrEqualTo(99.9);
            } else {
                assertThat(sc.percent()).as(e.getKey() + " (known: " + k.reason() + ") " + sc.examples)
                        .isGreaterThanOrEqualTo(k.percent()).isLessThan(99.9);
            }
        }
        assertThat(agreement.scores).containsKeys(SHARED_PROTOCOLS_DIFFERENCES.keySet().toArray(String[]::new));
    }

    /** The target: every TCP analysis field agrees on every frame of every shared capture. */
    @Test
    void tcpAnalysisAgreesOnEveryFrameOfTheSharedCorpus() throws IOException {
        Agreement agreement = new Agreement(TCP_ANALYSIS_FIELDS);
        for (String folder : List.of("tcp", "protocols")) {
            captures(SharedCaptures.require(folder)).forEach(p -> agreement.compare(p, format(p)));
        }
        System.out.println(agreement.report("TCP analysis vs tshark, ../shared/captures/{tcp,protocols}"));
        assertThat(agreement.frames.percent()).isEqualTo(100.0);
        assertAgreement(agreement, SHARED_ANALYSIS_DIFFERENCES);
        for (String f : List.of("tcp.stream", "tcp.analysis.bytes_in_flight", "tcp.analysis.duplicate_ack",
                "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission", "tcp.analysis.lost_segment",
                "tcp.analysis.zero_window", "tcp.analysis.ack_rtt")) {
            assertThat(agreement.scores.get(f).total).as(f + " compared").isGreaterThan(10);
        }
    }
}
