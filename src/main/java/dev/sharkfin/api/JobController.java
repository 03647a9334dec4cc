package dev.sharkfin.api;

import java.util.List;

import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sharkfin.job.JobService;
import dev.sharkfin.job.JobStatus;
import dev.sharkfin.kibana.JobLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping(path = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Jobs", description = "Poll, list, stop and cancel jobs; download their captures")
class JobController {
    private final JobService jobs;
    private final JobLinks links;

    JobController(JobService jobs, JobLinks links) {
        this.jobs = jobs;
        this.links = links;
    }

    @Operation(summary = "Jobs, newest first, a page at a time",
            description = "X-Total-Count says how many jobs match; Link gives the next and previous pages (rel=next, "
                    + "rel=prev). state= keeps only jobs in the given states (repeat it, or separate states by commas).")
    @ApiResponse(responseCode = "200", description = "A page of jobs", headers = {
            @io.swagger.v3.oas.annotations.headers.Header(name = "X-Total-Count", description = "Jobs matching in all"),
            @io.swagger.v3.oas.annotations.headers.Header(name = "Link", description = "rel=next / rel=prev pages")})
    @ApiResponse(responseCode = "400", description = "A page out of bounds, or an unknown state",
            content = @Content(mediaType = "application/problem+json"))
    @GetMapping
    ResponseEntity<List<JobStatus>> list(
            @io.swagger.v3.oas.annotations.Parameter(description = "Page number, from 0") @RequestParam(name = "page", defaultValue = "0") int page,
            @io.swagger.v3.oas.annotations.Parameter(description = "Jobs per page, 1 to sharkfin.jobs.list-limit (1000)")
            @RequestParam(name = "size", defaultValue = "100") int size,
            @io.swagger.v3.oas.annotations.Parameter(description = "queued, running, succeeded, failed or cancelled")
            @RequestParam(name = "state", required = false) List<String> state) {
        List<String> states = state == null ? List.of()
                : state.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).filter(v -> !v.isBlank()).toList();
        JobService.Page p = jobs.list(page, size, states);
        String filter = states.isEmpty() ? "" : "&state=" + String.join(",", states);
        List<String> rels = new java.util.ArrayList<>();
        if ((long) (page + 1) * size < p.total()) {
            rels.add("</api/jobs?page=" + (page + 1) + "&size=" + size + filter + ">; rel=\"next\"");
        }
        if (page > 0) {
            rels.add("</api/jobs?page=" + (page - 1) + "&size=" + size + filter + ">; rel=\"prev\"");
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().header("X-Total-Count", Long.toString(p.total()));
        if (!rels.isEmpty()) {
            ok.header("Link", String.join(", ", rels));
        }
        return ok.body(p.jobs().stream().map(links::decorate).toList());
    }

    @Operation(summary = "Delete an ended job's data",
            description = "Removes the job's index (packets-{id}), its kept capture file and its record. A queued or running "
                    + "job must be cancelled first.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "The job has not ended", content = @Content(mediaType = "application/problem+json"))
    @DeleteMapping("/{id}/data")
    ResponseEntity<Void> deleteData(@PathVariable String id) {
        jobs.deleteData(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "One job", description = "Poll until state is succeeded, failed or cancelled. viewUrl is the built-in "
            + "page of its TCP streams; dashboardUrl, with Kibana configured and the job succeeded, opens the TCP congestion "
            + "control dashboard on this job's index and capture time range.")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @GetMapping("/{id}")
    JobStatus get(@PathVariable String id) {
        return links.decorate(jobs.get(id));
    }

    @Operation(summary = "Cancel a queued or running job",
            description = "A running job stops at the next packet; what it indexed stays in its index and is counted.")
    @ApiResponse(responseCode = "200", description = "Cancellation accepted; the job as it is now")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "The job has already ended", content = @Content(mediaType = "application/problem+json"))
    @DeleteMapping("/{id}")
    JobStatus cancel(@PathVariable String id) {
        return links.decorate(jobs.cancel(id));
    }

    @Operation(summary = "Stop a live capture",
            description = "Nothing more is captured; the job goes on until every packet captured is indexed, then ends "
                    + "succeeded (its live.endReason is 'stopped').")
    @ApiResponse(responseCode = "200", description = "Stopping; the job as it is now")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "Not a live capture, or it has already ended",
            content = @Content(mediaType = "application/problem+json"))
    @PostMapping("/{id}/stop")
    JobStatus stop(@PathVariable String id) {
        return links.decorate(jobs.stop(id));
    }

    @Operation(summary = "Download the job's capture",
            description = "An upload's stored file (decompressed), or a live capture's pcapng spool; while a live capture "
                    + "runs, up to its last complete packet. It holds the frames the job indexed, in the same order, so "
                    + "frame numbers match frame.frame_number in the index.")
    @ApiResponse(responseCode = "200", description = "The capture", content = {
            @Content(mediaType = "application/vnd.tcpdump.pcap"), @Content(mediaType = "application/x-pcapng")})
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "410", description = "The capture file is not kept on this instance",
            content = @Content(mediaType = "application/problem+json"))
    @GetMapping(path = "/{id}/pcap", produces = {"application/vnd.tcpdump.pcap", "application/x-pcapng", "application/problem+json"})
    ResponseEntity<StreamingResponseBody> pcap(@PathVariable String id) {
        JobService.CaptureFile file = jobs.captureFile(id);
        StreamingResponseBody body = out -> {
            // The first 'length' bytes only: a live spool grows while this is sent, and its tail may be a block
            // half written.
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(file.path())) {
                byte[] buf = new byte[1 << 16];
                long left = file.length();
                while (left > 0) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (r < 0) {
                        break;
                    }
                    out.write(buf, 0, r);
                    left -= r;
                }
            }
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.pcapng() ? "application/x-pcapng" : "application/vnd.tcpdump.pcap"))
                .contentLength(file.length())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file.fileName()).build().toString())
                .body(body);
    }
}
