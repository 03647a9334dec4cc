package dev.sharkfin.api;

import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sharkfin.index.PacketStats;
import dev.sharkfin.job.JobService;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The built-in view for users without Kibana: a job's TCP streams, their timelines, and the page charting them. */
@RestController
@Tag(name = "TCP", description = "A job's TCP streams and their timelines, from Elasticsearch aggregations over its index")
class TcpController {
    private final JobService jobs;
    private final PacketStats stats;

    TcpController(JobService jobs, PacketStats stats) {
        this.jobs = jobs;
        this.stats = stats;
    }

    @Operation(summary = "The job's TCP streams, a page at a time",
            description = "Each tcp.stream with its endpoints (from its first packet), packets, bytes, retransmissions, "
                    + "fast retransmissions, duplicate ACKs, max bytes in flight and duration. A page holds at most 'size' "
                    + "streams in stream order after stream 'after'; the header X-Total-Streams says how many there are, and "
                    + "Link rel=next gives the next page while there is one. sort=packets answers the 'size' busiest "
                    + "streams instead (one page). A running job shows what is searchable so far.")
    @ApiResponse(responseCode = "200", description = "The streams", headers = {
            @io.swagger.v3.oas.annotations.headers.Header(name = "X-Total-Streams", description = "Streams in the job"),
            @io.swagger.v3.oas.annotations.headers.Header(name = "Link", description = "<...?after=N&size=S>; rel=\"next\" while more follow")})
    @ApiResponse(responseCode = "400", description = "A page size out of 1..10000, or an unknown sort", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @GetMapping(path = "/api/jobs/{id}/tcp/streams", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<List<PacketStats.Stream>> streams(@PathVariable String id,
            @Parameter(description = "Streams after this stream number (omitted: from the first)") @RequestParam(name = "after", required = false) Long after,
            @Parameter(description = "Streams per page, 1 to 10000") @RequestParam(name = "size", defaultValue = "1000") int size,
            @Parameter(description = "stream (default: stream order, paged) or packets (the busiest first, one page)")
            @RequestParam(name = "sort", defaultValue = "stream") String sort) {
        if (!sort.equals("stream") && !sort.equals("packets")) {
            throw new PacketStats.BadPage("'sort' is 'stream' or 'packets'; it was '" + sort + "'.");
        }
        PacketStats.StreamPage page = stats.streams(jobs.get(id).index(), after == null ? -1 : after, size, sort.equals("packets"));
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().header("X-Total-Streams", Long.toString(page.total()));
        if (page.next() != null) {
            ok.header("Link", "</api/jobs/" + id + "/tcp/streams?after=" + page.next() + "&size=" + size + ">; rel=\"next\"");
        }
        return ok.body(page.streams());
    }

    @Operation(summary = "One TCP stream over time",
            description = "Per interval from the stream's first packet to its last: max bytes in flight, duplicate ACKs, "
                    + "retransmissions, fast retransmissions, the receiver's advertised window (max tcp.window_size of "
                    + "the packets without bytes in flight) and throughput (bytes and bits per second).")
    @ApiResponse(responseCode = "200", description = "The timeline")
    @ApiResponse(responseCode = "400", description = "Not an interval, or one making over 5000 points", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "404", description = "No such job, or no such stream in it", content = @Content(mediaType = "application/problem+json"))
    @GetMapping(path = "/api/jobs/{id}/tcp/streams/{stream}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    PacketStats.Timeline timeline(@PathVariable String id, @PathVariable long stream,
            @Parameter(description = "Fixed interval: a whole number and ms, s, m, h or d (100ms, 1s). Omitted: about 300 points.",
                    example = "100ms")
            @RequestParam(name = "interval", required = false) String interval) {
        return stats.timeline(jobs.get(id).index(), stream, interval);
    }

    /** The home page: upload, start and stop live captures, the list of jobs. */
    @Hidden
    @GetMapping(path = {"/", "/jobs"}, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> home() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(new ClassPathResource("pages/home.html"));
    }

    @Hidden
    @GetMapping(path = "/jobs/{id}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page(@PathVariable String id) {
        jobs.get(id); // 404 for an unknown job
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(new ClassPathResource("pages/job.html"));
    }
}
