package dev.sharkfin.index;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Ipv4;
import dev.sharkfin.dissect.Ipv6;
import dev.sharkfin.dissect.Tcp;

/**
 * The query text of {@link PacketStats}' aggregations: Elasticsearch search bodies as JSON strings, built from the
 * catalog's field paths (a renamed field renames them here too). Pure: no client, no state; each body is a complete
 * search request whose aggregation names {@link StatsResults} reads back.
 */
final class StatsQueries {
    static final String BIF = Tcp.ANALYSIS_BYTES_IN_FLIGHT.path();
    static final String STREAM = Tcp.STREAM.path();
    static final String RETRANSMISSION = Tcp.ANALYSIS_RETRANSMISSION.path();
    static final String FAST_RETRANSMISSION = Tcp.ANALYSIS_FAST_RETRANSMISSION.path();
    static final String DUPLICATE_ACK = Tcp.ANALYSIS_DUPLICATE_ACK.path();
    static final String WINDOW = Tcp.WINDOW_SIZE.path();
    static final String FRAME_LEN = Dissector.LEN.path();
    static final String FRAME_NUMBER = Dissector.NUMBER.path();
    /** The filters on packets flagged by the TCP analysis, as aggregations: {@code retrans}, {@code fast}, {@code dup}. */
    private static final String FLAGS = """
            "retrans": {"filter": {"term": {"%s": true}}},
            "fast": {"filter": {"term": {"%s": true}}},
            "dup": {"filter": {"term": {"%s": true}}}""".formatted(RETRANSMISSION, FAST_RETRANSMISSION, DUPLICATE_ACK);

    private StatsQueries() {
    }

    /**
     * Up to {@code buckets} streams, each with its totals ({@code first}, {@code last}, {@code bytes}, {@code bif}, the
     * flag filters) and its first packet's endpoints ({@code opening}): in stream order after stream {@code after}
     * (-1: from the first), or the busiest first.
     */
    static String streams(long after, int buckets, boolean byPackets) {
        String query = after < 0 ? "{\"exists\": {\"field\": \"" + STREAM + "\"}}"
                : "{\"range\": {\"" + STREAM + "\": {\"gt\": " + after + "}}}";
        String order = byPackets ? "{\"_count\": \"desc\"}" : "{\"_key\": \"asc\"}";
        return """
                {"size": 0, "track_total_hits": false, "query": %s,
                 "aggs": {"streams": {"terms": {"field": "%s", "size": %d, "order": %s},
                   "aggs": {
                     "first": {"min": {"field": "@timestamp"}}, "last": {"max": {"field": "@timestamp"}},
                     "bytes": {"sum": {"field": "%s"}}, "bif": {"max": {"field": "%s"}},
                     %s,
                     "opening": {"top_hits": {"size": 1, "sort": [{"%s": "asc"}],
                       "_source": {"includes": ["%s", "%s", "%s", "%s", "%s", "%s"]}}}
                   }}}}""".formatted(query, STREAM, buckets, order, FRAME_LEN, BIF, FLAGS, FRAME_NUMBER,
                Ipv4.SRC.path(), Ipv4.DST.path(), Ipv6.SRC.path(), Ipv6.DST.path(), Tcp.SRCPORT.path(), Tcp.DSTPORT.path());
    }

    /** The highest stream number ({@code count}): streams are numbered from 0 without gaps. */
    static String highestStream() {
        return "{\"size\": 0, \"track_total_hits\": false, \"aggs\": {\"count\": {\"max\": {\"field\": \"" + STREAM + "\"}}}}";
    }

    /** The stream's packet count (total hits) and its first and last packet times ({@code first}, {@code last}). */
    static String bounds(long stream) {
        return """
                {"size": 0, "track_total_hits": true, "query": %s,
                 "aggs": {"first": {"min": {"field": "@timestamp"}}, "last": {"max": {"field": "@timestamp"}}}}"""
                .formatted(streamFilter(stream));
    }

    /**
     * The stream's timeline ({@code t}): a bucket per {@code interval} (an Elasticsearch fixed interval), each with the
     * sender's bytes in flight ({@code bif}), the receiver's window ({@code receiver.win}), the flags and {@code bytes}.
     */
    static String timeline(long stream, String interval) {
        return """
                {"size": 0, "query": %s,
                 "aggs": {"t": {"date_histogram": {"field": "@timestamp", "fixed_interval": "%s", "min_doc_count": 0},
                   "aggs": {
                     "bif": {"max": {"field": "%s"}},
                     "receiver": {"filter": {"bool": {"must_not": {"exists": {"field": "%s"}}}},
                                  "aggs": {"win": {"max": {"field": "%s"}}}},
                     %s,
                     "bytes": {"sum": {"field": "%s"}}
                   }}}}""".formatted(streamFilter(stream), interval, BIF, BIF, WINDOW, FLAGS, FRAME_LEN);
    }

    private static String streamFilter(long stream) {
        return "{\"term\": {\"" + STREAM + "\": " + stream + "}}";
    }
}
