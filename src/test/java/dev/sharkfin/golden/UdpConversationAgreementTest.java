package dev.sharkfin.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sharkfin.dissect.Udp;
import dev.sharkfin.golden.Agreement.Field;

/**
 * The UDP conversations ({@code udp.stream} and the times within a conversation) against tshark on every
 * capture of the three corpora, frame by frame: the target is every frame.
 */
class UdpConversationAgreementTest {
    static final List<Field> FIELDS = List.of(Field.of(Udp.STREAM), Field.of(Udp.TIME_RELATIVE), Field.of(Udp.TIME_DELTA));

    @Test
    void udpConversationsAgreeWithTsharkOnEveryFrame() throws IOException {
        List<Path> captures = ApplicationAgreementTest.corpus();
        Agreement agreement = new Agreement(FIELDS);
        captures.forEach(p -> agreement.compare(p, TsharkAgreementTest.format(p)));
        System.out.println(agreement.report("UDP conversations vs tshark, " + captures.size() + " captures"));
        assertThat(agreement.frames.percent()).isEqualTo(100.0);
        for (Map.Entry<String, Agreement.Score> e : agreement.scores.entrySet()) {
            assertThat(e.getValue().percent()).as(e.getKey() + " " + e.getValue().examples).isEqualTo(100.0);
            assertThat(e.getValue().total).as(e.getKey() + " compared").isGreaterThan(1000);
        }
    }
}
