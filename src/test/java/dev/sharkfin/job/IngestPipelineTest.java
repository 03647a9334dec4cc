package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.capture.PacketSource;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.normalize.PacketDocuments;

/** The pipeline's loop without Elasticsearch: what it logs for a hostile capture, and where it stops. */
class IngestPipelineTest {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(IngestPipeline.class);

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
    }

    private static IngestPipeline pipeline(long maxPackets) {
        return new IngestPipeline(null, new JobProperties(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 10, maxPackets, Duration.ofSeconds(60), false, 1));
    }

    private static Job job() {
        return new Job("j", "x.pcap", "packets-j", new StoredCapture(Path.of("x.pcap"), CaptureFormat.PCAP, false, 0, 0, null));
    }

    /** {@code n} frames; {@code broken} ones claim 60 captured bytes of Ethernet but have no data array, so the dissector throws. */
    private static PacketSource frames(int n, boolean broken) {
        return new PacketSource() {
            int i;

            @Override
            public int linkType() {
                return 1;
            }

            @Override
            public boolean next(Frame f) {
                if (i++ == n) {
                    return false;
                }
                f.data = broken ? null : new byte[60];
                f.capturedLength = f.originalLength = 60;
                f.linkType = 1;
                f.timeNanos = f.wireNanos = 1_700_000_000_000_000_000L + i;
                return true;
            }

            @Override
            public long bytesRead() {
                return i * 76L;
            }

            @Override
            public String warning() {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aCaptureOfBrokenFramesLogsTheFirstTenAndOneSummaryNotALinePerFrame() {
        List<String> documents = new ArrayList<>();
        Job job = job();
        pipeline(0).pump(job, frames(1000, true), (n, json) -> documents.add(new String(json)));
        assertThat(documents).hasSize(1000).allSatisfy(d -> assertThat(d).contains(PacketDocuments.DISSECTOR_ERROR));
        List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).as("10 frames logged with their exception, then one summary").hasSize(11);
        assertThat(warnings.subList(0, 10)).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNotNull());
        assertThat(warnings.get(10).getFormattedMessage()).contains("1000 frames").contains("job j").contains("first 10");
        assertThat(job.packetsRead).isEqualTo(1000);
    }

    @Test
    void aFewBrokenFramesAreEachLoggedWithoutASummary() {
        pipeline(0).pump(job(), frames(3, true), (n, json) -> { });
        assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(3);
    }

    @Test
    void anUploadStopsReadingAtThePacketBound() {
        List<Long> frames = new ArrayList<>();
        Job job = job();
        assertThat(pipeline(100).pump(job, frames(1000, false), (n, json) -> frames.add(n))).isTrue();
        assertThat(frames).hasSize(100).endsWith(100L);
        assertThat(job.packetsRead).isEqualTo(100);
        // A capture of exactly the bound is whole: nothing was left unread.
        Job exact = job();
        assertThat(pipeline(100).pump(exact, frames(100, false), (n, json) -> { })).isFalse();
        assertThat(exact.packetsRead).isEqualTo(100);
    }
}
