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
 * the packets tshark counts in reference.tsv, no more, no less.
 */
@SharkfinIT
class SharedCorpusTest {
    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Test
    void everyPacketOfEveryCaptureIsIndexed() throws IOException {
        Path root = SharedCaptures.require("tcp").getParent();
        Map<String, Long> expected = new HashMap<>();
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("reference.tsv"))) {
            String[] cols = line.split("\t");
            if (cols[0].equals("file")) {
                continue;
            }
            expected.put(cols[0], Long.parseLong(cols[1]));
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
            packets[0] += want;
        });
        System.out.printf("Shared corpus: %d captures, %d packets indexed%n", files.size(), packets[0]);
        assertThat(problems).isEmpty();
    }
}
