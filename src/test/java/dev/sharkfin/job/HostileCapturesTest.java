package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.LiveCaptures;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.index.EmbeddedElasticsearch;
import dev.sharkfin.index.JobDocuments;
import dev.sharkfin.index.PacketIndex;
import dev.sharkfin.it.Api;
import dev.sharkfin.it.SharkfinIT;

/**
 * Hostile captures end to end, against the real Elasticsearch: a pcapng whose packet claims 2 GiB, and a capture with
 * more packets than a job may read.
 */
@SharkfinIT
class HostileCapturesTest {
    static final Path LOSSY = Path.of("src/test/resources/captures/lossy-bulk-ipv4.pcap");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Autowired
    PacketIndex packetIndex;

    @Autowired
    CaptureStore store;

    @Autowired
    JobDocuments documents;

    @Autowired
    LiveCaptures liveCaptures;

    static byte[] block(int type, byte[] body) {
        int len = 12 + ((body.length + 3) & ~3);
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(len).put(body);
        b.position(len - 4);
        b.putInt(len);
        return b.array();
    }

    /** SHB, an Ethernet and a raw-IP interface (libpcap hands over), a good raw-IP packet, then one claiming 0x7ffffff0 bytes. */
    static byte[] hugeCapturedLength() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(block(0x0A0D0D0A, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1).array()));
        out.writeBytes(block(1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1).putShort((short) 0).putInt(65535).array()));
        out.writeBytes(block(1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 101).putShort((short) 0).putInt(65535).array()));
        byte[] ip = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
        out.writeBytes(block(6, ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1).putInt(0x60000).putInt(0).putInt(20).putInt(20).put(ip).array()));
        out.writeBytes(block(6, ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0).putInt(0).putInt(0).putInt(0x7ffffff0).putInt(0x7ffffff0).put(new byte[60]).array()));
        return out.toByteArray();
    }

    @Test
    void aPacketClaiming2GiBEndsTheReadingWithAWarningAndTheGoodPacketIsIndexed() {
        Api api = new Api(port, elasticsearch.uri());
        Api.Response r = api.upload("huge.pcapng", hugeCapturedLength());
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = api.awaitJob(r.body().get("id").asText(), Duration.ofMinutes(1));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("packetsRead").asLong()).isEqualTo(1);
        assertThat(job.get("packetsIndexed").asLong()).isEqualTo(1);
        assertThat(job.get("warnings").toString()).contains("captured length 2147483632 exceeds its block");
        JsonNode docs = api.es("POST", "/" + job.get("index").asText() + "/_search", "{\"size\": 10}").get("hits").get("hits");
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).at("/_source/frame/frame_cap_len").asLong()).isEqualTo(20);

        // Without the good packet, nothing can be read: the job fails, saying why.
        byte[] file = hugeCapturedLength();
        ByteArrayOutputStream noGood = new ByteArrayOutputStream();
        noGood.writeBytes(java.util.Arrays.copyOf(file, 28 + 20 + 20));
        noGood.writeBytes(java.util.Arrays.copyOfRange(file, 28 + 20 + 20 + 52, file.length));
        Api.Response r2 = api.upload("huge-only.pcapng", noGood.toByteArray());
        JsonNode failed = api.awaitJob(r2.body().get("id").asText(), Duration.ofMinutes(1));
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).startsWith("No packet could be read").contains("exceeds its block");
    }

    /**
     * A job over sharkfin.jobs.max-packets stops at the bound and fails, naming it and the exact counts; what it
     * indexed stays in Elasticsearch. A JobService of its own, with a bound of 1000, over the real index.
     */
    @Test
    void aCaptureOverThePacketBoundFailsNamingItAndKeepsWhatWasIndexed() throws Exception {
        // On 2 workers: the bound is the reader's, and every frame read before it reaches Elasticsearch.
        JobProperties props = new JobProperties(1, 2, Duration.ofSeconds(5), Duration.ofSeconds(1), 100, 1000, Duration.ofSeconds(60), false,
                2);
        JobService service = new JobService(props, new IngestPipeline(packetIndex, props), packetIndex, store, documents, liveCaptures);
        try {
            String id = JobService.newId();
            StoredCapture capture;
            try (InputStream in = Files.newInputStream(LOSSY)) {
                capture = store.store(id, in);
            }
            service.submit(id, "lossy.pcap", capture);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            JobStatus job = service.get(id);
            while (!JobState.valueOf(job.state().toUpperCase(java.util.Locale.ROOT)).finished()) {
                assertThat(System.nanoTime()).as("the job ends within a minute: %s", job).isLessThan(deadline);
                Thread.sleep(50);
                job = service.get(id);
            }
            assertThat(job.state()).isEqualTo("failed");
            assertThat(job.packetsRead()).isEqualTo(1000);
            assertThat(job.packetsIndexed() + job.packetsFailed()).isEqualTo(job.packetsRead());
            assertThat(job.error()).contains("more than 1000 packets").contains("sharkfin.jobs.max-packets")
                    .contains("the first 1000 were read (" + job.packetsIndexed() + " indexed, " + job.packetsFailed() + " failed)");
            Api api = new Api(port, elasticsearch.uri());
            assertThat(api.es("GET", "/" + job.index() + "/_count", null).get("count").asLong()).isEqualTo(job.packetsIndexed());
        } finally {
            service.shutdown();
        }
    }
}
