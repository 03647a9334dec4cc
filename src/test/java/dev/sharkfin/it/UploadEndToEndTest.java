package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.golden.Agreement;
import dev.sharkfin.golden.Agreement.Field;
import dev.sharkfin.golden.Agreement.Kind;
import dev.sharkfin.index.EmbeddedElasticsearch;
import dev.sharkfin.job.JobProperties;

/**
 * The spine, end to end and for real: upload over HTTP, poll the job, and find every packet in the real
 * Elasticsearch, typed as the template says, with the values tshark shows for the same frames.
 */
@SharkfinIT
class UploadEndToEndTest {
    static final Path LOSSY = Path.of("src/test/resources/captures/lossy-bulk-ipv4.pcap");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Autowired
    JobProperties jobs;

    Api api() {
        return new Api(port, elasticsearch.uri());
    }

    @Test
    void uploadPollAndFindEveryPacketWithTsharksValues() {
        assertThat(jobs.workers()).as("uploads run on flow-affine workers here (application-test.yml)").isEqualTo(2);
        Api api = api();
        int packets = Tshark.packetCount(LOSSY);
        assertThat(packets).isGreaterThan(500);

        Api.Response accepted = api.upload(LOSSY);
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().get("id").asText();
        assertThat(accepted.raw().headers().firstValue("Location")).hasValue("/api/jobs/" + id);
        assertThat(accepted.body().get("source").asText()).isEqualTo("lossy-bulk-ipv4.pcap");

        JsonNode job = api.awaitJob(id, Duration.ofMinutes(2));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("packetsRead").asLong()).isEqualTo(packets);
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(packets);
        assertThat(job.get("packetsFailed").asLong()).isZero();
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.get("bytesRead").asLong()).isEqualTo(job.get("bytesTotal").asLong());
        assertThat(job.get("error").isNull()).isTrue();
        List<Map<String, String>> times = Tshark.fields(LOSSY, List.of("frame.time_epoch"));
        assertThat(Instant.parse(job.get("firstPacketTime").asText())).isEqualTo(epoch(times.get(0).get("frame.time_epoch")));
        assertThat(Instant.parse(job.get("lastPacketTime").asText())).isEqualTo(epoch(times.get(packets - 1).get("frame.time_epoch")));

        String index = job.get("index").asText();
        assertThat(index).isEqualTo("packets-" + id);
        assertThat(api.es("GET", "/" + index + "/_count", null).get("count").asLong()).isEqualTo(packets);

        // The template: @timestamp date_nanos, doubles as unindexed floats, addresses as ip, 5000 fields.
        JsonNode mapping = api.es("GET", "/" + index + "/_mapping", null).get(index).get("mappings");
        assertThat(mapping.at("/properties/@timestamp/type").asText()).isEqualTo("date_nanos");
        assertThat(mapping.at("/properties/frame/properties/frame_time/type").asText()).isEqualTo("date_nanos");
        assertThat(mapping.at("/properties/frame/properties/frame_time_delta/type").asText()).isEqualTo("float");
        assertThat(mapping.at("/properties/frame/properties/frame_time_delta/index").asBoolean(true)).isFalse();
        assertThat(mapping.at("/properties/tcp/properties/tcp_analysis_ack_rtt/type").asText()).isEqualTo("float");
        assertThat(mapping.at("/properties/ip/properties/ip_src/type").asText()).isEqualTo("ip");
        assertThat(mapping.at("/properties/tcp/properties/tcp_analysis_bytes_in_flight/type").asText()).isEqualTo("long");
        assertThat(mapping.at("/properties/tcp/properties/tcp_analysis_duplicate_ack/type").asText()).isEqualTo("boolean");
        JsonNode settings = api.es("GET", "/" + index + "/_settings", null).get(index).get("settings").get("index");
        assertThat(settings.at("/mapping/total_fields/limit").asText()).isEqualTo("5000");

        // Every document, as Elasticsearch returns it, against tshark, frame by frame.
        JsonNode hits = api.es("POST", "/" + index + "/_search",
                "{\"size\": 10000, \"sort\": [{\"frame.frame_number\": \"asc\"}]}").get("hits").get("hits");
        assertThat(hits).hasSize(packets);
        Map<Long, JsonNode> docs = new HashMap<>();
        for (JsonNode hit : hits) {
            long frame = hit.at("/_source/frame/frame_number").asLong();
            assertThat(hit.get("_id").asText()).isEqualTo(id + "-" + frame);
            docs.put(frame, hit.get("_source"));
        }
        Agreement agreement = new Agreement(List.of(
                new Field("tcp.srcport", Kind.NUMBER), new Field("tcp.dstport", Kind.NUMBER),
                new Field("tcp.seq", Kind.NUMBER), new Field("tcp.ack", Kind.NUMBER), new Field("tcp.len", Kind.NUMBER),
                new Field("tcp.stream", Kind.NUMBER), new Field("tcp.window_size", Kind.NUMBER),
                new Field("tcp.analysis.bytes_in_flight", Kind.NUMBER),
                new Field("tcp.analysis.duplicate_ack", Kind.FLAG), new Field("tcp.analysis.duplicate_ack_num", Kind.NUMBER),
                new Field("tcp.analysis.retransmission", Kind.FLAG), new Field("tcp.analysis.fast_retransmission", Kind.FLAG),
                new Field("tcp.analysis.ack_rtt", Kind.SECONDS), new Field("ip.src", Kind.EXACT), new Field("ip.dst", Kind.EXACT)));
        agreement.compare(LOSSY, docs);
        System.out.println(agreement.report("Elasticsearch documents vs tshark, " + LOSSY.getFileName()));
        assertThat(agreement.frames.agree).isEqualTo(packets);
        agreement.scores.forEach((field, score) ->
                assertThat(score.percent()).as(field + " " + score.examples).isEqualTo(100.0));
        assertThat(agreement.scores.get("tcp.analysis.duplicate_ack").total).isPositive();
        assertThat(agreement.scores.get("tcp.analysis.retransmission").total).isPositive();

        // Searchable by the fields a network engineer filters on.
        long dupAcks = api.es("POST", "/" + index + "/_count",
                "{\"query\": {\"term\": {\"tcp.tcp_analysis_duplicate_ack\": true}}}").get("count").asLong();
        assertThat(dupAcks).isEqualTo(agreement.scores.get("tcp.analysis.duplicate_ack").total);

        assertThat(api.get("/api/jobs").body().findValuesAsText("id")).contains(id);
    }

    @Test
    void gzippedRawBodyUploadIsReadToo() throws IOException {
        Api api = api();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(LOSSY));
        }
        Api.Response r = api.raw("/api/captures?name=lossy.pcap.gz", "application/vnd.tcpdump.pcap", gz.toByteArray());
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = api.awaitJob(r.body().get("id").asText(), Duration.ofMinutes(2));
        assertThat(job.get("state").asText()).isEqualTo("succeeded");
        assertThat(job.get("source").asText()).isEqualTo("lossy.pcap.gz");
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(Tshark.packetCount(LOSSY));
    }

    @Test
    void cancellingARunningJobStopsItAndKeepsWhatWasIndexed() {
        Api api = api();
        byte[] big = syntheticCapture(300_000);
        Api.Response r = api.upload("big.pcap", big);
        assertThat(r.status()).isEqualTo(202);
        String id = r.body().get("id").asText();
        Api.Response cancelled = api.delete("/api/jobs/" + id);
        assertThat(cancelled.status()).isEqualTo(200);
        JsonNode job = api.awaitJob(id, Duration.ofMinutes(1));
        assertThat(job.get("state").asText()).isEqualTo("cancelled");
        long read = job.get("packetsRead").asLong();
        assertThat(read).isLessThan(300_000);
        assertThat(job.get("packetsIndexed").asLong() + job.get("packetsFailed").asLong()).isEqualTo(read);
        if (read > 0) {
            assertThat(api.es("GET", "/" + job.get("index").asText() + "/_count", null).get("count").asLong())
                    .isEqualTo(job.get("packetsIndexed").asLong());
        }
        assertThat(api.delete("/api/jobs/" + id).status()).isEqualTo(409);
    }

    @Test
    void healthShowsElasticsearch() {
        JsonNode health = api().get("/actuator/health").body();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/elasticsearch/status").asText()).isEqualTo("UP");
    }

    @Test
    void swaggerUiAndApiDocsAreServed() {
        Api api = api();
        JsonNode docs = api.get("/v3/api-docs").body();
        assertThat(docs.at("/info/title").asText()).isEqualTo("Sharkfin");
        JsonNode upload = docs.at("/paths/~1api~1captures/post/requestBody/content");
        assertThat(upload.fieldNames()).toIterable().contains("multipart/form-data", "application/vnd.tcpdump.pcap");
        String form = upload.at("/multipart~1form-data/schema/$ref").asText().replace("#/components/schemas/", "");
        assertThat(docs.at("/components/schemas/" + form + "/properties/file/format").asText()).isEqualTo("binary");
        assertThat(api.get("/v3/api-docs").body().at("/paths/~1api~1jobs~1{id}/delete").isMissingNode()).isFalse();
        assertThat(api.getText("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    static Instant epoch(String seconds) {
        BigDecimal nanos = new BigDecimal(seconds).movePointRight(9);
        return Instant.ofEpochSecond(0, nanos.longValueExact());
    }

    /** A pcap of n small TCP segments of one connection, built in memory. */
    static byte[] syntheticCapture(int n) {
        ByteBuffer b = ByteBuffer.allocate(24 + n * (16 + 54)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (int i = 0; i < n; i++) {
            b.putInt(1_700_000_000 + i / 1000).putInt((i % 1000) * 1000).putInt(54).putInt(54);
            ByteBuffer f = ByteBuffer.allocate(54);
            f.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
            f.put((byte) 0x45).put((byte) 0).putShort((short) 40).putShort((short) i).putShort((short) 0x4000)
                    .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[] {10, 0, 0, 1, 10, 0, 0, 2});
            f.putShort((short) 40000).putShort((short) 80).putInt(1000 + i).putInt(1).putShort((short) 0x5010)
                    .putShort((short) 1000).putInt(0);
            b.put(f.array());
        }
        return b.array();
    }
}
