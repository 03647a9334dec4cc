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

/**
 * TCP streams and their timelines, from Elasticsearch aggregations over a job's packet index (nothing is kept
 * in memory): what the built-in page at {@code /jobs/{id}} charts.
 */
@Component
public class PacketStats {
    static final String BIF = "tcp.tcp_analysis_bytes_in_flight";
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
        String query = after < 0 ? "{\"exists\": {\"field\": \"tcp.tcp_stream\"}}"
                : "{\"range\": {\"tcp.tcp_stream\": {\"gt\": " + after + "}}}";
        String order = byPackets ? "{\"_count\": \"desc\"}" : "{\"_key\": \"asc\"}";
        String body = """
                {"size": 0, "track_total_hits": false, "query": %s,
                 "aggs": {"streams": {"terms": {"field": "tcp.tcp_stream", "size": %d, "order": %s},
                   "aggs": {
                     "first": {"min": {"field": "@timestamp"}}, "last": {"max": {"field": "@timestamp"}},
                     "bytes": {"sum": {"field": "frame.frame_len"}}, "bif": {"max": {"field": "%s"}},
                     "retrans": {"filter": {"term": {"tcp.tcp_analysis_retransmission": true}}},
                     "fast": {"filter": {"term": {"tcp.tcp_analysis_fast_retransmission": true}}},
                     "dup": {"filter": {"term": {"tcp.tcp_analysis_duplicate_ack": true}}},
                     "opening": {"top_hits": {"size": 1, "sort": [{"frame.frame_number": "asc"}],
                       "_source": {"includes": ["ip.ip_src", "ip.ip_dst", "ipv6.ipv6_src", "ipv6.ipv6_dst", "tcp.tcp_srcport", "tcp.tcp_dstport"]}}}
                   }}}}""".formatted(query, byPackets ? size : size + 1, order, BIF);
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
                + "{\"field\": \"tcp.tcp_stream\"}}}}");
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
                Map<?, ?> ip = src.get("ip") instanceof Map<?, ?> m ? m : src.get("ipv6") instanceof Map<?, ?> m6 ? m6 : Map.of();
                Map<?, ?> tcp = src.get("tcp") instanceof Map<?, ?> m ? m : Map.of();
                client = endpoint(first(ip.get("ip_src"), ip.get("ipv6_src")), tcp.get("tcp_srcport"));
                server = endpoint(first(ip.get("ip_dst"), ip.get("ipv6_dst")), tcp.get("tcp_dstport"));
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
        String filter = "{\"term\": {\"tcp.tcp_stream\": " + stream + "}}";
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
                                  "aggs": {"win": {"max": {"field": "tcp.tcp_window_size"}}}},
                     "dup": {"filter": {"term": {"tcp.tcp_analysis_duplicate_ack": true}}},
                     "retrans": {"filter": {"term": {"tcp.tcp_analysis_retransmission": true}}},
                     "fast": {"filter": {"term": {"tcp.tcp_analysis_fast_retransmission": true}}},
                     "bytes": {"sum": {"field": "frame.frame_len"}}
                   }}}}""".formatted(filter, interval, BIF, BIF));
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
