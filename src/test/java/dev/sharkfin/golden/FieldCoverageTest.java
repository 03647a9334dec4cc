package dev.sharkfin.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import dev.sharkfin.it.Integration;
import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.WiresharkFieldsTest;
import dev.sharkfin.it.SharedCaptures;

/**
 * What tshark shows that the catalog lacks. The agreement tests compare every catalog field with tshark; this
 * test looks the other way: every field Wireshark shows on at least {@value #SHOWN_ON}% of the frames that carry
 * its protocol, for the protocols Sharkfin decodes, is in the catalog or left out below with its reason. tshark
 * runs without TCP reassembly (Sharkfin's model, as in {@link ApplicationAgreementTest}), over the project's
 * captures and ../shared/captures/{tcp,protocols}; the full table of what is not in the catalog is printed.
 */
@Integration
class FieldCoverageTest {
    /** How often, in percent of its protocol's frames, a field must show for the catalog to need it. */
    static final double SHOWN_ON = 5.0;

    /**
     * Fields left out on purpose, by name pattern, with why: what Wireshark shows from its own state or
     * settings (name resolution, marks, display filters), raw bytes already in the capture (the job keeps the
     * capture: {@code GET /api/jobs/{id}/pcap}), and the tree's grouping nodes.
     */
    static final Map<String, String> LEFT_OUT = leftOut();

    private static Map<String, String> leftOut() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(".*_resolved|.*\\.host|.*_host|ip\\.addr|ipv6\\.addr|eth\\.addr|.*\\.addr\\.oui",
                "Wireshark's name resolution and its 'either side' duplicates of the source and destination fields "
                        + "(an Elasticsearch query asks both fields; name resolution depends on the analyst's machine)");
        m.put("frame\\.(marked|ignored|time_delta_displayed|offset_shift)",
                "state of Wireshark's window: marks, ignored frames, the display filter in use");
        m.put("_ws\\.expert\\.(severity|group)", "the severity and group of each expert message: Wireshark's own "
                + "classification, kept out until a chart needs it");
        m.put("(tcp|udp)\\.payload|data\\.data|tls\\.app_data|http\\.file_data|sll\\.unused",
                "raw bytes: the capture itself is kept (GET /api/jobs/{id}/pcap); documents hold what is decoded from them");
        m.put("radiotap\\.present\\..*|radiotap\\..*", "radiotap is not decoded (Sharkfin skips its header to the 802.11 frame)");
        m.put("wlan\\..*", "802.11 is decoded to its LLC only (data frames of captures taken in monitor mode); its "
                + "management and control fields are left for a later protocol file");
        m.put(".*reserved.*|.*padding|dhcp\\.option\\.end|dhcp\\.cookie|sll\\.trailer",
                "reserved bits, padding, trailers and fixed markers (DHCP's magic cookie and End option): zero or filler by "
                        + "definition; where one is not, Sharkfin says so in _ws.malformed and the expert messages");
        m.put(".*_len|.*_length|.*\\.len_oct|ipv6\\.(hopopts|routing)\\.len|l2tp\\.avp\\.length|icmpv6\\.opt\\.length",
                "the encoded length of a structure whose content is decoded (TLS extensions, IPv6 extension headers, options): "
                        + "it says nothing a filter needs beyond the content's fields");
        m.put("icmp\\.data_time_relative", "the time between an echo's timestamp (icmp.data_time) and the frame's: follows "
                + "from icmp.data_time and frame.time");
        m.put("http\\.(request|response)\\.line|http\\.response\\.code\\.desc|http\\.unknown_header"
                + "|http\\.request\\.uri\\.query\\.parameter|tls\\.app_data_proto",
                "text Wireshark derives from decoded fields: the request and status lines are in _ws.expert.message, a code's "
                        + "description follows from http.response.code, the query's parameters are http.request.uri.query, "
                        + "the application protocol is tls.handshake.extensions_alpn_str; unknown headers have no name of their own");
        m.put("icmp\\.(seq|ident)_le|ipv6\\.(src_|dst_)?slaac_mac|teredo\\.orig\\.addr|tls\\.handshake\\.random_(time|bytes)"
                + "|tls\\.handshake\\.sig_hash_(hash|sig)|tls\\.handshake\\.extensions_server_name_type",
                "the same bytes read another way, derivable from catalog fields: ICMP's identifier and sequence little-endian, the "
                        + "MAC inside an IPv6 SLAAC address, Teredo's obfuscated origin, the halves of the TLS random and of a "
                        + "signature scheme (tls.handshake.sig_hash_alg), the server name's type (always host_name)");
        m.put("icmpv6\\.(nd|opt|mldr)\\..*|icmpv6\\.opt", "ICMPv6 neighbour discovery options and MLDv2 records: "
                + "the message type and code are decoded, its body not yet");
        m.put("l2tp\\.(seq_bit|priority|length_bit|offset_bit|offset|avp\\..*)", "L2TP's header bits and control "
                + "messages' AVPs: the tunnel and session ids and what it carries are decoded, the control plane not yet");
        m.put("nflog\\..*", "NFLOG's TLVs other than the prefix and the packet (hook, uid, gid, interfaces): not decoded yet");
        m.put("sflow.*", "sFlow's counter records and the flow records other than raw Ethernet headers: not decoded yet");
        m.put("geneve\\.option.*|geneve\\.options", "Geneve option bodies: the header and each option's length are decoded");
        m.put("teredo\\.auth.*", "Teredo's authentication header: not decoded yet (the origin indication and the IPv6 inside are)");
        m.put("dhcp\\.option\\..*|dhcp\\.(file|server)", "DHCP options beyond those in the catalog (message type, "
                + "addresses, lease times, host name, ...), and BOOTP's boot file and server names (empty in the corpus)");
        m.put("arp\\.is(gratuitous|announcement)", "derived from the sender and target addresses in the catalog");
        m.put("vxlan\\.flag_.*", "VXLAN's group-policy flag bits (the VNI flag and the VNI are decoded)");
        m.put("llc\\.(control\\.ftype|control\\.u_modifier_cmd|dsap\\.sap|dsap\\.ig|ssap\\.sap|ssap\\.cr)",
                "the bits of the LLC SAPs and control field, whose whole values are llc.dsap, llc.ssap and llc.control");
        m.put("ipv6\\.routing\\.src\\..*", "the addresses of a source routing header (RPL): the routing header's type and "
                + "segments left are decoded, its addresses not yet");
        m.put("ppp\\.(code|identifier|length)", "PPP's control protocols (LCP, IPCP): the PPP protocol number is decoded, "
                + "the control messages not yet");
        m.put("tls\\.handshake\\.extensions_status_request_.*", "the OCSP status request extension's body: the extension "
                + "itself is in tls.handshake.extension.type");
        m.put("pweth\\.cw", "the pseudowire control word as a whole; its sequence number is pweth.cw.sequence_number");
        return m;
    }

    /**
     * Wireshark's protocol for each field name, from the kept {@code tshark -G fields} list, leaving out the
     * fields without a value (FT_NONE: the tree's grouping nodes and expert items, which Sharkfin writes as
     * {@code _ws.expert.message}, or as booleans where a chart needs them, {@code tcp.analysis.*}).
     */
    static Map<String, String> wiresharkProtocols() {
        Map<String, String> protocols = new HashMap<>();
        Path list = Path.of("src/test/resources/wireshark/fields-" + WiresharkFieldsTest.VERSION + ".tsv.gz");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(list)),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] cols = line.split("\t", -1);
                if (!line.startsWith("#") && cols.length >= 3 && !cols[1].equals("FT_NONE")) {
                    protocols.put(cols[0], cols[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return protocols;
    }

    /** Frames per Wireshark field name and per protocol (a frame counts once however often it shows either). */
    static final class Counts {
        final Map<String, Long> fields = new HashMap<>();
        final Map<String, Long> protocols = new HashMap<>();
        long frames;
    }

    private static final Pattern FIELD = Pattern.compile("<field name=\"([^\"]+)\"");

    /** Counts the fields tshark's PDML shows on each frame of the capture. */
    static void count(Path capture, Map<String, String> protocolOf, Counts counts) {
        List<String> cmd = List.of("tshark", "-n", "-r", capture.toString(), "-o", "tcp.desegment_tcp_streams:FALSE",
                "-o", "tcp.analyze_sequence_numbers:TRUE", "-T", "pdml");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Set<String> frameFields = new HashSet<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("</packet>")) {
                        tally(frameFields, protocolOf, counts);
                        frameFields.clear();
                        continue;
                    }
                    Matcher m = FIELD.matcher(line);
                    if (m.find()) {
                        frameFields.add(m.group(1));
                    }
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tshark did not finish on " + capture);
            }
        } catch (IOException e) {
            throw new AssertionError("tshark is the test oracle and is not installed (.ci/run installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void tally(Set<String> frameFields, Map<String, String> protocolOf, Counts counts) {
        counts.frames++;
        Set<String> protocols = new HashSet<>();
        for (String f : frameFields) {
            counts.fields.merge(f, 1L, Long::sum);
            String protocol = protocolOf.get(f);
            if (protocol != null) {
                protocols.add(protocol);
            }
        }
        protocols.forEach(pr -> counts.protocols.merge(pr, 1L, Long::sum));
    }

    /** A field not in the catalog: how often tshark shows it and what the test makes of it. */
    record Missing(String field, String protocol, long frames, double percent, String leftOutBecause) {
    }

    @Test
    void everyFrequentFieldOfADecodedProtocolIsInTheCatalog() throws IOException {
        Map<String, String> protocolOf = wiresharkProtocols();
        Set<String> named = new HashSet<>();
        Set<String> decoded = new HashSet<>();
        for (Field f : Catalog.fields()) {
            if (!f.sharkfinOnly() && f.wireshark() != null) {
                decoded.add(f.protocol().name());
            }
            if (!f.sharkfinOnly() && protocolOf.containsKey(f.wireshark())) {
                named.add(f.wireshark());
                decoded.add(protocolOf.get(f.wireshark()));
            }
        }
        Counts counts = new Counts();
        List<Path> captures = new ArrayList<>(TsharkAgreementTest.captures(Path.of("src/test/resources/captures")));
        captures.addAll(TsharkAgreementTest.captures(SharedCaptures.require("protocols")));
        captures.addAll(TsharkAgreementTest.captures(SharedCaptures.require("tcp")));
        captures.forEach(c -> count(c, protocolOf, counts));

        Map<String, List<Missing>> byProtocol = new TreeMap<>();
        Set<String> usedPatterns = new HashSet<>();
        counts.fields.forEach((name, frames) -> {
            String protocol = protocolOf.get(name);
            if (protocol == null || !decoded.contains(protocol) || named.contains(name) || name.equals(protocol)) {
                return;
            }
            double percent = 100.0 * frames / counts.protocols.get(protocol);
            String because = null;
            for (Map.Entry<String, String> e : LEFT_OUT.entrySet()) {
                if (name.matches(e.getKey())) {
                    because = e.getValue();
                    usedPatterns.add(e.getKey());
                    break;
                }
            }
            byProtocol.computeIfAbsent(protocol, k -> new ArrayList<>()).add(new Missing(name, protocol, frames, percent, because));
        });
        System.out.println(report(counts, byProtocol));

        List<String> needed = byProtocol.values().stream().flatMap(List::stream)
                .filter(m -> m.percent() >= SHOWN_ON && m.leftOutBecause() == null)
                .map(m -> String.format("%s (%s: %.1f%% of %d frames)", m.field(), m.protocol(), m.percent(),
                        counts.protocols.get(m.protocol())))
                .sorted().toList();
        assertThat(needed).as("fields tshark shows on at least " + SHOWN_ON + "% of their protocol's frames, neither in the "
                + "catalog nor left out with a reason in FieldCoverageTest.LEFT_OUT").isEmpty();
        assertThat(LEFT_OUT.keySet()).as("LEFT_OUT patterns that no longer match a field tshark shows outside the catalog")
                .allMatch(usedPatterns::contains);
        assertThat(counts.frames).isGreaterThan(10_000);
    }

    private static String report(Counts counts, Map<String, List<Missing>> byProtocol) {
        StringBuilder sb = new StringBuilder("\n==== Fields tshark shows, not in the catalog (" + counts.frames + " frames) ====\n");
        byProtocol.forEach((protocol, list) -> {
            sb.append(protocol).append(" (").append(counts.protocols.get(protocol)).append(" frames)\n");
            list.stream().sorted((a, b) -> Long.compare(b.frames(), a.frames())).forEach(m -> sb.append(String.format(
                    "  %-50s %8d %7.2f%%  %s%n", m.field(), m.frames(), m.percent(),
                    m.leftOutBecause() != null ? "left out" : m.percent() >= SHOWN_ON ? "NEEDED" : "")));
        });
        return sb.toString();
    }
}
