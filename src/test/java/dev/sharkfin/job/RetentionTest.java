package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.dissect.Frames;
import dev.sharkfin.index.EmbeddedElasticsearch;
import dev.sharkfin.it.Api;
import dev.sharkfin.it.SharkfinIT;

/**
 * Nothing grows without a bound: retention deletes exactly the jobs its rules name (index, capture, record), the
 * job list pages and filters, a job's data can be deleted through the API, the streams of a 20,000-SYN capture
 * come a page at a time, and the shard budget refuses a job before the cluster would.
 */
@SharkfinIT
class RetentionTest {
    static final Path SMALL = Path.of("src/test/resources/captures/mixed-small.pcap");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Autowired
    JobService jobs;

    @Autowired
    CaptureStore store;

    Api api() {
        return new Api(port, elasticsearch.uri());
    }

    JsonNode upload(Api api, Path file) {
        Api.Response r = api.upload(file);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        JsonNode job = api.awaitJob(r.body().get("id").asText(), Duration.ofMinutes(1));
        assertThat(job.get("state").asText()).isEqualTo("succeeded");
        awaitEndRecorded(api, job.get("id").asText());
        return job;
    }

    /** The API answers from the running instance at once; retention reads the shared records, saved just after. */
    static void awaitEndRecorded(Api api, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"succeeded".equals(api.es("GET", "/sharkfin-jobs/_doc/" + id, null).at("/_source/state").asText())) {
            assertThat(System.nanoTime()).as("the record of " + id + " says succeeded").isLessThan(deadline);
            Thread.onSpinWait();
        }
        api.es("POST", "/sharkfin-jobs/_refresh", null);
    }

    boolean indexExists(Api api, String index) {
        return api.es("GET", "/_cat/indices/" + index + "?format=json&ignore_unavailable=true", null).size() > 0;
    }

    void assertGone(Api api, JsonNode job) {
        String id = job.get("id").asText();
        assertThat(api.get("/api/jobs/" + id).status()).as(id + " record").isEqualTo(404);
        assertThat(indexExists(api, job.get("index").asText())).as(id + " index").isFalse();
        assertThat(store.find(id)).as(id + " capture").isEmpty();
    }

    void assertKept(Api api, JsonNode job) {
        String id = job.get("id").asText();
        assertThat(api.get("/api/jobs/" + id).status()).as(id + " record").isEqualTo(200);
        assertThat(indexExists(api, job.get("index").asText())).as(id + " index").isTrue();
    }

    JobRetention retention(Duration maxAge, int maxJobs, DataSize disk) {
        return new JobRetention(new RetentionProperties(false, Duration.ofHours(1), maxAge, maxJobs, disk), jobs, store);
    }

    @Test
    void retentionDeletesWhatItsRulesNameAndNothingElse() throws Exception {
        Api api = api();
        JsonNode a = upload(api, SMALL);
        Thread.sleep(1100);
        JsonNode b = upload(api, SMALL);
        Thread.sleep(1100);
        JsonNode c = upload(api, SMALL);

        // Count: two over the limit → the two oldest ended jobs go, whoever made them.
        JobService.Page before = jobs.ended(0, 2);
        List<String> oldestTwo = before.jobs().stream().map(JobStatus::id).toList();
        JobRetention.Result count = retention(Duration.ofDays(3650), (int) before.total() - 2, DataSize.ofTerabytes(1)).run();
        assertThat(count.overCount()).isEqualTo(2);
        assertThat(count.expired()).isZero();
        assertThat(jobs.ended(0, 1).total()).isEqualTo(before.total() - 2);
        for (String id : oldestTwo) {
            assertThat(api.get("/api/jobs/" + id).status()).as(id).isEqualTo(404);
            assertThat(indexExists(api, "packets-" + id)).isFalse();
            assertThat(store.find(id)).isEmpty();
        }
        assertKept(api, c);

        // Age: everything created before c goes; c stays.
        Instant cutoff = Instant.parse(c.get("createdAt").asText()).minusMillis(500);
        JobRetention.Result age = retention(Duration.between(cutoff, Instant.now()), 1_000_000, DataSize.ofTerabytes(1)).run();
        assertThat(age.expired()).isPositive();
        assertGone(api, a);
        assertGone(api, b);
        assertKept(api, c);
        assertThat(jobs.ended(0, 10_000 - 1).jobs()).allMatch(j -> !j.createdAt().isBefore(cutoff));

        // Disk: over budget → kept captures go, oldest first; the index stays, the download says it is gone.
        assertThat(api.download("/api/jobs/" + c.get("id").asText() + "/pcap").statusCode()).isEqualTo(200);
        JobRetention.Result disk = retention(Duration.ofDays(3650), 1_000_000, DataSize.ofBytes(0)).run();
        assertThat(disk.capturesRemoved()).isPositive();
        assertThat(store.find(c.get("id").asText())).isEmpty();
        assertKept(api, c);
        Api.Response gone = api.get("/api/jobs/" + c.get("id").asText() + "/pcap");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.body().get("detail").asText()).contains("not kept");
    }

    @Test
    void theListPagesAndFilters() {
        Api api = api();
        upload(api, SMALL);
        upload(api, SMALL);
        Api.Response first = api.get("/api/jobs?size=1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().size()).isEqualTo(1);
        long total = Long.parseLong(first.raw().headers().firstValue("X-Total-Count").orElseThrow());
        assertThat(total).isGreaterThanOrEqualTo(2);
        assertThat(first.raw().headers().firstValue("Link").orElseThrow()).contains("page=1&size=1").contains("rel=\"next\"");
        Api.Response second = api.get("/api/jobs?page=1&size=1");
        assertThat(second.body().get(0).get("id").asText()).isNotEqualTo(first.body().get(0).get("id").asText());
        assertThat(second.body().get(0).get("createdAt").asText()).isLessThanOrEqualTo(first.body().get(0).get("createdAt").asText());
        assertThat(second.raw().headers().firstValue("Link").orElseThrow()).contains("rel=\"prev\"");

        Api.Response succeeded = api.get("/api/jobs?state=succeeded&size=1000");
        assertThat(succeeded.body()).allMatch(j -> j.get("state").asText().equals("succeeded"));
        Api.Response none = api.get("/api/jobs?state=queued,running");
        assertThat(none.body()).allMatch(j -> Set.of("queued", "running").contains(j.get("state").asText()));
        assertThat(api.get("/api/jobs?state=sleeping").status()).isEqualTo(400);
        assertThat(api.get("/api/jobs?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/jobs?size=1001").status()).isEqualTo(400);
        assertThat(api.get("/api/jobs?page=100&size=1000").status()).isEqualTo(400);
        assertThat(api.get("/api/jobs?page=x").status()).isEqualTo(400);
    }

    @Test
    void deletingAJobsDataRemovesItsIndexCaptureAndRecord() {
        Api api = api();
        JsonNode job = upload(api, SMALL);
        String id = job.get("id").asText();
        assertThat(store.find(id)).isPresent();
        assertThat(api.delete("/api/jobs/" + id + "/data").status()).isEqualTo(204);
        assertGone(api, job);
        assertThat(api.delete("/api/jobs/" + id + "/data").status()).isEqualTo(404);
    }

    /** A pcap of {@code n} SYNs, each from its own port: n TCP streams. */
    static byte[] synScan(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        for (int i = 0; i < n; i++) {
            byte[] tcp = Frames.tcp(10000 + (i % 50000), 80, 1000L * i, 0, 0x02, 64240, new byte[0], new byte[0]);
            byte[] frame = Frames.ethernet("02:00:00:00:00:02", "02:00:00:00:00:01", 0x0800,
                    Frames.ipv4("10.1." + (i / 50000) + ".1", "10.2.0.1", 6, tcp));
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(1_700_000_000 + i / 1000).putInt((i % 1000) * 1000).putInt(frame.length).putInt(frame.length);
            out.writeBytes(r.array());
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    @Test
    void streamsComeAPageAtATime() throws Exception {
        Api api = api();
        Api.Response r = api.upload("syn-scan.pcap", synScan(20_000));
        JsonNode job = api.awaitJob(r.body().get("id").asText(), Duration.ofMinutes(3));
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(20_000);
        String base = "/api/jobs/" + job.get("id").asText() + "/tcp/streams";
        Api.Response page1 = api.get(base + "?size=10000");
        assertThat(page1.status()).isEqualTo(200);
        assertThat(page1.body().size()).isEqualTo(10_000);
        assertThat(page1.raw().headers().firstValue("X-Total-Streams")).hasValue("20000");
        String next = page1.raw().headers().firstValue("Link").orElseThrow();
        assertThat(next).contains("after=9999&size=10000");
        Api.Response page2 = api.get(next.substring(1, next.indexOf('>')));
        assertThat(page2.body().size()).isEqualTo(10_000);
        assertThat(page2.body().get(0).get("stream").asLong()).isEqualTo(10_000);
        assertThat(page2.raw().headers().firstValue("Link")).as("the last page").isEmpty();
        Set<Long> seen = new java.util.HashSet<>();
        page1.body().forEach(s -> seen.add(s.get("stream").asLong()));
        page2.body().forEach(s -> seen.add(s.get("stream").asLong()));
        assertThat(seen).hasSize(20_000);
        assertThat(api.get(base + "?sort=packets&size=500").body().size()).isEqualTo(500);
        String chromium = dev.sharkfin.it.JobPageBrowserTest.chromium();
        if (chromium != null) {
            // The page lists the busiest streams, not twenty thousand rows, and draws.
            String dom = dev.sharkfin.it.JobPageBrowserTest.run(chromium, List.of("--dump-dom",
                    "http://127.0.0.1:" + port + "/jobs/" + job.get("id").asText()));
            assertThat(dom).contains("data-state=\"drawn\"").contains("the 500 busiest of 20,000 streams");
            assertThat(dom.split("<tr data-stream=").length - 1).isEqualTo(500);
        }
        assertThat(api.get(base + "?size=20000").status()).isEqualTo(400);
        assertThat(api.get(base + "?sort=random").status()).isEqualTo(400);

        // Timeline intervals that used to give a 500 or a negative interval.
        String timeline = base + "/0/timeline?interval=";
        for (String bad : List.of("99999999999999999999ms", "9223372036854775807d", "106751991167301d", "366d")) {
            Api.Response t = api.get(timeline + bad);
            assertThat(t.status()).as(bad).isEqualTo(400);
            assertThat(t.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(api.get(timeline + "1s").status()).isEqualTo(200);
        assertThat(api.get(base + "/99999999999999999999/timeline").status()).as("a stream past the long range").isEqualTo(400);
    }

    @Test
    void theShardBudgetRefusesAJobBeforeTheClusterWould() {
        Api api = api();
        JsonNode health = api.es("GET", "/_cluster/health", null);
        long open = health.get("active_shards").asLong() + health.get("unassigned_shards").asLong();
        long limit = open + 10 + 1; // the reserve (10) and room for exactly one more index
        api.es("PUT", "/_cluster/settings", "{\"transient\": {\"cluster.max_shards_per_node\": " + limit + "}}");
        try {
            upload(api, SMALL);
            Api.Response refused = api.upload(SMALL);
            assertThat(refused.status()).isEqualTo(507);
            assertThat(refused.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body().get("detail").asText()).contains("sharkfin.index.shards.reserve").contains(Long.toString(limit));
        } finally {
            api.es("PUT", "/_cluster/settings", "{\"transient\": {\"cluster.max_shards_per_node\": null}}");
        }
        assertThat(api.upload(SMALL).status()).isEqualTo(202);
        Set<String> states = api.get("/api/jobs?size=5").body().findValuesAsText("state").stream().collect(Collectors.toSet());
        assertThat(states).isNotEmpty();
    }
}
