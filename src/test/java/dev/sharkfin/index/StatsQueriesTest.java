package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The aggregation bodies are valid JSON, ask for the catalog's fields and carry the names the results are read by. */
class StatsQueriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void streamsInStreamOrderStartAfterTheGivenStream() throws Exception {
        JsonNode q = JSON.readTree(StatsQueries.streams(41, 11, false));
        assertThat(q.at("/query/range/tcp.tcp_stream/gt").asLong()).isEqualTo(41);
        JsonNode terms = q.at("/aggs/streams/terms");
        assertThat(terms.get("field").asText()).isEqualTo("tcp.tcp_stream");
        assertThat(terms.get("size").asInt()).isEqualTo(11);
        assertThat(terms.at("/order/_key").asText()).isEqualTo("asc");
        JsonNode aggs = q.at("/aggs/streams/aggs");
        assertThat(aggs.fieldNames()).toIterable().containsExactlyInAnyOrder("first", "last", "bytes", "bif", "retrans", "fast",
                "dup", "opening");
        assertThat(aggs.at("/bif/max/field").asText()).isEqualTo("tcp.tcp_analysis_bytes_in_flight");
        assertThat(aggs.at("/retrans/filter/term").has("tcp.tcp_analysis_retransmission")).isTrue();
        assertThat(aggs.at("/opening/top_hits/_source/includes")).hasSize(6);
    }

    @Test
    void busiestStreamsFromTheFirst() throws Exception {
        JsonNode q = JSON.readTree(StatsQueries.streams(-1, 5, true));
        assertThat(q.at("/query/exists/field").asText()).isEqualTo("tcp.tcp_stream");
        assertThat(q.at("/aggs/streams/terms/order/_count").asText()).isEqualTo("desc");
    }

    @Test
    void boundsAndTimelineFilterOnTheStream() throws Exception {
        JsonNode bounds = JSON.readTree(StatsQueries.bounds(7));
        assertThat(bounds.at("/query/term/tcp.tcp_stream").asLong()).isEqualTo(7);
        assertThat(bounds.get("track_total_hits").asBoolean()).isTrue();
        JsonNode t = JSON.readTree(StatsQueries.timeline(7, "250ms"));
        assertThat(t.at("/query/term/tcp.tcp_stream").asLong()).isEqualTo(7);
        assertThat(t.at("/aggs/t/date_histogram/fixed_interval").asText()).isEqualTo("250ms");
        assertThat(t.at("/aggs/t/aggs/receiver/aggs/win/max/field").asText()).isEqualTo("tcp.tcp_window_size");
        assertThat(JSON.readTree(StatsQueries.highestStream()).at("/aggs/count/max/field").asText()).isEqualTo("tcp.tcp_stream");
    }
}
