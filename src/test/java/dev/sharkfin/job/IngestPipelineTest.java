package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.CaptureReadException;
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
        return pipeline(maxPackets, 1);
    }

    private static IngestPipeline pipeline(long maxPackets, int workers) {
        return new IngestPipeline(null, new JobProperties(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 10, maxPackets,
                Duration.ofSeconds(60), false, workers));
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

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2})
    void aCaptureOfBrokenFramesLogsTheFirstTenAndOneSummaryNotALinePerFrame(int workers) {
        List<String> documents = new ArrayList<>();
        Job job = job();
        pipeline(0, workers).pump(job, frames(1000, true), (n, json) -> documents.add(new String(json)));
        assertThat(documents).hasSize(1000).allSatisfy(d -> assertThat(d).contains(PacketDocuments.DISSECTOR_ERROR));
        List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).as("10 frames logged with their exception, then one summary").hasSize(11);
        assertThat(warnings.subList(0, 10)).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNotNull());
        assertThat(warnings.get(10).getFormattedMessage()).contains("1000 frames").contains("job j").contains("first 10");
        assertThat(job.packetsRead).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2})
    void aFewBrokenFramesAreEachLoggedWithoutASummary(int workers) {
        pipeline(0, workers).pump(job(), frames(3, true), (n, json) -> { });
        assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(3);
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2})
    void anUploadStopsReadingAtThePacketBound(int workers) {
        List<Long> frames = new ArrayList<>();
        Job job = job();
        assertThat(pipeline(100, workers).pump(job, frames(1000, false), (n, json) -> frames.add(n))).isTrue();
        assertThat(frames).hasSize(100).endsWith(100L);
        assertThat(job.packetsRead).isEqualTo(100);
        // A capture of exactly the bound is whole: nothing was left unread.
        Job exact = job();
        assertThat(pipeline(100, workers).pump(exact, frames(100, false), (n, json) -> { })).isFalse();
        assertThat(exact.packetsRead).isEqualTo(100);
    }

    @Test
    void tcpConversationsEvictedToKeepWithinTheBoundsAreAWarningOfTheJob() {
        TcpStateProperties tight = new TcpStateProperties(2, Duration.ofHours(1), Duration.ofMinutes(4), DataSize.ofMegabytes(1));
        IngestPipeline pipeline = new IngestPipeline(null, new JobProperties(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
                10, 0, Duration.ofSeconds(60), false, 1), tight);
        Job job = job();
        List<String> documents = new ArrayList<>();
        pipeline.pump(job, syns(5), (n, json) -> documents.add(new String(json)));
        assertThat(documents).hasSize(5);
        assertThat(documents.get(4)).contains("\"tcp_stream\":4");
        assertThat(job.warnings).singleElement().asString()
                .contains("3 conversations were forgotten", "3 least recently seen at sharkfin.tcp.max-conversations=2");
        Job roomy = job();
        pipeline(0).pump(roomy, syns(5), (n, json) -> { });
        assertThat(roomy.warnings).as("nothing evicted, nothing said").isEmpty();
    }

    /** {@code n} TCP SYNs from 10.0.0.1 to 10.0.0.2:80, each from its own port: each a new conversation. */
    private static PacketSource syns(int n) {
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
                byte[] d = new byte[54];
                d[12] = 0x08; // IPv4
                d[14] = 0x45;
                d[17] = 40; // total length
                d[22] = 64;
                d[23] = 6; // TCP
                d[26] = 10; d[29] = 1;
                d[30] = 10; d[33] = 2;
                d[34] = 0x10; d[35] = (byte) i; // source port 4096 + i
                d[37] = 80;
                d[46] = 0x50; // header length 20
                d[47] = 0x02; // SYN
                d[48] = (byte) 0xFF; d[49] = (byte) 0xFF;
                f.data = d;
                f.capturedLength = f.originalLength = 54;
                f.linkType = 1;
                f.timeNanos = f.wireNanos = 1_700_000_000_000_000_000L + i;
                return true;
            }

            @Override
            public long bytesRead() {
                return i * 70L;
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
    void onTwoWorkersTheBoundsAreSharedAndTheEvictionsOfAllWorkersAreOneWarning() {
        // 4 conversations for the job: 2 per worker; the SYNs share one address pair, so one worker sees all 5.
        TcpStateProperties tight = new TcpStateProperties(4, Duration.ofHours(1), Duration.ofMinutes(4), DataSize.ofMegabytes(1));
        IngestPipeline pipeline = new IngestPipeline(null, new JobProperties(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
                10, 0, Duration.ofSeconds(60), false, 2), tight);
        Job job = job();
        List<String> documents = new ArrayList<>();
        pipeline.pump(job, syns(5), (n, json) -> documents.add(new String(json)));
        assertThat(documents).hasSize(5);
        assertThat(documents.get(4)).contains("\"tcp_stream\":4");
        assertThat(job.warnings).singleElement().asString()
                .contains("3 conversations were forgotten", "3 least recently seen at sharkfin.tcp.max-conversations=4");
    }

    @Test
    void twoWorkersHandTheSinkTheSameDocumentsInFrameOrder() {
        Path capture = Path.of("src/test/resources/captures/lossy-bulk-ipv4.pcap");
        List<String> one = new ArrayList<>();
        List<String> two = new ArrayList<>();
        List<Long> order = new ArrayList<>();
        pipeline(0, 1).pump(job(), new CaptureFileSource(capture), (n, json) -> one.add(new String(json)));
        pipeline(0, 2).pump(job(), new CaptureFileSource(capture), (n, json) -> {
            order.add(n);
            two.add(new String(json));
        });
        assertThat(one).hasSizeGreaterThan(1000);
        assertThat(two).isEqualTo(one);
        assertThat(order).isSorted().doesNotHaveDuplicates().hasSize(one.size());
    }

    @Test
    void aCancelledJobOnTwoWorkersIndexesEveryFrameItRead() {
        Job job = job();
        List<Long> frames = new ArrayList<>();
        pipeline(0, 2).pump(job, frames(100_000, false), (n, json) -> {
            frames.add(n);
            if (n == 1000) {
                job.cancelRequested = true;
            }
        });
        assertThat(job.packetsRead).isLessThan(100_000).isEqualTo(frames.size());
        assertThat(frames).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aSinkThatThrowsOnTwoWorkersFailsThePumpWithItsException() {
        IllegalStateException away = new IllegalStateException("Elasticsearch away");
        assertThatThrownBy(() -> pipeline(0, 2).pump(job(), frames(100_000, false), (n, json) -> {
            if (n == 3000) {
                throw away;
            }
        })).isSameAs(away);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).noneMatch(t -> t.startsWith("job-j-"));
    }

    @Test
    void aSourceThatFailsOnTwoWorkersStillIndexesTheFramesReadBeforeIt() {
        Job job = job();
        List<Long> frames = new ArrayList<>();
        PacketSource source = frames(5000, false);
        PacketSource failing = new PacketSource() {
            int i;

            @Override
            public int linkType() {
                return 1;
            }

            @Override
            public boolean next(Frame f) {
                if (++i == 2001) {
                    throw new CaptureReadException("disk gone", null);
                }
                return source.next(f);
            }

            @Override
            public long bytesRead() {
                return source.bytesRead();
            }

            @Override
            public String warning() {
                return null;
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> pipeline(0, 2).pump(job, failing, (n, json) -> frames.add(n)))
                .isInstanceOf(CaptureReadException.class);
        assertThat(frames).hasSize(2000).isSorted();
        assertThat(job.packetsRead).isEqualTo(2000);
    }
}
