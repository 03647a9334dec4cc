package dev.sharkfin.normalize;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * A frame's comments (pcapng opt_comment) are Wireshark's first expert items ("Packet comments" comes before the
 * frame's tree), on one thread and on workers alike, and belong to their frame only.
 */
class FrameCommentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A frame of 42 bytes in a record claiming 40 on the wire: the frame's own expert, after the comments. */
    private static final byte[] FRAME = ethernet("001122334455", "66778899aabb", 0x0800,
            ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, new byte[0])));
    private static final String FRAME_EXPERT = "Frame length is less than captured length";

    private static List<String> experts(JsonNode doc) {
        List<String> all = new ArrayList<>();
        JsonNode messages = doc.path("_ws").path("_ws_expert_message");
        if (messages.isTextual()) {
            all.add(messages.asText()); // one message is written as a value, more as an array
        }
        messages.forEach(m -> all.add(m.asText()));
        return all;
    }

    @Test
    void commentsComeFirstAndOnlyOnTheirFrame() throws Exception {
        PacketDocuments documents = new PacketDocuments();
        documents.comments(List.of("Packet #1", "two"));
        JsonNode first = JSON.readTree(documents.write(1, 1_000_000L, FRAME, FRAME.length, FRAME.length - 2, 1, false)
                .toByteArray());
        JsonNode second = JSON.readTree(documents.write(2, 2_000_000L, FRAME, FRAME.length, FRAME.length - 2, 1, false)
                .toByteArray());
        assertThat(experts(first)).containsExactly("Packet #1", "two", FRAME_EXPERT);
        assertThat(experts(second)).containsExactly(FRAME_EXPERT);
    }

    @Test
    void workersGiveTheCommentsToTheirFrame() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (ParallelDocuments p = new ParallelDocuments(2, "test", (n, json, length, error) -> {
            try {
                docs.add(JSON.readTree(Arrays.copyOf(json, length)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })) {
            p.write(1, 1_000_000L, 1_000_000L, FRAME, FRAME.length, FRAME.length - 2, 1, false, List.of("Packet #1"));
            p.write(2, 2_000_000L, 2_000_000L, FRAME, FRAME.length, FRAME.length - 2, 1, false, List.of());
            p.finish();
        }
        assertThat(experts(docs.get(0))).containsExactly("Packet #1", FRAME_EXPERT);
        assertThat(experts(docs.get(1))).containsExactly(FRAME_EXPERT);
    }
}
