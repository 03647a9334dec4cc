package dev.sharkfin.api;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import dev.sharkfin.capture.CaptureProperties;
import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.DiskSpace;
import dev.sharkfin.capture.UploadProperties;
import dev.sharkfin.job.JobExceptions;
import dev.sharkfin.job.JobService;
import dev.sharkfin.job.JobState;
import dev.sharkfin.job.JobStatus;
import dev.sharkfin.kibana.JobLinks;
import dev.sharkfin.kibana.KibanaProperties;

/**
 * Every status code of the upload and job API, with the real capture store (magic bytes, size limit) and
 * the job service played by a mock: what is tested here is the HTTP contract, not indexing.
 */
@WebMvcTest(controllers = {CaptureController.class, JobController.class})
@Import(CaptureControllerTest.Config.class)
@TestPropertySource(properties = {"sharkfin.capture.dir=target/controller-test-captures", "sharkfin.capture.max-size=100KB"})
class CaptureControllerTest {
    static final byte[] PCAP = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 0, 0};

    @TestConfiguration
    @EnableConfigurationProperties({CaptureProperties.class, UploadProperties.class, KibanaProperties.class})
    @Import({CaptureStore.class, DiskSpace.class, JobLinks.class, UploadGate.class})
    static class Config {
    }

    /**
     * A multipart/form-data request as a browser or curl sends it: the controller reads the form as it streams in
     * (Spring's multipart resolution is off), so the body is built here rather than by MockMvc's multipart().
     */
    static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder form(String field, String filename,
            byte[] content) {
        String boundary = "test-boundary";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return post("/api/captures").contentType("multipart/form-data; boundary=" + boundary).content(body.toByteArray());
    }

    @Autowired
    MockMvc mvc;

    /** The shard budget is checked against a real cluster in RetentionTest; here it always has room. */
    @MockitoBean
    dev.sharkfin.index.ShardBudget shards;

    @MockitoBean
    JobService jobs;

    static JobStatus job(String id, String state) {
        return new JobStatus(id, "upload", state, "x.pcap", "packets-" + id, 0, 0, 0, 0, 24, 0, Instant.now(), null, null,
                null, null, null, List.of(), List.of());
    }

    @Test
    void multipartUploadIsAcceptedWithLocation() throws Exception {
        when(jobs.submit(any(), anyString(), eq("x.pcap"), any())).thenAnswer(i -> job(i.getArgument(1), "queued"));
        mvc.perform(form("file", "x.pcap", PCAP))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", org.hamcrest.Matchers.matchesPattern("/api/jobs/[0-9]{8}-[0-9]{6}-[0-9a-f]{6}")))
                .andExpect(jsonPath("$.state").value("queued"))
                .andExpect(jsonPath("$.kind").value("upload"));
    }

    @Test
    void rawBodyUploadIsAccepted() throws Exception {
        when(jobs.submit(any(), anyString(), eq("raw.pcap"), any())).thenAnswer(i -> job(i.getArgument(1), "queued"));
        mvc.perform(post("/api/captures?name=raw.pcap").contentType("application/vnd.tcpdump.pcap").content(PCAP))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.index").value(org.hamcrest.Matchers.startsWith("packets-")));
    }

    @Test
    void emptyUploadIs400() throws Exception {
        mvc.perform(form("file", "x.pcap", new byte[0]))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value(containsString("empty")));
        mvc.perform(post("/api/captures").contentType("application/octet-stream").content(new byte[0]))
                .andExpect(status().isBadRequest());
    }

    @Test
    void missingFilePartIs400() throws Exception {
        mvc.perform(form("capture", "x.pcap", PCAP))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("'file'")));
    }

    @Test
    void notACaptureIs415AndNamesWhatIsAccepted() throws Exception {
        mvc.perform(form("file", "x.pcap", "hello, world".getBytes()))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value(containsString("pcapng")))
                .andExpect(jsonPath("$.accepted").value(containsString("gzip")));
        mvc.perform(post("/api/captures").contentType("text/plain").content("hello"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.detail").value(containsString("multipart/form-data")));
    }

    @Test
    void uploadOverTheLimitIs413() throws Exception {
        byte[] big = new byte[200 * 1024];
        System.arraycopy(PCAP, 0, big, 0, PCAP.length);
        mvc.perform(post("/api/captures").contentType("application/octet-stream").content(big))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(jsonPath("$.detail").value(containsString("100 KB")));
    }

    @Test
    void fullQueueIs429WithRetryAfter() throws Exception {
        // The queue's place is taken before the upload is stored: a full queue writes nothing.
        when(jobs.reserve()).thenThrow(new JobExceptions.QueueFull(32, Duration.ofSeconds(30)));
        mvc.perform(form("file", "x.pcap", PCAP))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(jsonPath("$.detail").value(containsString("queue is full")));
    }

    @Test
    void unknownJobIs404() throws Exception {
        when(jobs.get("nope")).thenThrow(new JobExceptions.NotFound("nope"));
        mvc.perform(get("/api/jobs/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        when(jobs.cancel("nope")).thenThrow(new JobExceptions.NotFound("nope"));
        mvc.perform(delete("/api/jobs/nope")).andExpect(status().isNotFound());
    }

    @Test
    void cancellingAnEndedJobIs409AndARunningOneIs200() throws Exception {
        when(jobs.cancel("done")).thenThrow(new JobExceptions.NotCancellable("done", JobState.SUCCEEDED));
        mvc.perform(delete("/api/jobs/done"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("succeeded")));
        when(jobs.cancel("run")).thenReturn(job("run", "running"));
        mvc.perform(delete("/api/jobs/run")).andExpect(status().isOk()).andExpect(jsonPath("$.id").value("run"));
    }

    @Test
    void listAndGet() throws Exception {
        when(jobs.list(0, 100, List.of())).thenReturn(new JobService.Page(List.of(job("b", "running"), job("a", "succeeded")), 2));
        mvc.perform(get("/api/jobs")).andExpect(status().isOk()).andExpect(jsonPath("$[0].id").value("b"))
                .andExpect(header().string("X-Total-Count", "2"));
        when(jobs.list(1, 1, List.of("succeeded", "failed"))).thenReturn(new JobService.Page(List.of(job("a", "succeeded")), 3));
        mvc.perform(get("/api/jobs?page=1&size=1&state=succeeded,failed")).andExpect(status().isOk())
                .andExpect(header().string("Link", "</api/jobs?page=2&size=1&state=succeeded,failed>; rel=\"next\", "
                        + "</api/jobs?page=0&size=1&state=succeeded,failed>; rel=\"prev\""));
        when(jobs.get("a")).thenReturn(job("a", "succeeded"));
        mvc.perform(get("/api/jobs/a")).andExpect(status().isOk()).andExpect(jsonPath("$.state").value("succeeded"));
    }
}
