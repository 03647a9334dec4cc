package dev.sharkfin.index;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.dissect.Dhcp;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Sflow;
import dev.sharkfin.dissect.Tcp;
import dev.sharkfin.it.Api;
import dev.sharkfin.it.SharedCaptures;
import dev.sharkfin.it.SharkfinIT;

/**
 * A new packet index is created once, with its final mapping: every field of the catalog is mapped by the
 * template before the first document, and indexing whole captures adds nothing to it (Elasticsearch's
 * {@code mapping_version} does not move). Checked against the real Elasticsearch, with the DHCP and sFlow
 * addresses, once mapped as keywords, found by CIDR queries.
 */
@SharkfinIT
class PacketMappingTest {
    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Autowired
    PacketIndex packetIndex;

    Api api() {
        return new Api(port, elasticsearch.uri());
    }

    @Test
    void aNewIndexHasEveryCatalogFieldMappedBeforeItsFirstDocument() {
        Api api = api();
        String index = packetIndex.create("mapping-probe-" + System.nanoTime());
        Map<String, JsonNode> mapping = mapping(api, index);
        for (Field f : Catalog.fields()) {
            for (String path : f.paths()) {
                assertThat(mapping).as(path).containsKey(path);
                assertThat(mapping.get(path)).as(path + " (" + f.type().label() + ")").isEqualTo(PacketTemplate.mapping(f));
            }
        }
        assertThat(mapping.get("@timestamp").get("type").asText()).isEqualTo("date_nanos");
        assertThat(mapping).doesNotContainKey("frame.frame_time_utc");
        assertThat(mapping.get("dhcp.dhcp_option_subnet_mask").get("type").asText()).isEqualTo("ip");
        assertThat(mapping.get("dhcp.dhcp_option_router").get("type").asText()).isEqualTo("ip");
        assertThat(mapping.get("dhcp.dhcp_option_domain_name_server").get("type").asText()).isEqualTo("ip");
        assertThat(mapping.get("sflow.sflow_245_agent").get("type").asText()).isEqualTo("ip");
        assertThat(mapping.get("frame.frame_time_delta").get("type").asText()).isEqualTo("float");
        assertThat(mapping.get("frame.frame_time_epoch").get("type").asText()).isEqualTo("double");
        assertThat(mapping.get("_ws._ws_malformed_reason").at("/fields/text/type").asText()).isEqualTo("text");
        assertThat(mapping.get("tcp.tcp_checksum").get("index").asBoolean(true)).as("stored only").isFalse();
        assertThat(mapping.get("tcp.tcp_checksum").get("doc_values").asBoolean(true)).as("stored only").isFalse();
        assertThat(mapping.get("tcp.tcp_seq_raw").get("index").asBoolean(true)).as("doc values only").isFalse();
        packetIndex.delete(index);
    }

    /**
     * A nanosecond capture's epoch has 19 significant digits: the document's {@code _source} keeps them all (the
     * writer prints the exact decimal), the indexed {@code double} does not (two frames 1 ns apart are one value to
     * a range query), and {@code frame.frame_time} (date_nanos) tells them apart: what docs/fields.md says to query.
     */
    @Test
    void aNanosecondEpochIsExactInTheSourceAndFrameTimeFindsItExactly() throws Exception {
        Api api = api();
        String index = packetIndex.create("epoch-probe-" + System.nanoTime());
        dev.sharkfin.normalize.PacketDocuments documents = new dev.sharkfin.normalize.PacketDocuments();
        byte[] f = ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[4])));
        long t = 1_700_000_000_123_456_789L;
        for (int n = 1; n <= 2; n++) {
            String doc = new String(documents.write(n, t + n - 1, f, f.length, f.length, 1, false).toByteArray(),
                    java.nio.charset.StandardCharsets.UTF_8);
            api.es("PUT", "/" + index + "/_doc/" + n + "?refresh=true", doc);
        }
        java.net.http.HttpResponse<String> raw = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(elasticsearch.uri() + "/" + index + "/_doc/1")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(raw.body()).contains("\"frame_time_epoch\":1700000000.123456789");
        assertThat(count(api, index, "{\"term\": {\"frame.frame_time\": \"2023-11-14T22:13:20.123456789Z\"}}")).isEqualTo(1);
        assertThat(count(api, index, "{\"range\": {\"frame.frame_time_epoch\": {\"gte\": 1700000000.123456789, "
                + "\"lte\": 1700000000.123456789}}}")).as("the double's rounding").isEqualTo(2);
        packetIndex.delete(index);
    }

    private static long count(Api api, String index, String query) {
        return api.es("POST", "/" + index + "/_count", "{\"query\": " + query + "}").get("count").asLong();
    }

    /**
     * A field only displayed ({@code tcp.checksum}, {@code ip.checksum}: stored only) is in every document's
     * {@code _source}, not searchable as mapped, and found through a runtime field of the same name as the README
     * shows; a searchable field beside it still searches and aggregates, and so does one with doc values only
     * ({@code tcp.seq_raw}); the index stores with best_compression.
     */
    @Test
    void storedOnlyFieldsAreInSourceAndQueryableThroughARuntimeField() {
        Api api = api();
        String id = api.upload(Path.of("src/test/resources/captures/lossy-bulk-ipv4.pcap")).body().get("id").asText();
        JsonNode job = api.awaitJob(id, Duration.ofMinutes(2));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        String index = job.get("index").asText();
        assertThat(api.es("GET", "/" + index + "/_settings", null).at("/" + index + "/settings/index/codec").asText())
                .isEqualTo("best_compression");
        JsonNode first = api.es("POST", "/" + index + "/_search", "{\"size\": 1, \"sort\": [{\"frame.frame_number\": \"asc\"}],"
                + " \"query\": {\"exists\": {\"field\": \"tcp.tcp_srcport\"}}}").at("/hits/hits/0/_source");
        long checksum = first.at("/tcp/tcp_checksum").asLong(-1);
        assertThat(checksum).as("tcp_checksum in _source of " + first).isNotNegative();
        assertThat(first.at("/ip/ip_checksum").isNumber()).as("ip_checksum in _source").isTrue();

        JsonNode unmapped = api.es("POST", "/" + index + "/_count",
                "{\"query\": {\"term\": {\"tcp.tcp_checksum\": " + checksum + "}}}");
        assertThat(unmapped.has("count")).as("a stored-only field is not searchable as mapped: " + unmapped).isFalse();
        JsonNode runtime = api.es("POST", "/" + index + "/_search", "{\"size\": 0, \"runtime_mappings\": "
                + runtimeField(Tcp.CHECKSUM) + ", \"query\": {\"term\": {\"tcp.tcp_checksum\": " + checksum + "}}}");
        long viaRuntime = runtime.at("/hits/total/value").asLong(-1);
        long inSource = countInSource(api, index, checksum);
        assertThat(viaRuntime).as("documents with tcp.checksum " + checksum + " via a runtime field: " + runtime)
                .isPositive().isEqualTo(inSource);

        JsonNode agg = api.es("POST", "/" + index + "/_search", "{\"size\": 0, \"query\": {\"term\": {\"tcp.tcp_srcport\": "
                + first.at("/tcp/tcp_srcport").asLong() + "}}, \"aggs\": {\"s\": {\"terms\": {\"field\": \"tcp.tcp_stream\"}}}}");
        assertThat(agg.at("/hits/total/value").asLong()).as(agg.toString()).isPositive();
        assertThat(agg.at("/aggregations/s/buckets/0/doc_count").asLong()).as(agg.toString()).isPositive();

        long seqRaw = first.at("/tcp/tcp_seq_raw").asLong(-1); // doc values only: found, and aggregated, all the same
        JsonNode bySeq = api.es("POST", "/" + index + "/_search", "{\"size\": 0, \"query\": {\"term\": {\"tcp.tcp_seq_raw\": "
                + seqRaw + "}}, \"aggs\": {\"m\": {\"max\": {\"field\": \"tcp.tcp_seq_raw\"}}}}");
        assertThat(bySeq.at("/hits/total/value").asLong()).as(bySeq.toString()).isPositive();
        assertThat(bySeq.at("/aggregations/m/value").asDouble()).as(bySeq.toString()).isEqualTo((double) seqRaw);
        api.delete("/api/jobs/" + id + "/data");
    }

    /**
     * The README's runtime field for a stored-only field: the same name and type and no script, so that Elasticsearch
     * reads the value from _source itself (the embedded node has no scripting language; this needs none).
     */
    static String runtimeField(Field f) {
        return "{\"" + f.path() + "\": {\"type\": \"" + PacketTemplate.storedOnly(f).get("type").asText() + "\"}}";
    }

    /** Documents whose _source has tcp_checksum == value, counted by reading every document back. */
    private static long countInSource(Api api, String index, long value) {
        JsonNode hits = api.es("POST", "/" + index + "/_search?size=10000&filter_path=hits.hits._source.tcp.tcp_checksum",
                "{\"query\": {\"exists\": {\"field\": \"tcp.tcp_srcport\"}}}").at("/hits/hits");
        long n = 0;
        for (JsonNode h : hits) {
            n += h.at("/_source/tcp/tcp_checksum").asLong(-1) == value ? 1 : 0;
        }
        return n;
    }

    /**
     * The project's captures, a DHCP and sFlow capture built here, and {@code ../shared/captures/protocols} when
     * present: each job's index ends with exactly the mapping a new index has, and the same mapping version.
     */
    @Test
    void indexingWholeCapturesAddsNothingToTheMapping() throws IOException {
        Api api = api();
        String probe = packetIndex.create("mapping-probe-" + System.nanoTime());
        Map<String, JsonNode> created = mapping(api, probe);
        long createdVersion = mappingVersion(api, probe);
        packetIndex.delete(probe);

        List<Path> files = new ArrayList<>(captures(Path.of("src/test/resources/captures")));
        Path addresses = Files.createTempFile("dhcp-sflow", ".pcap");
        Files.write(addresses, pcap(List.of(dhcpAck(), sflowDatagram(), ntpFrom1968())));
        files.add(addresses);
        Path shared = SharedCaptures.root().resolve("protocols");
        if (Files.isDirectory(shared)) {
            files.addAll(captures(shared));
        } else {
            System.out.println("PacketMappingTest: no ../shared/captures/protocols; the project's captures only");
        }
        Map<Path, String> jobs = new LinkedHashMap<>();
        for (Path f : files) {
            Api.Response r = api.upload(f); // all queued at once: the service runs them two at a time
            assertThat(r.status()).as(f.toString()).isEqualTo(202);
            jobs.put(f, r.body().get("id").asText());
        }
        Map<String, Long> updates = new TreeMap<>();
        for (Map.Entry<Path, String> e : jobs.entrySet()) {
            Path f = e.getKey();
            JsonNode job = api.awaitJob(e.getValue(), Duration.ofMinutes(2));
            assertThat(job.get("state").asText()).as(f + " " + job).isEqualTo("succeeded");
            assertThat(job.get("packetsFailed").asLong()).as("documents Elasticsearch refused, " + f + " " + job).isZero();
            String index = job.get("index").asText();
            Map<String, JsonNode> after = mapping(api, index);
            Map<String, JsonNode> added = new TreeMap<>(after);
            created.keySet().forEach(added::remove);
            assertThat(added).as("fields dynamic mapping added to " + f.getFileName()).isEmpty();
            assertThat(after).as(f.getFileName().toString()).isEqualTo(created);
            updates.put(f.getFileName().toString(), mappingVersion(api, index) - createdVersion);
            if (f.equals(addresses)) {
                addressesAreIpsInARealIndex(api, index);
            }
            api.delete("/api/jobs/" + e.getValue() + "/data");
        }
        System.out.println("Mapping updates per new index (mapping_version " + createdVersion + " at creation), over "
                + updates.size() + " captures: " + updates);
        assertThat(updates.values()).as("mapping updates per index").containsOnly(0L);
        Files.delete(addresses);
    }

    /** CIDR queries work on the DHCP options and the sFlow agent: they are ip fields, not keywords. */
    private static void addressesAreIpsInARealIndex(Api api, String index) {
        api.es("POST", "/" + index + "/_refresh", null);
        assertThat(count(api, index, Dhcp.OPTION_SUBNET_MASK, "255.255.255.0")).isEqualTo(1);
        assertThat(count(api, index, Dhcp.OPTION_ROUTER, "10.1.0.0/16")).isEqualTo(1);
        assertThat(count(api, index, Dhcp.OPTION_ROUTER, "10.2.0.0/16")).isEqualTo(1);
        assertThat(count(api, index, Dhcp.OPTION_DOMAIN_NAME_SERVER, "10.53.0.0/24")).isEqualTo(1);
        assertThat(count(api, index, Dhcp.OPTION_DHCP_SERVER_ID, "10.1.0.0/24")).isEqualTo(1);
        assertThat(count(api, index, Sflow.AGENT, "192.168.150.0/24")).isEqualTo(1);
        assertThat(count(api, index, Sflow.AGENT, "10.0.0.0/8")).isZero();
        JsonNode ntp = api.es("POST", "/" + index + "/_search", "{\"query\": {\"exists\": {\"field\": \"ntp\"}}}").at("/hits/hits/0/_source/ntp");
        assertThat(ntp.get("ntp_reftime").asText()).isEqualTo("1968-01-20T03:14:09.000000000Z");
    }

    private static long count(Api api, String index, Field f, String value) {
        JsonNode r = api.es("POST", "/" + index + "/_count", "{\"query\": {\"term\": {\"" + f.path() + "\": \"" + value + "\"}}}");
        assertThat(r.has("count")).as(f.path() + " " + value + ": " + r).isTrue();
        return r.get("count").asLong();
    }

    static Map<String, JsonNode> mapping(Api api, String index) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        flatten("", api.es("GET", "/" + index + "/_mapping", null).get(index).get("mappings").get("properties"), out);
        return out;
    }

    private static void flatten(String prefix, JsonNode properties, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().has("properties")) {
                flatten(prefix + e.getKey() + ".", e.getValue().get("properties"), out);
            } else {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
    }

    private static long mappingVersion(Api api, String index) {
        JsonNode state = api.es("GET", "/_cluster/state/metadata/" + index, null);
        long v = state.at("/metadata/indices/" + index + "/mapping_version").asLong(-1);
        assertThat(v).as("mapping_version of " + index + " in " + state).isPositive();
        return v;
    }

    private static List<Path> captures(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
        }
    }

    /** A DHCP ACK with a subnet mask, two routers, two DNS servers and a server identifier. */
    static byte[] dhcpAck() {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put(hex("02 01 06 00 00003d1e 0000 0000")).put(addr("0.0.0.0")).put(addr("10.1.2.3")).put(addr("10.1.0.1"))
                .put(addr("0.0.0.0")).put(hex("000b8201fc42")).put(new byte[10]).put(new byte[64]).put(new byte[128])
                .put(hex("63825363"))
                .put(hex("350105"))                                 // DHCP message type: ack
                .put(hex("3604 0a010001"))                          // server identifier 10.1.0.1
                .put(hex("0104 ffffff00"))                          // subnet mask
                .put(hex("0308 0a010001 0a020001"))                 // routers 10.1.0.1, 10.2.0.1
                .put(hex("0608 0a350001 0a350002"))                 // DNS servers 10.53.0.1, 10.53.0.2
                .put(hex("ff"));
        byte[] dhcp = java.util.Arrays.copyOf(b.array(), b.position());
        return ethernet("000b8201fc42", "020000000001", 0x0800, ipv4("10.1.0.1", "10.1.2.3", 17, udp(67, 68, dhcp)));
    }

    /** An sFlow v5 datagram from agent 192.168.150.2 with one flow sample of a TCP segment. */
    static byte[] sflowDatagram() {
        byte[] inner = ethernet("020000000002", "020000000001", 0x0800,
                ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, 1, 1, 0x10, 1000, new byte[0], new byte[0])));
        int padded = (inner.length + 3) & ~3;
        byte[] raw = concat(hex("00000001"), u32(inner.length + 4), hex("00000004"), u32(inner.length), inner,
                new byte[padded - inner.length]);
        byte[] record = concat(hex("00000001"), u32(raw.length), raw);
        byte[] sample = concat(hex("0000001d 0000000d 0000003c 12e4a67b 000be227 0000000d 80000002 00000001"), record);
        byte[] datagram = concat(hex("00000005 00000001 c0a89602 00000000 00044615 1115d354 00000001"),
                hex("00000001"), u32(sample.length), sample);
        return ethernet("020000000009", "020000000008", 0x0800, ipv4("192.168.150.2", "10.9.9.9", 17, udp(50000, 6343, datagram)));
    }

    /**
     * An NTP reply whose reference timestamp is in 1968 (the earliest NTP era 0 time Wireshark's rule gives: the
     * seconds' top bit set): before date_nanos's 1970, yet no reason to lose the packet.
     */
    static byte[] ntpFrom1968() {
        byte[] ntp = concat(hex("24 02 06 e9 00000000 00000000 47505300"), hex("80000001 00000000"), hex("00000000 00000000"),
                hex("e9f6b0c8 00000000"), hex("e9f6b0c8 80000000"));
        return ethernet("020000000002", "020000000001", 0x0800, ipv4("10.0.0.123", "10.0.0.1", 17, udp(123, 50123, ntp)));
    }

    private static byte[] u32(int v) {
        return concat(u16(v >>> 16), u16(v & 0xffff));
    }

    static byte[] pcap(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        int i = 0;
        for (byte[] f : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(1_700_000_000 + i++).putInt(0).putInt(f.length).putInt(f.length);
            out.writeBytes(r.array());
            out.writeBytes(f);
        }
        return out.toByteArray();
    }
}
