package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * Every capture of the shared tcp/ and protocols/ corpus uploaded: each job succeeds and indexes exactly
 * the packets tshark counts in reference.tsv, and queries of each index reproduce tshark's TCP analysis
 * counts there (retransmissions, fast retransmissions, duplicate ACKs, out-of-order, lost segments, zero
 * windows, streams, max bytes in flight) exactly.
 */
@SharkfinIT
class SharedCorpusTest {
    /** reference.tsv's columns after file and packets, in order. */
    static final String[] COLUMNS = {"tcp_packets", "retransmission", "fast_retransmission", "duplicate_ack",
            "out_of_order", "lost_segment", "zero_window", "tcp_streams", "max_bytes_in_flight"};
    static final String[] FLAGS = {"retransmission", "fast_retransmission", "duplicate_ack", "out_of_order",
            "lost_segment", "zero_window"};

    /** The same counts, from Elasticsearch: one query with a filter aggregation per flag. */
    static long[] analysisCounts(Api api, String index) {
        StringBuilder aggs = new StringBuilder("{\"size\": 0, \"track_total_hits\": true, \"aggs\": {");
        aggs.append("\"tcp_packets\": {\"filter\": {\"exists\": {\"field\": \"tcp.tcp_stream\"}}},");
        for (String f : FLAGS) {
            aggs.append("\"").append(f).append("\": {\"filter\": {\"term\": {\"tcp.tcp_analysis_").append(f).append("\": true}}},");
        }
        aggs.append("\"tcp_streams\": {\"filter\": {\"bool\": {\"must_not\": {\"exists\": {\"field\": \"" + SFLOW + "\"}}}},"
                + " \"aggs\": {\"n\": {\"cardinality\": {\"field\": \"tcp.tcp_stream\", \"precision_threshold\": 40000}}}},");
        aggs.append("\"max_bytes_in_flight\": {\"max\": {\"field\": \"tcp.tcp_analysis_bytes_in_flight\"}}}}");
        var a = api.es("POST", "/" + index + "/_search", aggs.toString()).get("aggregations");
        long[] out = new long[COLUMNS.length];
        out[0] = a.get("tcp_packets").get("doc_count").asLong();
        for (int i = 0; i < FLAGS.length; i++) {
            out[i + 1] = a.get(FLAGS[i]).get("doc_count").asLong();
        }
        out[7] = a.get("tcp_streams").get("n").get("value").asLong() + sampledOnlyStreams(api, index);
        out[8] = a.get("max_bytes_in_flight").get("value").isNull() ? 0 : a.get("max_bytes_in_flight").get("value").asLong();
        return out;
    }

    private static final String SFLOW = "sflow.sflow_245_version";

    /**
     * reference.tsv counts the streams of each frame's first TCP layer (tshark -T fields -E occurrence=f), where the
     * index holds every layer's: an sFlow datagram's sampled segments have streams of their own in both tools. So the
     * datagrams count apart: the first stream of each, where no other frame has it.
     */
    private static long sampledOnlyStreams(Api api, String index) {
        var hits = api.es("POST", "/" + index + "/_search", "{\"size\": 1000, \"_source\": [\"tcp\"], \"query\": "
                + "{\"exists\": {\"field\": \"" + SFLOW + "\"}}}").get("hits").get("hits");
        java.util.Set<Long> firsts = new java.util.TreeSet<>();
        for (var hit : hits) {
            var tcp = hit.get("_source").get("tcp");
            for (var layer : tcp == null ? List.<com.fasterxml.jackson.databind.JsonNode>of() : tcp.isArray() ? tcp : List.of(tcp)) {
                if (layer.has("tcp_stream")) {
                    firsts.add(layer.get("tcp_stream").asLong());
                    break;
                }
            }
        }
        long only = 0;
        for (long stream : firsts) {
            String query = "{\"query\": {\"bool\": {\"filter\": {\"term\": {\"tcp.tcp_stream\": " + stream + "}}, "
                    + "\"must_not\": {\"exists\": {\"field\": \"" + SFLOW + "\"}}}}}";
            only += api.es("POST", "/" + index + "/_count", query).get("count").asLong() == 0 ? 1 : 0;
        }
        return only;
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Test
    void everyPacketOfEveryCaptureIsIndexed() throws IOException {
        Path root = SharedCaptures.require("tcp").getParent();
        Map<String, Long> expected = new HashMap<>();
        Map<String, String[]> reference = new HashMap<>();
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("reference.tsv"))) {
            String[] cols = line.split("\t");
            if (cols[0].equals("file")) {
                continue;
            }
            expected.put(cols[0], Long.parseLong(cols[1]));
            reference.put(cols[0], cols);
            files.add(root.resolve(cols[0]));
        }
        Api api = new Api(port, elasticsearch.uri());
        List<String> problems = new ArrayList<>();
        long[] packets = {0};
        CorpusUploads.run(api, files, 4, Duration.ofMinutes(2), r -> {
            String name = root.relativize(r.file()).toString();
            if (r.status() != 202) {
                problems.add(name + ": upload answered " + r.status() + " " + r.body());
                return;
            }
            var job = r.job();
            long want = expected.get(name);
            if (!job.get("state").asText().equals("succeeded") || job.get("packetsRead").asLong() != want
                    || job.get("packetsIndexed").asLong() != want) {
                problems.add(name + ": tshark reads " + want + " packets; the job: " + job);
                return;
            }
            long count = api.es("GET", "/" + job.get("index").asText() + "/_count", null).get("count").asLong();
            if (count != want) {
                problems.add(name + ": the index holds " + count + " documents, tshark reads " + want);
            }
            String[] ref = reference.get(name);
            String index = job.get("index").asText();
            long[] ours = analysisCounts(api, index);
            for (int i = 0; i < COLUMNS.length; i++) {
                if (ours[i] != Long.parseLong(ref[i + 2])) {
                    problems.add(name + ": " + COLUMNS[i] + " is " + ours[i] + " in the index, " + ref[i + 2] + " in reference.tsv");
                }
            }
            packets[0] += want;
        });
        System.out.printf("Shared corpus: %d captures, %d packets indexed%n", files.size(), packets[0]);
        assertThat(problems).isEmpty();
    }
}
