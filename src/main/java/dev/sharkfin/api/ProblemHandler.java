package dev.sharkfin.api;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.CaptureRejectedException;
import dev.sharkfin.job.JobExceptions;
import dev.sharkfin.kibana.KibanaException;

/** Every error as application/problem+json that says what was wrong and what is accepted. */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
class ProblemHandler {
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(CaptureRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(CaptureRejectedException e) {
        HttpStatus status = switch (e.reason()) {
            case EMPTY, BAD_FORM -> HttpStatus.BAD_REQUEST;
            case UNSUPPORTED_FORMAT -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
            case TOO_SLOW -> HttpStatus.REQUEST_TIMEOUT;
            case NO_SPACE -> HttpStatus.INSUFFICIENT_STORAGE;
        };
        ProblemDetail p = problem(status, switch (e.reason()) {
            case EMPTY -> "Empty upload";
            case BAD_FORM -> "Not one capture in a 'file' part";
            case UNSUPPORTED_FORMAT -> "Not a capture Sharkfin reads";
            case TOO_LARGE -> "Capture too large";
            case TOO_SLOW -> "Upload too slow";
            case NO_SPACE -> "Not enough disk space";
        }, e.getMessage());
        p.setProperty("accepted", CaptureFormat.ACCEPTED);
        return respond(status, p);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        return respond(HttpStatus.PAYLOAD_TOO_LARGE, problem(HttpStatus.PAYLOAD_TOO_LARGE, "Capture too large",
                "The upload is larger than the configured limit (sharkfin.capture.max-size)."));
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ProblemDetail> missingPart(MissingServletRequestPartException e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "No capture in the form",
                "The multipart form has no part named '" + e.getRequestPartName() + "'. Send the capture as the "
                        + "'file' part (curl -F file=@capture.pcap ...)."));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Unreadable multipart upload",
                "The multipart request could not be read: " + e.getMessage()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        ProblemDetail p = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Content-Type",
                "Content-Type " + e.getContentType() + " is not accepted here. Send multipart/form-data with a 'file' "
                        + "part, or the raw capture as application/vnd.tcpdump.pcap or application/octet-stream. "
                        + "Captures accepted: " + CaptureFormat.ACCEPTED + ".");
        p.setProperty("accepted", CaptureFormat.ACCEPTED);
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, p);
    }

    @ExceptionHandler(JobExceptions.NotFound.class)
    ResponseEntity<ProblemDetail> notFound(JobExceptions.NotFound e) {
        return respond(HttpStatus.NOT_FOUND, problem(HttpStatus.NOT_FOUND, "No such job", e.getMessage()));
    }

    @ExceptionHandler(JobExceptions.NotCancellable.class)
    ResponseEntity<ProblemDetail> conflict(JobExceptions.NotCancellable e) {
        return respond(HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, "Job already ended", e.getMessage()));
    }

    @ExceptionHandler(JobExceptions.QueueFull.class)
    ResponseEntity<ProblemDetail> queueFull(JobExceptions.QueueFull e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, "Job queue full", e.getMessage());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .contentType(PROBLEM).body(p);
    }

    @ExceptionHandler(UploadGate.Busy.class)
    ResponseEntity<ProblemDetail> uploadsBusy(UploadGate.Busy e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, "Too many uploads at once", e.getMessage());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .contentType(PROBLEM).body(p);
    }

    /** Elasticsearch (where job records live) did not answer. */
    @ExceptionHandler(dev.sharkfin.index.ElasticsearchUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(dev.sharkfin.index.ElasticsearchUnavailableException e) {
        return respond(HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE, "Elasticsearch unavailable",
                e.getMessage() + ". Check GET /actuator/health."));
    }

    @ExceptionHandler(KibanaException.class)
    ResponseEntity<ProblemDetail> kibana(KibanaException e) {
        ProblemDetail p = problem(HttpStatus.BAD_GATEWAY, e.kibanaStatus() == 0 ? "Kibana cannot be reached" : "Kibana answered with an error",
                e.getMessage());
        p.setProperty("kibanaUrl", e.url());
        if (e.kibanaStatus() != 0) {
            p.setProperty("kibanaStatus", e.kibanaStatus());
            p.setProperty("kibanaAnswer", e.kibanaBody());
        }
        return respond(HttpStatus.BAD_GATEWAY, p);
    }

    @ExceptionHandler(KibanaException.NotConfigured.class)
    ResponseEntity<ProblemDetail> noKibana(KibanaException.NotConfigured e) {
        return respond(HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE, "No Kibana configured", e.getMessage()));
    }

    @ExceptionHandler(KibanaException.BadSpace.class)
    ResponseEntity<ProblemDetail> badSpace(KibanaException.BadSpace e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Not a Kibana space", e.getMessage()));
    }

    @ExceptionHandler(dev.sharkfin.index.PacketStats.NoSuchStream.class)
    ResponseEntity<ProblemDetail> noStream(dev.sharkfin.index.PacketStats.NoSuchStream e) {
        return respond(HttpStatus.NOT_FOUND, problem(HttpStatus.NOT_FOUND, "No such TCP stream", e.getMessage()));
    }

    @ExceptionHandler(dev.sharkfin.index.PacketStats.BadInterval.class)
    ResponseEntity<ProblemDetail> badInterval(dev.sharkfin.index.PacketStats.BadInterval e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Bad interval", e.getMessage()));
    }

    @ExceptionHandler(dev.sharkfin.capture.LiveCaptureException.class)
    ResponseEntity<ProblemDetail> live(dev.sharkfin.capture.LiveCaptureException e) {
        HttpStatus status = switch (e.reason()) {
            case DISABLED, NOT_ALLOWED, NO_PERMISSION -> HttpStatus.FORBIDDEN;
            case UNKNOWN_INTERFACE -> HttpStatus.NOT_FOUND;
            case BAD_FILTER, BAD_REQUEST -> HttpStatus.BAD_REQUEST;
            case TOO_MANY -> HttpStatus.TOO_MANY_REQUESTS;
            case NO_LIBPCAP -> HttpStatus.SERVICE_UNAVAILABLE;
            case OPEN_FAILED -> HttpStatus.CONFLICT;
        };
        String title = switch (e.reason()) {
            case DISABLED -> "Live capture is switched off";
            case NOT_ALLOWED -> "Interface not allowed";
            case NO_PERMISSION -> "No permission to capture";
            case UNKNOWN_INTERFACE -> "No such interface";
            case BAD_FILTER -> "Capture filter does not compile";
            case BAD_REQUEST -> "Bad live capture request";
            case TOO_MANY -> "Too many live captures";
            case NO_LIBPCAP -> "libpcap is not installed";
            case OPEN_FAILED -> "The interface could not be opened";
        };
        ProblemDetail p = problem(status, title, e.getMessage());
        if (e.retryAfter() != null) {
            return ResponseEntity.status(status)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                    .contentType(PROBLEM).body(p);
        }
        return respond(status, p);
    }

    @ExceptionHandler(JobExceptions.NotStoppable.class)
    ResponseEntity<ProblemDetail> notStoppable(JobExceptions.NotStoppable e) {
        return respond(HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, "Not a running live capture", e.getMessage()));
    }

    @ExceptionHandler(JobExceptions.CaptureGone.class)
    ResponseEntity<ProblemDetail> captureGone(JobExceptions.CaptureGone e) {
        return respond(HttpStatus.GONE, problem(HttpStatus.GONE, "Capture file not kept", e.getMessage()));
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(org.springframework.http.converter.HttpMessageNotReadableException e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
                "The request body is not the JSON expected here: " + e.getMostSpecificCause().getMessage()));
    }

    @ExceptionHandler(dev.sharkfin.index.ShardBudget.Exhausted.class)
    ResponseEntity<ProblemDetail> noShards(dev.sharkfin.index.ShardBudget.Exhausted e) {
        return respond(HttpStatus.INSUFFICIENT_STORAGE, problem(HttpStatus.INSUFFICIENT_STORAGE, "No shard left for a new job",
                e.getMessage()));
    }

    @ExceptionHandler(JobExceptions.BadPage.class)
    ResponseEntity<ProblemDetail> badJobPage(JobExceptions.BadPage e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Bad job list request", e.getMessage()));
    }

    @ExceptionHandler(JobExceptions.StillRunning.class)
    ResponseEntity<ProblemDetail> stillRunning(JobExceptions.StillRunning e) {
        return respond(HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, "Job has not ended", e.getMessage()));
    }

    @ExceptionHandler(dev.sharkfin.index.PacketStats.BadPage.class)
    ResponseEntity<ProblemDetail> badPage(dev.sharkfin.index.PacketStats.BadPage e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Bad page", e.getMessage()));
    }

    /** A parameter of the wrong type (a number past the long range, a word where a number goes). */
    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e) {
        String type = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Bad parameter",
                "'" + e.getName() + "' must be a " + type + "; '" + e.getValue() + "' is not one."));
    }

    /**
     * An answer that could not be written because the connection is closed (a refused upload's connection is closed
     * on purpose, and clients go away): there is no one left to answer.
     */
    @ExceptionHandler({org.springframework.http.converter.HttpMessageNotWritableException.class,
            org.springframework.web.context.request.async.AsyncRequestNotUsableException.class})
    ResponseEntity<Void> connectionGone(Exception e) {
        org.slf4j.LoggerFactory.getLogger(ProblemHandler.class).debug("Answer not written: {}", e.getMessage());
        return null;
    }

    /** An upload whose body ended before its end: the client went away or its Content-Length lied. */
    @ExceptionHandler(java.io.UncheckedIOException.class)
    ResponseEntity<ProblemDetail> io(java.io.UncheckedIOException e) {
        if (cutShort(e)) {
            return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Upload cut short",
                    "The request body ended before its declared end (the connection closed early); nothing was kept. "
                            + "Send the capture again."));
        }
        return unexpected(e);
    }

    /** An end of stream, or Tomcat's word for a client that went away, anywhere in the causes. */
    private static boolean cutShort(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t.getClass().getSimpleName().equals("ClientAbortException")) {
                return true;
            }
        }
        return false;
    }

    /** Anything else: still problem+json, with the reason, and logged with its stack trace. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (e instanceof org.springframework.web.ErrorResponse er) {
            // Spring's own errors (no such resource, method not allowed, ...) keep their status and problem body.
            return ResponseEntity.status(er.getStatusCode()).headers(er.getHeaders()).contentType(PROBLEM).body(er.getBody());
        }
        org.slf4j.LoggerFactory.getLogger(ProblemHandler.class).error("Unexpected error", e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "Sharkfin failed to answer this request: " + e + ". The log has the details."));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(URI.create("about:blank"));
        return p;
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatus status, ProblemDetail p) {
        return ResponseEntity.status(status).contentType(PROBLEM).body(p);
    }
}
