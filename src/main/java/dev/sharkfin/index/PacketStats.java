package dev.sharkfin.index;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.stereotype.Component;

/**
 * TCP streams and their timelines, from Elasticsearch aggregations over a job's packet index (nothing is kept
 * in memory): what the built-in page at {@code /jobs/{id}} charts. Declares the API views and the exceptions of
 * these answers and runs the searches; the query text is {@link StatsQueries}', the reading of the answers {@link
 * StatsResults}' and the interval arithmetic {@link TimelineInterval}'s.
 */
@Component
public class PacketStats {
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
        List<Stream> all = StatsResults.streams(search(index, StatsQueries.streams(after, byPackets ? size : size + 1, byPackets)));
        long total = StatsResults.streamCount(search(index, StatsQueries.highestStream()));
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

    /**
     * @param interval an Elasticsearch fixed interval ({@code 100ms}, {@code 1s}, ...) or null for about
     *                 {@value TimelineInterval#AUTO_BUCKETS} points over the stream
     */
    public Timeline timeline(String index, long stream, String interval) {
        SearchResponse<Void> bounds = search(index, StatsQueries.bounds(stream));
        if (bounds == null || bounds.hits().total() == null || bounds.hits().total().value() == 0) {
            throw new NoSuchStream(index, stream);
        }
        String first = bounds.aggregations().get("first").min().valueAsString();
        String last = bounds.aggregations().get("last").max().valueAsString();
        TimelineInterval step = TimelineInterval.of(interval, StatsResults.seconds(first, last));
        SearchResponse<Void> r = search(index, StatsQueries.timeline(stream, step.text()));
        return new Timeline(stream, step.text(), step.millis(), first, last, StatsResults.points(r, first, step));
    }

    /** The search's answer, or null when the index does not exist. */
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
}
