package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.index.EmbeddedElasticsearch;

/**
 * tcpdump's own suite of broken captures, every file uploaded: no job hangs, the service stays healthy, and
 * each job either succeeds with every packet read accounted for, or fails with an error a user can read.
 */
@SharkfinIT
class MalformedCorpusTest {
    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Test
    void everyBrokenCaptureEndsCleanly() throws IOException {
        Path dir = SharedCaptures.require("malformed");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Api api = new Api(port, elasticsearch.uri());
        List<String> problems = new ArrayList<>();
        long[] tally = new long[6]; // succeeded, failed, refused, packets, malformed-flagged, warnings
        Map<Path, CorpusUploads.Result> results = CorpusUploads.run(api, files, 8, Duration.ofSeconds(60), r -> {
            if (r.status() != 202) {
                tally[2]++;
                if (!List.of(400, 415).contains(r.status()) || r.body().path("detail").asText().isBlank()) {
                    problems.add(r.file().getFileName() + ": upload answered " + r.status() + " " + r.body());
                }
                return;
            }
            var job = r.job();
            switch (job.get("state").asText()) {
                case "succeeded" -> {
                    tally[0]++;
                    long read = job.get("packetsRead").asLong();
                    tally[3] += read;
                    if (read != job.get("packetsIndexed").asLong() + job.get("packetsFailed").asLong()) {
                        problems.add(r.file().getFileName() + ": packets not accounted for " + job);
                    }
                    if (job.get("packetsFailed").asLong() > 0) {
                        problems.add(r.file().getFileName() + ": Elasticsearch refused packets " + job.get("failures"));
                    }
                    if (!job.get("warnings").isEmpty()) {
                        tally[5]++;
                    }
                    if (read > 0) {
                        String index = job.get("index").asText();
                        tally[4] += api.es("POST", "/" + index + "/_count",
                                "{\"query\": {\"exists\": {\"field\": \"_ws._ws_malformed\"}}}").get("count").asLong();
                        // The pipeline indexes a packet whose dissection threw, flagged; none may have thrown.
                        long escaped = api.es("POST", "/" + index + "/_count",
                                "{\"query\": {\"prefix\": {\"_ws._ws_malformed_reason\": \"Sharkfin dissector error\"}}}")
                                .get("count").asLong();
                        if (escaped > 0) {
                            problems.add(r.file().getFileName() + ": " + escaped + " packets threw in the dissector");
                        }
                    }
                }
                case "failed" -> {
                    tally[1]++;
                    if (job.get("error").asText("").isBlank()) {
                        problems.add(r.file().getFileName() + ": failed without an error " + job);
                    }
                }
                default -> problems.add(r.file().getFileName() + ": ended " + job);
            }
        });
        System.out.printf("Malformed corpus: %d files; %d jobs succeeded (%d packets, %d flagged malformed, %d with "
                        + "warnings), %d failed with an error, %d uploads refused%n", results.size(), tally[0], tally[3],
                tally[4], tally[5], tally[1], tally[2]);
        assertThat(results).hasSize(files.size());
        assertThat(problems).isEmpty();
        assertThat(tally[0]).isGreaterThan(files.size() / 2);
        assertThat(tally[4]).isPositive();
        assertThat(api.get("/actuator/health").body().get("status").asText()).isEqualTo("UP");
    }
}
