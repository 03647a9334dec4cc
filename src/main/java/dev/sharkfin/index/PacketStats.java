package dev.sharkfin.index;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.LongTermsBucket;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.stereotype.Component;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Ipv4;
import dev.sharkfin.dissect.Ipv6;
import dev.sharkfin.dissect.Tcp;

/**
 * TCP streams and their timelines, from Elasticsearch aggregations over a job's packet index (nothing is kept
 * in memory): what the built-in page at {@code /jobs/{id}} charts.
 */
@Component
public class PacketStats {
    // The fields the aggregations read, from the catalog (a renamed field renames them here too).
    static final String BIF = Tcp.ANALYSIS_BYTES_IN_FLIGHT.path();
    static final String STREAM = Tcp.STREAM.path();
    static final String RETRANSMISSION = Tcp.ANALYSIS_RETRANSMISSION.path();
    static final String FAST_RETRANSMISSION = Tcp.ANALYSIS_FAST_RETRANSMISSION.path();
    static final String DUPLICATE_ACK = Tcp.ANALYSIS_DUPLICATE_ACK.path();
    static final String WINDOW = Tcp.WINDOW_SIZE.path();
    static final String FRAME_LEN = Dissector.LEN.path();
    static final String FRAME_NUMBER = Dissector.NUMBER.path();
    /** The filters on packets flagged by the TCP analysis, as aggregations. */
    private static final String FLAGS = """
            "retrans": {"filter": {"term": {"%s": true}}},
            "fast": {"filter": {"term": {"%s": true}}},
            "dup": {"filter": {"term": {"%s": true}}}""".formatted(RETRANSMISSION, FAST_RETRANSMISSION, DUPLICATE_ACK);
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final int MAX_BUCKETS = 5_000;
    private static final int AUTO_BUCKETS = 300;

    private final ElasticsearchClient client;

    public PacketStats(ElasticsearchClient client) {
        this.client = client;
    }

    @Schema(description = "One TCP stream (tcp.stream) of a job: endpoints from its first packet, totals over its packets")
    public record Stream(
            @Schema(description = "tcp.stream, as Wireshark numbers it") long stream,
            @Schema(description = "Source of the stream's first packet, address:port", example = "10.99.1.1:40512") String client,
            @Schema(description = "Destination of the stream's first packet, address:port", example = "10.99.2.2:5001") String server,
            long packets,
            @Schema(description = "Sum of frame.frame_len") long bytes,
            long retransmissions,
            long fastRetransmissions,
            long duplicateAcks,
            @Schema(description = "Largest tcp.analysis.bytes_in_flight; null when no packet carried data") Long maxBytesInFlight,
            String firstPacketTime,
            String lastPacketTime,
            @Schema(description = "Last packet minus first, in seconds") double durationSeconds) {
    }

    @Schema(description = "One interval of a stream's timeline")
    public record Point(
            @Schema(description = "Start of the interval") String time,
            @Schema(description = "Start of the interval in seconds since the stream's first packet") double t,
            long packets,
            @Schema(description = "Max bytes in flight (sender); null when no data packet fell in the interval") Long bytesInFlight,
            long duplicateAcks,
            long retransmissions,
            long fastRetransmissions,
            @Schema(description = "Max tcp.window_size of the packets without bytes in flight (the receiver's ACKs); null if none") Long advertisedWindow,
            @Schema(description = "Sum of frame.frame_len, both directions") long bytes,
            @Schema(description = "bytes * 8 / interval") double bitsPerSecond) {
    }

    @Schema(description = "A stream's timeline: fixed intervals from its first packet to its last")
    public record Timeline(long stream, String interval, long intervalMillis, String firstPacketTime, String lastPacketTime,
            List<Point> points) {
    }

    /** The stream is not in the index. */
    public static final class NoSuchStream extends RuntimeException {
        NoSuchStream(String index, long stream) {
            super("The index " + index + " has no packet of TCP stream " + stream + "; GET .../tcp/streams lists its streams.");
        }
    }

    /** An interval Elasticsearch's fixed_interval would not take, or one that makes too many points. */
    public static final class BadInterval extends IllegalArgumentException {
        BadInterval(String message) {
            super(message);
        }
    }

    /** The most streams one request answers: a page, never the whole of a capture with a million SYNs. */
    public static final int MAX_PAGE = 10_000;

    /**
     * One page of the job's TCP streams and how many there are in all.
     *
     * @param streams the page
     * @param total   streams in the index (tcp.stream numbers run from 0 without gaps, as Wireshark's do)
     * @param next    the {@code after} of the next page in stream order, or null when this page ends the list
     */
    public record StreamPage(List<Stream> streams, long total, Long next) {
    }

    /**
     * A page of streams: in stream order after stream {@code after} (-1: from the first), or, with
     * {@code byPackets}, the {@code size} busiest streams (one page, no next).
     */
    public StreamPage streams(String index, long after, int size, boolean byPackets) {
        if (size < 1 || size > MAX_PAGE) {
            throw new BadPage("'size' must be between 1 and " + MAX_PAGE + "; it was " + size + ".");
        }
        String query = after < 0 ? "{\"exists\": {\"field\": \"" + STREAM + "\"}}"
                : "{\"range\": {\"" + STREAM + "\": {\"gt\": " + after + "}}}";
        String order = byPackets ? "{\"_count\": \"desc\"}" : "{\"_key\": \"asc\"}";
        String body = """
                {"size": 0, "track_total_hits": false, "query": %s,
                 "aggs": {"streams": {"terms": {"field": "%s", "size": %d, "order": %s},
                   "aggs": {
                     "first": {"min": {"field": "@timestamp"}}, "last": {"max": {"field": "@timestamp"}},
                     "bytes": {"sum": {"field": "%s"}}, "bif": {"max": {"field": "%s"}},
                     %s,
                     "opening": {"top_hits": {"size": 1, "sort": [{"%s": "asc"}],
                       "_source": {"includes": ["%s", "%s", "%s", "%s", "%s", "%s"]}}}
                   }}}}""".formatted(query, STREAM, byPackets ? size : size + 1, order, FRAME_LEN, BIF, FLAGS, FRAME_NUMBER,
                Ipv4.SRC.path(), Ipv4.DST.path(), Ipv6.SRC.path(), Ipv6.DST.path(), Tcp.SRCPORT.path(), Tcp.DSTPORT.path());
        List<Stream> all = read(search(index, body));
        long total = countStreams(index);
        if (byPackets || all.size() <= size) {
            return new StreamPage(all, total, null);
        }
        List<Stream> page = all.subList(0, size);
        return new StreamPage(List.copyOf(page), total, page.get(size - 1).stream());
    }

    /** A page size out of bounds. */
    public static final class BadPage extends IllegalArgumentException {
        public BadPage(String message) {
            super(message);
        }
    }

    private long countStreams(String index) {
        SearchResponse<Void> r = search(index, "{\"size\": 0, \"track_total_hits\": false, \"aggs\": {\"count\": {\"max\": "
                + "{\"field\": \"" + STREAM + "\"}}}}");
        if (r == null) {
            return 0;
        }
        Double max = r.aggregations().get("count").max().value();
        return max != null && Double.isFinite(max) ? Math.round(max) + 1 : 0;
    }

    private List<Stream> read(SearchResponse<Void> r) {
        if (r == null) {
            return List.of();
        }
        List<Stream> out = new ArrayList<>();
        for (LongTermsBucket b : r.aggregations().get("streams").lterms().buckets().array()) {
            Map<String, Aggregate> a = b.aggregations();
            String first = a.get("first").min().valueAsString();
            String last = a.get("last").max().valueAsString();
            String client = null;
            String server = null;
            List<Hit<JsonData>> hits = a.get("opening").topHits().hits().hits();
            if (!hits.isEmpty() && hits.get(0).source() != null) {
                Map<?, ?> src = hits.get(0).source().to(Map.class);
                client = endpoint(first(value(src, Ipv4.SRC), value(src, Ipv6.SRC)), value(src, Tcp.SRCPORT));
                server = endpoint(first(value(src, Ipv4.DST), value(src, Ipv6.DST)), value(src, Tcp.DSTPORT));
            }
            out.add(new Stream(b.key(), client, server, b.docCount(), sum(a.get("bytes")),
                    a.get("retrans").filter().docCount(), a.get("fast").filter().docCount(), a.get("dup").filter().docCount(),
                    maxOrNull(a.get("bif")), first, last, seconds(first, last)));
        }
        return out;
    }

    /**
     * @param interval an Elasticsearch fixed interval ({@code 100ms}, {@code 1s}, ...) or null for about
     *                 {@value #AUTO_BUCKETS} points over the stream
     */
    public Timeline timeline(String index, long stream, String interval) {
        String filter = "{\"term\": {\"" + STREAM + "\": " + stream + "}}";
        SearchResponse<Void> bounds = search(index, """
                {"size": 0, "track_total_hits": true, "query": %s,
                 "aggs": {"first": {"min": {"field": "@timestamp"}}, "last": {"max": {"field": "@timestamp"}}}}"""
                .formatted(filter));
        if (bounds == null || bounds.hits().total() == null || bounds.hits().total().value() == 0) {
            throw new NoSuchStream(index, stream);
        }
        String first = bounds.aggregations().get("first").min().valueAsString();
        String last = bounds.aggregations().get("last").max().valueAsString();
        double span = seconds(first, last);
        long millis;
        if (interval == null || interval.isBlank()) {
            millis = niceMillis(span * 1000 / AUTO_BUCKETS);
            interval = millis + "ms";
        } else {
            millis = parseMillis(interval);
            if (span * 1000 / millis > MAX_BUCKETS) {
                throw new BadInterval("An interval of " + interval + " makes more than " + MAX_BUCKETS + " points over this "
                        + "stream's " + String.format(Locale.ROOT, "%.3f", span) + " s; choose a longer one, or none for "
                        + "about " + AUTO_BUCKETS + " points.");
            }
        }
        SearchResponse<Void> r = search(index, """
                {"size": 0, "query": %s,
                 "aggs": {"t": {"date_histogram": {"field": "@timestamp", "fixed_interval": "%s", "min_doc_count": 0},
                   "aggs": {
                     "bif": {"max": {"field": "%s"}},
                     "receiver": {"filter": {"bool": {"must_not": {"exists": {"field": "%s"}}}},
                                  "aggs": {"win": {"max": {"field": "%s"}}}},
                     %s,
                     "bytes": {"sum": {"field": "%s"}}
                   }}}}""".formatted(filter, interval, BIF, BIF, WINDOW, FLAGS, FRAME_LEN));
        long start = Instant.parse(first).toEpochMilli();
        List<Point> points = new ArrayList<>();
        for (DateHistogramBucket b : r.aggregations().get("t").dateHistogram().buckets().array()) {
            Map<String, Aggregate> a = b.aggregations();
            long bytes = sum(a.get("bytes"));
            points.add(new Point(Instant.ofEpochMilli(b.key()).toString(), Math.max(0, b.key() - start) / 1000.0,
                    b.docCount(), maxOrNull(a.get("bif")), a.get("dup").filter().docCount(),
                    a.get("retrans").filter().docCount(), a.get("fast").filter().docCount(),
                    maxOrNull(a.get("receiver").filter().aggregations().get("win")), bytes, bytes * 8 * 1000.0 / millis));
        }
        return new Timeline(stream, interval, millis, first, last, points);
    }

    private SearchResponse<Void> search(String index, String body) {
        try {
            return client.search(s -> s.index(index).withJson(new StringReader(body)), Void.class);
        } catch (ElasticsearchException e) {
            if ("index_not_found_exception".equals(e.error().type())) {
                return null;
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch could not be reached to aggregate " + index + ": " + e.getMessage(), e);
        }
    }

    /** The longest interval taken: a year, far more than any capture needs, far less than any overflow. */
    static final long MAX_INTERVAL_MILLIS = 365L * 86_400_000;

    /**
     * An interval in milliseconds. The number is checked before any arithmetic: one past the long range, or one
     * that overflows once multiplied by its unit, is a bad interval (400), never a 500 or a negative interval.
     */
    static long parseMillis(String interval) {
        Matcher m = INTERVAL.matcher(interval);
        String usage = "a positive whole number and one of ms, s, m, h, d (e.g. 100ms, 1s, 5m), at most 365d";
        if (!m.matches() || m.group(1).length() > 12) {
            throw new BadInterval("'" + interval + "' is not an interval: " + usage + ".");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        if (n == 0 || n > MAX_INTERVAL_MILLIS / unit) {
            throw new BadInterval("'" + interval + "' is not an interval Sharkfin takes: " + usage + ".");
        }
        return n * unit;
    }

    /** The smallest of 1, 2, 5 x 10^k milliseconds at least {@code ms}. */
    static long niceMillis(double ms) {
        long step = 1;
        while (true) {
            for (long f : new long[] {1, 2, 5}) {
                if (f * step >= ms) {
                    return f * step;
                }
            }
            step *= 10;
        }
    }

    private static Long maxOrNull(Aggregate a) {
        Double v = a.max().value();
        return v != null && Double.isFinite(v) ? Long.valueOf(Math.round(v)) : null;
    }

    private static long sum(Aggregate a) {
        Double v = a.sum().value();
        return v != null && Double.isFinite(v) ? Math.round(v) : 0;
    }

    private static double seconds(String first, String last) {
        if (first == null || last == null) {
            return 0;
        }
        java.time.Duration d = java.time.Duration.between(Instant.parse(first), Instant.parse(last));
        return d.getSeconds() + d.getNano() / 1e9;
    }

    /**
     * A field's value in a document's source, when its protocol occurs once in the packet (a tunnel's two IP
     * headers say nothing certain about the TCP endpoints).
     */
    private static Object value(Map<?, ?> source, Field f) {
        return source.get(f.protocol().layers().get(0)) instanceof Map<?, ?> m ? m.get(f.key()) : null;
    }

    private static Object first(Object a, Object b) {
        Object v = a != null ? a : b;
        return v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v;
    }

    private static String endpoint(Object address, Object port) {
        if (address == null) {
            return null;
        }
        String a = address.toString();
        return (a.contains(":") ? "[" + a + "]" : a) + (port == null ? "" : ":" + port);
    }
}
