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

    static final String OPTION_KIND = "tshark lists every option kind in wire order, NOP and EOL included; Sharkfin leaves "
            + "NOP and EOL out (and writes tcp_option_kind_eol) (issue 9)";
    static final String EXPERT_MESSAGE = "tshark lists every expert information (chats such as 'Connection establish request "
            + "(SYN)' included); Sharkfin writes only the first length warning";
    static final String COMPLETENESS = "differs by one flag bit on a few conversations of zeek_ftp-ipv6.pcap (to investigate)";

    /**
     * Known differences on the project's own captures: issue 9's defects, left for the decoders to fix. A listed
     * field must not fall below its measured agreement; once it agrees everywhere, take it off the list.
     */
    static final Map<String, Known> PROJECT_DIFFERENCES = Map.of(
            "tcp.option_kind", new Known(OPTION_KIND, 0.27),
            "_ws.expert.message", new Known(EXPERT_MESSAGE, 0.0));

    /** Known differences on ../shared/captures/tcp (besides the sFlow frame described in the test). */
    static final Map<String, Known> SHARED_TCP_DIFFERENCES = Map.of(
            "tcp.option_kind", new Known(OPTION_KIND, 2.52),
            "tcp.completeness", new Known(COMPLETENESS, 99.92),
            "_ws.expert.message", new Known(EXPERT_MESSAGE, 0.07),
            "_ws.malformed", new Known("tshark's TCP reassembly flags a segment whose data overlaps what it holds (\"New "
                    + "fragment overlaps old data\") or a malformed TCP option; the TCP decoder's part", 1.78));

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
     * What frame.protocols may name that Sharkfin decodes: its protocols' document objects and the names it lists
     * without an object (Wireshark's dispatch steps and IPv6 extension headers).
     */
    static final Set<String> DECODED = decoded();

    private static Set<String> decoded() {
        Set<String> names = new java.util.HashSet<>(Set.of("ethertype", "data", "raw", "pwethheuristic", "ipv6.hopopts",
                "ipv6.routing", "ipv6.dstopts", "ipv6.fraghdr"));
        dev.sharkfin.dissect.Catalog.protocols().forEach(p -> names.addAll(p.layers()));
        return names;
    }

    /**
     * Whether tshark's frame.protocols names a protocol Sharkfin does not decode (SSH, STP, LCP, x509...) and
     * Sharkfin's list is tshark's up to it (followed by Sharkfin's data or nothing): the frame's protocols agree
     * as far as Sharkfin decodes.
     */
    static boolean undecodedProtocol(String tshark, String sharkfin) {
        String[] names = tshark.isEmpty() ? new String[0] : tshark.split(":");
        for (int i = 0; i < names.length; i++) {
            if (!DECODED.contains(names[i])) {
                String known = String.join(":", java.util.Arrays.copyOf(names, i));
                return known.isEmpty() || sharkfin.equals(known) || sharkfin.startsWith(known + ":");
            }
        }
        return false;
    }

    /** The link layers and the headers this test compares: where a malformation is this test's to match. */
    static final Set<String> LINK_AND_HEADERS = Set.of("eth", "ethertype", "vlan", "llc", "sll", "null", "raw", "nflog", "ppp",
            "pppoes", "gre", "mpls", "pwethcw", "ip", "ipv6", "ipv6.hopopts", "ipv6.routing", "ipv6.dstopts", "ipv6.fraghdr",
            "icmp", "icmpv6", "tcp", "udp", "arp", "data");

    private static String last(String protocols) {
        return protocols.substring(protocols.lastIndexOf(':') + 1);
    }

    /**
     * Whether the two lists agree up to the first TCP header and differ only in the TCP payload's protocols, each
     * side's being nothing, data, HTTP or TLS: Sharkfin decodes each segment on its own, where tshark
     * reassembles a message and shows it on the segment that completes it (and nothing on those before), and
     * does not dissect again what a spurious retransmission repeats.
     */
    static boolean tcpReassembly(String tshark, String sharkfin) {
        int t = (":" + tshark + ":").indexOf(":tcp:");
        int s = (":" + sharkfin + ":").indexOf(":tcp:");
        if (t < 0 || t != s || !tshark.regionMatches(0, sharkfin, 0, t)) {
            return false;
        }
        return tcpPayload(tshark.substring(Math.min(tshark.length(), t + 4)))
                && tcpPayload(sharkfin.substring(Math.min(sharkfin.length(), s + 4)));
    }

    private static boolean tcpPayload(String tail) {
        return tail.isEmpty() || tail.equals("data") || tail.startsWith("http") || tail.startsWith("tls");
    }

    /** The first IP header of the frame in tshark's frame.protocols: "ip", "ipv6" or null. */
    static String firstIp(String protocols) {
        for (String name : protocols.split(":")) {
            if (name.equals("ip") || name.equals("ipv6")) {
                return name;
            }
        }
        return null;
    }

    static final String TIME_BEYOND = "a capture time after 2262, beyond Elasticsearch's dates: Sharkfin clamps it and "
            + "writes frame_time_out_of_range (and its clock wraps at 2^64 ns); tshark shows the 64-bit value";

    /**
     * What differs by the comparison or by design, not by a defect: Wireshark's IPv6 dissector shows an
     * {@code ip.version} field too, where Sharkfin has only {@code ipv6.ipv6_version}, so where the frame's
     * first IP header is IPv6 tshark's first {@code ip.version} is 6 (and the IPv4 header inside it is not the
     * first occurrence); the protocol list above what Sharkfin decodes or without TCP reassembly; a capture
     * time Elasticsearch cannot hold.
     */
    public static Agreement withKnownDifferences(Agreement a) {
        return a.knownDifference("ip.version of an IPv6 header (Wireshark's IPv6 dissector adds ip.version; Sharkfin's is "
                        + "ipv6.ipv6_version)", (row, doc, f) -> f.tshark().equals("ip.version")
                        && "ipv6".equals(firstIp(row.get("frame.protocols"))))
                .knownDifference("frame.protocols names a protocol Sharkfin does not decode (agreeing up to it)",
                        (row, doc, f) -> f.tshark().equals("frame.protocols")
                                && undecodedProtocol(row.get("frame.protocols"), protocols(doc)))
                .knownDifference("frame.protocols of a TCP payload: HTTP and TLS without TCP reassembly",
                        (row, doc, f) -> f.tshark().equals("frame.protocols")
                                && tcpReassembly(row.get("frame.protocols"), protocols(doc)))
                .knownDifference("frame.protocols with DHCP twice: tshark decodes a vendor-specific option (43) as DHCP again",
                        (row, doc, f) -> f.tshark().equals("frame.protocols") && row.get("frame.protocols").contains(":dhcp:dhcp")
                                && protocols(doc).equals(row.get("frame.protocols").replace(":dhcp:dhcp", ":dhcp")))
                .knownDifference("_ws.short where tshark's dissector of a protocol above the headers meets the snapshot "
                        + "length: one Sharkfin does not decode (X11, JXTA's heuristic, ESP) or an application decoder's (HTTP)",
                        (row, doc, f) -> f.tshark().equals("_ws.short") && doc.path("_ws").path("_ws_short").isMissingNode()
                                && !LINK_AND_HEADERS.contains(last(row.get("frame.protocols"))))
                .knownDifference("_ws.malformed where tshark's dissector of an application protocol (HTTP, NTP, STUN, x509...) "
                        + "finds the message malformed: the application decoders' part", (row, doc, f) -> f.tshark().equals("_ws.malformed")
                        && doc.path("_ws").path("_ws_malformed").isMissingNode() && !LINK_AND_HEADERS.contains(last(row.get("frame.protocols"))))
                .knownDifference(TIME_BEYOND, (row, doc, f) -> f.tshark().startsWith("frame.time") && doc.get("frame") != null
                        && doc.get("frame").path("frame_time_out_of_range").asBoolean(false));
    }

    private static String protocols(com.fasterxml.jackson.databind.JsonNode doc) {
        return doc.path("frame").path("frame_protocols").asText("");
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
    static final Map<String, Known> SHARED_PROTOCOLS_DIFFERENCES = Map.of(
            "tcp.option_kind", new Known(OPTION_KIND, 11.76),
            "_ws.expert.message", new Known(EXPERT_MESSAGE, 0.0));

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
