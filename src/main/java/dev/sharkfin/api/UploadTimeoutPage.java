package dev.sharkfin.api;

import java.net.URI;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sharkfin.capture.UploadProperties;

/**
 * The answer to an upload whose client sent nothing for {@code sharkfin.capture.upload-timeout}: Tomcat answers such a
 * read timeout with 408 itself, and forwards here (the error page UploadServerConfig registers for 408) for the body.
 */
@Hidden
@RestController
class UploadTimeoutPage {
    static final String PATH = "/error/upload-timeout";

    private final UploadProperties props;

    UploadTimeoutPage(UploadProperties props) {
        this.props = props;
    }

    @RequestMapping(PATH)
    ResponseEntity<ProblemDetail> timedOut() {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT, "No byte of the upload arrived for "
                + props.uploadTimeout().toMillis() / 1000.0 + " s (sharkfin.capture.upload-timeout); the upload was cut. "
                + "Nothing of it was kept.");
        p.setTitle("Upload too slow");
        p.setType(URI.create("about:blank"));
        return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
