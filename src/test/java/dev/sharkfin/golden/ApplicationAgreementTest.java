package dev.sharkfin.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sharkfin.golden.Agreement.Field;
import dev.sharkfin.golden.Agreement.Kind;
import dev.sharkfin.it.SharedCaptures;

/**
 * The application and tunnel decoders against tshark, on the shared protocol and TCP corpora and the
 * project's captures.
 *
 * <p>Sharkfin decodes every TCP segment on its own: no TCP reassembly (an HTTP message or a TLS record is
 * decoded from the segment it starts in); IP fragments are reassembled, as tshark does by default. The
 * asserted comparison therefore asks tshark for the same model ({@link #PER_FRAME}); there every field
 * must agree on at least 99.9% of the frames where either side shows it. The comparison with tshark's
 * defaults (reassembly on) is printed and counted too: there tshark shows a message's fields on the frame
 * that completes it (the last segment of an HTTP body, of a TLS record, the last IP fragment) while
 * Sharkfin shows them on the frame that starts it, so the two differ by design on those frames.
 */
class ApplicationAgreementTest {
    /** tshark without TCP reassembly (IP reassembly on, its default): Sharkfin's model. */
    static final List<String> PER_FRAME = List.of("-o", "tcp.desegment_tcp_streams:FALSE");

    static final List<Field> DNS = List.of(
            new Field("dns.id", Kind.NUMBER), new Field("dns.flags", Kind.NUMBER),
            new Field("dns.flags.response", Kind.NUMBER), new Field("dns.flags.opcode", Kind.NUMBER),
            new Field("dns.flags.authoritative", Kind.NUMBER), new Field("dns.flags.truncated", Kind.NUMBER),
            new Field("dns.flags.recdesired", Kind.NUMBER), new Field("dns.flags.recavail", Kind.NUMBER),
            new Field("dns.flags.rcode", Kind.NUMBER),
            new Field("dns.count.queries", Kind.NUMBER), new Field("dns.count.answers", Kind.NUMBER),
            new Field("dns.count.auth_rr", Kind.NUMBER), new Field("dns.count.add_rr", Kind.NUMBER),
            new Field("dns.length", Kind.NUMBER),
            new Field("dns.qry.name", Kind.EXACT), new Field("dns.qry.type", Kind.NUMBER),
            new Field("dns.qry.class", Kind.NUMBER),
            new Field("dns.resp.name", Kind.EXACT), new Field("dns.resp.type", Kind.NUMBER),
            new Field("dns.resp.class", Kind.NUMBER), new Field("dns.resp.ttl", Kind.NUMBER),
            new Field("dns.resp.len", Kind.NUMBER),
            new Field("dns.a", Kind.EXACT), new Field("dns.aaaa", Kind.EXACT), new Field("dns.cname", Kind.EXACT),
            new Field("dns.ptr.domain_name", Kind.EXACT), new Field("dns.ns", Kind.EXACT),
            new Field("dns.mx.mail_exchange", Kind.EXACT), new Field("dns.txt", Kind.EXACT),
            new Field("dns.srv.target", Kind.EXACT), new Field("dns.soa.mname", Kind.EXACT));

    static final List<Field> HTTP = List.of(
            new Field("http.request.method", Kind.EXACT), new Field("http.request.uri", Kind.EXACT),
            new Field("http.request.version", Kind.EXACT), new Field("http.host", Kind.EXACT),
            new Field("http.user_agent", Kind.EXACT), new Field("http.response.code", Kind.NUMBER),
            new Field("http.response.phrase", Kind.EXACT), new Field("http.response.version", Kind.EXACT),
            new Field("http.content_type", Kind.EXACT), new Field("http.content_length_header", Kind.EXACT),
            new Field("http.server", Kind.EXACT), new Field("http.location", Kind.EXACT));

    static final List<Field> TLS = List.of(
            new Field("tls.record.content_type", Kind.NUMBER), new Field("tls.record.version", Kind.NUMBER),
            new Field("tls.record.length", Kind.NUMBER), new Field("tls.handshake.type", Kind.NUMBER),
            new Field("tls.handshake.version", Kind.NUMBER), new Field("tls.handshake.ciphersuite", Kind.NUMBER),
            new Field("tls.handshake.extensions_server_name", Kind.EXACT),
            new Field("tls.handshake.extensions.supported_version", Kind.NUMBER),
            new Field("tls.handshake.extensions_alpn_str", Kind.EXACT),
            new Field("tls.handshake.extension.type", Kind.NUMBER));

    static final List<Field> DHCP = List.of(
            new Field("dhcp.type", Kind.NUMBER), new Field("dhcp.id", Kind.NUMBER),
            new Field("dhcp.option.dhcp", Kind.NUMBER), new Field("dhcp.hw.mac_addr", Kind.EXACT),
            new Field("dhcp.ip.client", Kind.EXACT), new Field("dhcp.ip.your", Kind.EXACT),
            new Field("dhcp.ip.server", Kind.EXACT), new Field("dhcp.option.requested_ip_address", Kind.EXACT),
            new Field("dhcp.option.type", Kind.NUMBER), new Field("dhcp.option.hostname", Kind.EXACT),
            new Field("dhcp.option.dhcp_server_id", Kind.EXACT));

    static final List<Field> NTP = List.of(
            new Field("ntp.flags.li", Kind.NUMBER), new Field("ntp.flags.vn", Kind.NUMBER),
            new Field("ntp.flags.mode", Kind.NUMBER), new Field("ntp.stratum", Kind.NUMBER),
            new Field("ntp.ppoll", Kind.NUMBER), new Field("ntp.precision", Kind.NUMBER),
            new Field("ntp.rootdelay", Kind.NUMBER), new Field("ntp.rootdispersion", Kind.NUMBER),
            new Field("ntp.refid", Kind.EXACT));

    static final List<Field> TUNNELS = List.of(
            new Field("vxlan.vni", Kind.NUMBER), new Field("vxlan.flags", Kind.NUMBER),
            new Field("geneve.vni", Kind.NUMBER), new Field("geneve.proto_type", Kind.NUMBER),
            new Field("erspan.version", Kind.NUMBER), new Field("erspan.vlan", Kind.NUMBER),
            new Field("erspan.spanid", Kind.NUMBER),
            new Field("sflow_245.version", Kind.NUMBER), new Field("sflow_245.numsamples", Kind.NUMBER),
            new Field("sflow_245.header_protocol", Kind.NUMBER),
            // The tunnels' inner packets: the first occurrence is the outer one, so these check that
            // decoding goes on past the tunnel and the headers agree.
            new Field("eth.type", Kind.NUMBER), new Field("ip.proto", Kind.NUMBER),
            new Field("tcp.srcport", Kind.NUMBER), new Field("udp.srcport", Kind.NUMBER));

    static final Set<String> TLS_PORTS = Set.of("443", "8443", "993", "995", "465", "636", "853");

    /**
     * Where Sharkfin's model differs from tshark's by design, counted apart: tshark decodes a protocol
     * Sharkfin does not (QUIC, whose CRYPTO frames carry TLS handshakes; HTTP over UDP for SSDP); a few IP
     * datagrams whose fragments overlap or repeat are reassembled otherwise (both keep the first bytes seen,
     * but tshark's table outlives a datagram's completion); and once
     * tshark's TLS heuristic matched a conversation on a port without a TLS rule, it keeps decoding that
     * conversation's segments as TLS, where Sharkfin, without conversation state, needs each segment to
     * start with a handshake or application data record.
     */
    static Agreement withKnownDifferences(Agreement a) {
        return a.knownDifference("link layer Sharkfin does not decode (radiotap, NFLOG) or decodes otherwise (a BSD "
                        + "loopback header holding an ethertype)", (row, doc, f) -> !f.protocol().equals("eth")
                        && (row.get("frame.protocols").startsWith("radiotap:") || row.get("frame.protocols").startsWith("nflog:")
                        || row.get("frame.protocols").startsWith("null:") && doc.get("ip") == null && doc.get("ipv6") == null))
                .knownDifference("TLS inside QUIC (QUIC is not decoded)",
                        (row, doc, f) -> f.protocol().equals("tls") && row.get("frame.protocols").contains(":quic"))
                .knownDifference("HTTP over UDP (SSDP is not decoded)",
                        (row, doc, f) -> f.protocol().equals("http") && row.get("frame.protocols").contains(":udp:"))
                .knownDifference("IP fragment (overlapping or repeated fragments reassembled differently)",
                        (row, doc, f) -> !Set.of("eth", "ip", "ipv6").contains(f.protocol()) && (row.get("ip.flags.mf").equals("1")
                                || !row.get("ip.frag_offset").isEmpty() && !row.get("ip.frag_offset").equals("0")
                                || !row.get("ipv6.fraghdr.offset").isEmpty()))
                .knownDifference("TLS by conversation state on a port without a TLS rule",
                        (row, doc, f) -> f.protocol().equals("tls") && !TLS_PORTS.contains(row.get("tcp.srcport"))
                                && !TLS_PORTS.contains(row.get("tcp.dstport"))
                                && !Set.of("22", "23").contains(row.get("tls.record.content_type")))
                .knownDifference("TLS 1.3 encrypted record: tshark names its type tls.record.opaque_type, known from the session",
                        (row, doc, f) -> f.tshark().equals("tls.record.content_type") && row.get("tls.record.content_type").isEmpty()
                                && !row.get("tls.record.opaque_type").isEmpty())
                .knownDifference("TLS record cut by the segment's end: Sharkfin decodes what is there, tshark without "
                        + "reassembly nothing", (row, doc, f) -> f.protocol().equals("tls") && cutRecord(doc))
                .knownDifference("TLS records tshark leaves out from its session state (after segments it did not see)",
                        (row, doc, f) -> f.protocol().equals("tls") && row.get("frame.protocols").contains(":tls")
                                && row.get("tls.record.version").isEmpty() && row.get("tls.record.opaque_type").isEmpty()
                                && doc.get("tls") != null)
                .knownDifference("handshake message tshark takes as encrypted from its session state",
                        (row, doc, f) -> f.tshark().equals("tls.handshake.type") && row.get("tls.handshake.type").isEmpty()
                                && row.get("tls.record.content_type").equals("22"))
                .knownDifference("SSL 2.0 record after the handshake (tshark follows the session's state)",
                        (row, doc, f) -> f.protocol().equals("tls") && row.get("tls.record.version").equals("0x0002")
                                && row.get("tls.handshake.type").isEmpty());
    }

    /** Whether the last TLS record Sharkfin read in the frame goes on past the segment's end. */
    static boolean cutRecord(JsonNode doc) {
        JsonNode tls = doc.get("tls");
        JsonNode tcp = doc.get("tcp");
        if (tls == null || tcp == null || tls.get("tls_record_length") == null || tcp.isArray() || tcp.get("tcp_len") == null) {
            return false;
        }
        JsonNode lengths = tls.get("tls_record_length");
        long total = 0;
        for (JsonNode l : lengths.isArray() ? lengths : List.of(lengths)) {
            total += (tls.get("tls_record_version").asInt() == 2 && !tls.get("tls_record_version").isArray() ? 2 : 5) + l.asLong();
        }
        return total > tcp.get("tcp_len").asLong();
    }

    /** Fields that repeat in a frame (records, resource records, list items) whose values hold no comma. */
    static final List<Field> LISTS = List.of(
            new Field("dns.qry.type", Kind.NUMBER), new Field("dns.resp.type", Kind.NUMBER),
            new Field("dns.resp.ttl", Kind.NUMBER), new Field("dns.a", Kind.EXACT), new Field("dns.aaaa", Kind.EXACT),
            new Field("dns.resp.name", Kind.EXACT), new Field("dns.cname", Kind.EXACT),
            new Field("tls.record.content_type", Kind.NUMBER), new Field("tls.record.length", Kind.NUMBER),
            new Field("tls.handshake.type", Kind.NUMBER), new Field("tls.handshake.ciphersuite", Kind.NUMBER),
            new Field("tls.handshake.extension.type", Kind.NUMBER),
            new Field("tls.handshake.extensions.supported_version", Kind.NUMBER),
            new Field("tls.handshake.extensions_alpn_str", Kind.EXACT),
            new Field("dhcp.option.type", Kind.NUMBER), new Field("vxlan.vni", Kind.NUMBER));

    static List<Field> fields() {
        List<Field> all = new ArrayList<>(DNS);
        all.addAll(HTTP);
        all.addAll(TLS);
        all.addAll(DHCP);
        all.addAll(NTP);
        all.addAll(TUNNELS);
        return all;
    }

    static List<Path> corpus() throws IOException {
        List<Path> all = new ArrayList<>(TsharkAgreementTest.captures(SharedCaptures.require("protocols")));
        all.addAll(TsharkAgreementTest.captures(SharedCaptures.require("tcp")));
        all.addAll(TsharkAgreementTest.captures(Path.of("src/test/resources/captures")));
        return all;
    }

    @Test
    void applicationFieldsAgreeWithTsharkFrameByFrame() throws IOException {
        List<Path> captures = corpus();
        Agreement perFrame = withKnownDifferences(new Agreement(fields(), PER_FRAME));
        Agreement reassembling = withKnownDifferences(new Agreement(fields()));
        Agreement lists = withKnownDifferences(new Agreement(LISTS, PER_FRAME).everyOccurrence());
        for (Path p : captures) {
            var docs = Agreement.documents(p, TsharkAgreementTest.format(p));
            perFrame.compare(p, docs);
            reassembling.compare(p, docs);
            lists.compare(p, docs);
        }
        System.out.println(perFrame.report("Application fields, tshark without TCP reassembly (asserted), " + captures.size() + " captures"));
        System.out.println(lists.report("Repeating fields, every occurrence in order, tshark without TCP reassembly (asserted)"));
        System.out.println(reassembling.report("Application fields, tshark defaults with TCP and IP reassembly (counted, not asserted)"));

        assertThat(perFrame.frames.percent()).isEqualTo(100.0);
        long compared = 0;
        for (Map.Entry<String, Agreement.Score> e : perFrame.scores.entrySet()) {
            Agreement.Score sc = e.getValue();
            compared += sc.total;
            assertThat(sc.percent()).as(e.getKey() + " " + sc.examples).isGreaterThanOrEqualTo(99.9);
        }
        assertThat(compared).isPositive();
        for (Map.Entry<String, Agreement.Score> e : lists.scores.entrySet()) {
            assertThat(e.getValue().percent()).as("every " + e.getKey() + " " + e.getValue().examples).isGreaterThanOrEqualTo(99.9);
            assertThat(e.getValue().total).as("every " + e.getKey() + " compared").isPositive();
        }
        for (String f : List.of("dns.qry.name", "dns.a", "http.request.method", "http.response.code",
                "tls.handshake.extensions_server_name", "tls.handshake.ciphersuite", "dhcp.option.dhcp", "ntp.stratum",
                "vxlan.vni", "geneve.vni", "erspan.spanid", "sflow_245.version")) {
            assertThat(perFrame.scores.get(f).total).as(f + " compared").isPositive();
        }
    }
}
