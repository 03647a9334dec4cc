package dev.sharkfin.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sharkfin.capture.CaptureProperties;
import dev.sharkfin.capture.CaptureRejectedException;
import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.UploadProperties;
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
    /** The longest file name taken (a name is shown on the job and in downloads; file systems stop at 255 bytes). */
    static final int MAX_FILE_NAME = 1024;
    /** What a multipart body may hold besides its capture: boundaries, part headers, small fields. */
    static final long FORM_ALLOWANCE = 256 * 1024;

    private final CaptureStore store;
    private final JobService jobs;
    private final JobLinks links;
    private final UploadGate gate;
    private final CaptureProperties captureProps;
    private final UploadProperties uploadProps;
    private final dev.sharkfin.index.ShardBudget shards;

    CaptureController(CaptureStore store, JobService jobs, JobLinks links, UploadGate gate, CaptureProperties captureProps,
            UploadProperties uploadProps, dev.sharkfin.index.ShardBudget shards) {
        this.store = store;
        this.jobs = jobs;
        this.links = links;
        this.gate = gate;
        this.captureProps = captureProps;
        this.uploadProps = uploadProps;
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
                    + "'localhost:8080/api/captures?name=x.pcap'). One capture per request. Answers 202 with the job and "
                    + "Location: /api/jobs/{id}. Uploads are bounded: how many at once, their size, their rate, the disk "
                    + "they leave free, and the job queue; each bound names its property when it refuses.",
            parameters = @Parameter(in = io.swagger.v3.oas.annotations.enums.ParameterIn.QUERY, name = "name",
                    description = "With a raw body: the file name to show on the job"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class)),
                    @Content(mediaType = PCAP, schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "202", description = "Accepted: the job is queued",
            headers = @Header(name = "Location", description = "/api/jobs/{id}"))
    @ApiResponse(responseCode = "400", description = "Empty upload, no 'file' part, a second 'file' part (one capture per "
            + "request), a file name over " + MAX_FILE_NAME + " characters, or a malformed multipart body",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "408", description = "The upload arrived slower than sharkfin.capture.min-upload-rate once "
            + "sharkfin.capture.min-upload-rate-grace had passed, or no byte came for sharkfin.capture.upload-timeout; it "
            + "was cut", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "413", description = "Larger than sharkfin.capture.max-size (answered at once when the "
            + "Content-Length says so), or decompressing to more than sharkfin.capture.max-uncompressed-size",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "415", description = "Not a pcap/pcapng capture (gzip or not), or a gzip stream cut short "
            + "or damaged before any capture", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "429", description = "The job queue is full (sharkfin.jobs.queue-capacity), or "
            + "sharkfin.capture.max-concurrent-uploads uploads are being received; answered before the body is read, "
            + "nothing is written; see Retry-After", headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "507", description = "The upload would not fit on the capture folder's disk with "
            + "sharkfin.capture.min-free-disk left free (checked from its Content-Length, then while it is written), or "
            + "Elasticsearch has no shard left for a new job's index (sharkfin.index.shards.reserve)",
            content = @Content(mediaType = "application/problem+json"))
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobStatus> uploadMultipart(HttpServletRequest request) throws IOException {
        return receive(request, true, null);
    }

    @Operation(hidden = true) // documented with the multipart form above: same path, same operation
    @PostMapping(consumes = {PCAP, MediaType.APPLICATION_OCTET_STREAM_VALUE, "application/x-pcapng", "application/gzip",
            "application/x-gzip"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobStatus> uploadRaw(
            @Parameter(description = "File name to show on the job") @RequestParam(name = "name", required = false) String name,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The capture bytes",
                    content = @Content(mediaType = PCAP, schema = @Schema(type = "string", format = "binary")))
            HttpServletRequest request) throws IOException {
        return receive(request, false, name);
    }

    /**
     * An upload, in the order that keeps a refusal cheap: a place among the uploads being received (429 at once), the
     * declared Content-Length against the size bound (413 at once) and the free disk (507), a place in the job queue
     * (429, before a byte is written), then the body, streamed once to the capture folder.
     */
    private ResponseEntity<JobStatus> receive(HttpServletRequest request, boolean multipart, String rawName) throws IOException {
        try (UploadGate.Ticket ticket = gate.enter()) {
            long declared = request.getContentLengthLong();
            long limit = captureProps.maxSize().toBytes() + (multipart ? FORM_ALLOWANCE : 0);
            if (declared > limit) {
                throw new CaptureRejectedException(CaptureRejectedException.Reason.TOO_LARGE, "The upload declares "
                        + declared + " bytes (Content-Length), more than the " + CaptureStore.describeSize(captureProps.maxSize().toBytes())
                        + " limit (sharkfin.capture.max-size)" + (multipart ? " and " + FORM_ALLOWANCE / 1024 + " KB for the form around it" : "")
                        + "; nothing was read.");
            }
            store.checkRoom(declared);
            shards.require(); // a job whose index cannot be created is refused before a byte is stored
            try (JobService.Place place = jobs.reserve()) {
                UploadStream body = new UploadStream(request.getInputStream(), limit, "sharkfin.capture.max-size",
                        uploadProps, System::nanoTime);
                String id = JobService.newId();
                Received received = multipart ? fromForm(id, body, request.getContentType()) : new Received(checkName(rawName), store.store(id, body));
                try {
                    JobStatus job = links.decorate(jobs.submit(place, id, source(received.name()), received.capture()));
                    return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
                } catch (RuntimeException e) {
                    store.delete(received.capture().path());
                    throw e;
                }
            }
        }
    }

    private record Received(String name, StoredCapture capture) {
    }

    /**
     * The form's one 'file' part, stored as it is read. Other fields are skipped; a second 'file' part is refused (one
     * capture per request) and what the first stored is deleted.
     */
    private Received fromForm(String id, InputStream body, String contentType) throws IOException {
        MultipartForm form = new MultipartForm(body, MultipartForm.boundary(contentType));
        Received received = null;
        try {
            MultipartForm.Part part;
            while ((part = form.next()) != null) {
                if (!"file".equals(part.name())) {
                    continue;
                }
                if (received != null) {
                    throw MultipartForm.bad("The form holds a second 'file' part: Sharkfin takes one capture per request. "
                            + "Upload each capture in a request of its own.");
                }
                String name = checkName(part.filename());
                received = new Received(name, store.store(id, part.content()));
            }
        } catch (RuntimeException | IOException e) {
            if (received != null) {
                store.delete(received.capture().path());
            }
            throw e;
        }
        if (received == null) {
            throw MultipartForm.bad("The multipart form has no part named 'file'. Send the capture as the 'file' part "
                    + "(curl -F file=@capture.pcap ...).");
        }
        return received;
    }

    /** A file name is shown on the job and in downloads: one longer than {@link #MAX_FILE_NAME} characters is refused. */
    private static String checkName(String name) {
        if (name != null && name.length() > MAX_FILE_NAME) {
            throw MultipartForm.bad("The file name is " + name.length() + " characters long; at most " + MAX_FILE_NAME
                    + " are accepted. Rename the file, or give a shorter ?name= with a raw upload.");
        }
        return name;
    }

    private static String source(String name) {
        return name == null || name.isBlank() ? "upload" : name;
    }

    /** The multipart form, for the API description: Swagger UI shows a file chooser for it. */
    @Schema(name = "CaptureUpload")
    record UploadForm(@Schema(description = "The capture file", type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED) String file) {
    }
}
