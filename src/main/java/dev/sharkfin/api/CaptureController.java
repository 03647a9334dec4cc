package dev.sharkfin.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.StoredCapture;
import dev.sharkfin.job.JobService;
import dev.sharkfin.job.JobStatus;
import dev.sharkfin.kibana.JobLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

@RestController
@RequestMapping("/api/captures")
@Tag(name = "Captures", description = "Upload a capture; a job dissects it and indexes every packet into an index of its own")
class CaptureController {
    static final String PCAP = "application/vnd.tcpdump.pcap";

    private final CaptureStore store;
    private final JobService jobs;
    private final JobLinks links;
    private final dev.sharkfin.index.ShardBudget shards;

    CaptureController(CaptureStore store, JobService jobs, JobLinks links, dev.sharkfin.index.ShardBudget shards) {
        this.store = store;
        this.jobs = jobs;
        this.links = links;
        this.shards = shards;
    }

    // One operation in the API description for both ways in (a path and method have one operation there);
    // the raw-body handler below is the same operation, told apart by its Content-Type.
    @Operation(summary = "Upload a capture",
            description = "pcap (micro- or nanosecond, either byte order), pcapng, or either gzip-compressed; the "
                    + "format is recognised by its magic bytes, not the file name. Send it as a multipart form with the "
                    + "field 'file' (curl -F file=@x.pcap), or as the raw request body with Content-Type "
                    + "application/vnd.tcpdump.pcap or application/octet-stream and ?name= for the file name shown on the "
                    + "job (curl --data-binary @x.pcap -H 'Content-Type: application/vnd.tcpdump.pcap' "
                    + "'localhost:8080/api/captures?name=x.pcap'). Answers 202 with the job and Location: /api/jobs/{id}.",
            parameters = @Parameter(in = io.swagger.v3.oas.annotations.enums.ParameterIn.QUERY, name = "name",
                    description = "With a raw body: the file name to show on the job"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class)),
                    @Content(mediaType = PCAP, schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "202", description = "Accepted: the job is queued",
            headers = @Header(name = "Location", description = "/api/jobs/{id}"))
    @ApiResponse(responseCode = "400", description = "Empty upload or no 'file' part", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "413", description = "Larger than sharkfin.capture.max-size", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "415", description = "Not a pcap/pcapng capture (gzip or not)", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "429", description = "The job queue is full; see Retry-After", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "507", description = "Elasticsearch has no shard left for a new job's index "
            + "(sharkfin.index.shards.reserve)", content = @Content(mediaType = "application/problem+json"))
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobStatus> uploadMultipart(
            @Parameter(description = "The capture file", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
            @RequestPart("file") MultipartFile file) throws IOException {
        try (InputStream in = file.getInputStream()) {
            return accept(file.getOriginalFilename(), in);
        }
    }

    @Operation(hidden = true) // documented with the multipart form above: same path, same operation
    @PostMapping(consumes = {PCAP, MediaType.APPLICATION_OCTET_STREAM_VALUE, "application/x-pcapng", "application/gzip",
            "application/x-gzip"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobStatus> uploadRaw(
            @Parameter(description = "File name to show on the job") @RequestParam(name = "name", required = false) String name,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The capture bytes",
                    content = @Content(mediaType = PCAP, schema = @Schema(type = "string", format = "binary")))
            HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            return accept(name, in);
        }
    }

    private ResponseEntity<JobStatus> accept(String name, InputStream in) {
        shards.require(); // before a byte is stored: a job whose index cannot be created is refused up front
        String id = JobService.newId();
        StoredCapture capture = store.store(id, in);
        String source = name == null || name.isBlank() ? "upload" : name;
        JobStatus job = links.decorate(jobs.submit(id, source, capture));
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    /** The multipart form, for the API description: Swagger UI shows a file chooser for it. */
    @Schema(name = "CaptureUpload")
    record UploadForm(@Schema(description = "The capture file", type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED) String file) {
    }
}
