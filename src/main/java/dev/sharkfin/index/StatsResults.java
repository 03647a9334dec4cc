package dev.sharkfin.index;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.LongTermsBucket;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;

import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Ipv4;
import dev.sharkfin.dissect.Ipv6;
import dev.sharkfin.dissect.Tcp;

/**
 * Reads {@link StatsQueries}' aggregation results into {@link PacketStats}' API views. A missing index (a null
 * response) reads as nothing; an empty max is null and an empty sum 0, as the views document.
 */
final class StatsResults {
    private StatsResults() {
    }

    /** The streams of a {@link StatsQueries#streams} response, in its bucket order. */
    static List<PacketStats.Stream> streams(SearchResponse<Void> r) {
        if (r == null) {
            return List.of();
        }
        List<PacketStats.Stream> out = new ArrayList<>();
        for (LongTermsBucket b : r.aggregations().get("streams").lterms().buckets().array()) {
            out.add(stream(b));
        }
        return out;
    }

    private static PacketStats.Stream stream(LongTermsBucket b) {
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
        return new PacketStats.Stream(b.key(), client, server, b.docCount(), sum(a.get("bytes")),
                a.get("retrans").filter().docCount(), a.get("fast").filter().docCount(), a.get("dup").filter().docCount(),
                maxOrNull(a.get("bif")), first, last, seconds(first, last));
    }

    /** How many streams a {@link StatsQueries#highestStream} response counts: the highest number plus one, or 0. */
    static long streamCount(SearchResponse<Void> r) {
        if (r == null) {
            return 0;
        }
        Double max = r.aggregations().get("count").max().value();
        return max != null && Double.isFinite(max) ? Math.round(max) + 1 : 0;
    }

    /** The points of a {@link StatsQueries#timeline} response, timed from the stream's first packet. */
    static List<PacketStats.Point> points(SearchResponse<Void> r, String firstPacketTime, TimelineInterval interval) {
        long start = Instant.parse(firstPacketTime).toEpochMilli();
        List<PacketStats.Point> points = new ArrayList<>();
        for (DateHistogramBucket b : r.aggregations().get("t").dateHistogram().buckets().array()) {
            Map<String, Aggregate> a = b.aggregations();
            long bytes = sum(a.get("bytes"));
            points.add(new PacketStats.Point(Instant.ofEpochMilli(b.key()).toString(), Math.max(0, b.key() - start) / 1000.0,
                    b.docCount(), maxOrNull(a.get("bif")), a.get("dup").filter().docCount(),
                    a.get("retrans").filter().docCount(), a.get("fast").filter().docCount(),
                    maxOrNull(a.get("receiver").filter().aggregations().get("win")), bytes, interval.bitsPerSecond(bytes)));
        }
        return points;
    }

    private static Long maxOrNull(Aggregate a) {
        Double v = a.max().value();
        return v != null && Double.isFinite(v) ? Long.valueOf(Math.round(v)) : null;
    }

    private static long sum(Aggregate a) {
        Double v = a.sum().value();
        return v != null && Double.isFinite(v) ? Math.round(v) : 0;
    }

    /** Seconds from {@code first} to {@code last} (ISO instants), 0 when either is missing. */
    static double seconds(String first, String last) {
        if (first == null || last == null) {
            return 0;
        }
        Duration d = Duration.between(Instant.parse(first), Instant.parse(last));
        return d.getSeconds() + d.getNano() / 1e9;
    }

    /**
     * A field's value in a document's source, when its protocol occurs once in the packet (a tunnel's two IP
     * headers say nothing certain about the TCP endpoints).
     */
    static Object value(Map<?, ?> source, Field f) {
        return source.get(f.protocol().layers().get(0)) instanceof Map<?, ?> m ? m.get(f.key()) : null;
    }

    /** {@code a} unless null, else {@code b}; of a list, its first element. */
    static Object first(Object a, Object b) {
        Object v = a != null ? a : b;
        return v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v;
    }

    /** {@code address:port}, an IPv6 address in brackets; null without an address. */
    static String endpoint(Object address, Object port) {
        if (address == null) {
            return null;
        }
        String a = address.toString();
        return (a.contains(":") ? "[" + a + "]" : a) + (port == null ? "" : ":" + port);
    }
}
