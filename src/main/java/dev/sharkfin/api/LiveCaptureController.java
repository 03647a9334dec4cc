package dev.sharkfin.api;

import java.net.URI;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.sharkfin.capture.LiveCaptureSpec;
import dev.sharkfin.capture.LiveCaptures;
import dev.sharkfin.capture.NetworkInterfaceInfo;
import dev.sharkfin.job.JobService;
import dev.sharkfin.job.JobStatus;
import dev.sharkfin.kibana.JobLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The second way in: capture from one of the machine's interfaces, indexed as it arrives. */
@RestController
@Tag(name = "Live capture", description = "Capture from an interface into a job of kind 'live': the capture is spooled "
        + "to a pcapng file and indexed from it as it grows")
class LiveCaptureController {
    private static final String PROBLEM = "application/problem+json";

    private final LiveCaptures captures;
    private final JobService jobs;
    private final JobLinks links;
    private final dev.sharkfin.index.ShardBudget shards;

    LiveCaptureController(LiveCaptures captures, JobService jobs, JobLinks links, dev.sharkfin.index.ShardBudget shards) {
        this.captures = captures;
        this.jobs = jobs;
        this.links = links;
        this.shards = shards;
    }

    @Operation(summary = "The interfaces live capture can open",
            description = "What libpcap lists on this machine, limited to sharkfin.capture.live.interfaces when that is set.")
    @ApiResponse(responseCode = "200", description = "The interfaces")
    @ApiResponse(responseCode = "403", description = "Live capture is switched off", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = "libpcap is not installed", content = @Content(mediaType = PROBLEM))
    @GetMapping(path = "/api/interfaces", produces = MediaType.APPLICATION_JSON_VALUE)
    List<NetworkInterfaceInfo> interfaces() {
        return captures.interfaces();
    }

    @Operation(summary = "Start a live capture",
            description = "Captures from an interface into a pcapng spool and indexes it, as it grows, into packets-{job id} "
                    + "with the same dissection and TCP analysis as an upload. The job (kind 'live') ends on the first limit "
                    + "reached (maxPackets, maxDuration, maxBytes: the spool's size), on POST /api/jobs/{id}/stop (succeeded, "
                    + "once everything captured is indexed) or on DELETE /api/jobs/{id} (cancelled). Limits left out take "
                    + "the configured defaults (sharkfin.capture.live.default-*); a request over a bound "
                    + "(sharkfin.capture.live.max-*) gets 400. Packets are searchable within about a second while it runs; "
                    + "GET /api/jobs/{id}/pcap downloads the spool at any time.")
    @ApiResponse(responseCode = "202", description = "Capturing; the job as it is now",
            headers = @Header(name = "Location", description = "/api/jobs/{id}"))
    @ApiResponse(responseCode = "400", description = "A filter that does not compile (libpcap's message), or a limit out of "
            + "bounds", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "403", description = "Live capture switched off, an interface off the allow-list, or no "
            + "permission to capture (what to do is in the detail)", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "404", description = "No such interface", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "429", description = "Too many live captures at once; see Retry-After", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = "libpcap is not installed, or Elasticsearch is unavailable", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "507", description = "Elasticsearch has no shard left for a new job's index", content = @Content(mediaType = PROBLEM))
    @PostMapping(path = "/api/captures/live", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobStatus> start(@RequestBody LiveCaptureRequest request) {
        LiveCaptureSpec spec = captures.spec(request.interfaceName(), request.filter(), request.snaplen(),
                request.promiscuous(), request.maxPackets(), request.maxDuration(), request.maxBytes());
        shards.require();
        JobStatus job = links.decorate(jobs.startLive(spec));
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @Schema(name = "LiveCaptureRequest", description = "A live capture: the interface, an optional BPF filter, and limits")
    record LiveCaptureRequest(
            @com.fasterxml.jackson.annotation.JsonProperty("interface")
            @Schema(description = "The interface, as GET /api/interfaces names it", example = "eth0",
                    requiredMode = Schema.RequiredMode.REQUIRED) String interfaceName,
            @Schema(description = "A libpcap (BPF) filter; omitted: every packet", example = "tcp port 443") String filter,
            @Schema(description = "Bytes kept of each packet, 64 to 262144; omitted: sharkfin.capture.live.default-snaplen",
                    example = "262144") Integer snaplen,
            @Schema(description = "Put the interface in promiscuous mode; omitted: false", example = "false") Boolean promiscuous,
            @Schema(description = "End after this many packets; 0: no packet limit; omitted: "
                    + "sharkfin.capture.live.default-max-packets", example = "100000") Long maxPackets,
            @Schema(description = "End after this long, ISO-8601 or 30s/10m/2h; omitted: "
                    + "sharkfin.capture.live.default-duration (10m)", example = "PT10M") String maxDuration,
            @Schema(description = "End before the spool passes this size (1GB, 500MB or bytes); omitted: "
                    + "sharkfin.capture.live.default-max-bytes (1GB)", example = "1GB") String maxBytes) {
    }
}
