package dev.sharkfin.api;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import dev.sharkfin.capture.LiveCaptureException;
import dev.sharkfin.capture.LiveCaptureException.Reason;
import dev.sharkfin.capture.LiveCaptures;
import dev.sharkfin.job.JobService;
import dev.sharkfin.kibana.JobLinks;
import dev.sharkfin.kibana.KibanaProperties;

/**
 * The live-capture statuses that the real-capture tests cannot provoke on a machine where capturing works: the
 * switch (403), no permission (403 with what to do), no libpcap (503 naming the package).
 */
@WebMvcTest(controllers = LiveCaptureController.class)
@Import(LiveCaptureControllerTest.Config.class)
class LiveCaptureControllerTest {
    @TestConfiguration
    @EnableConfigurationProperties(KibanaProperties.class)
    @Import(JobLinks.class)
    static class Config {
    }

    @Autowired
    MockMvc mvc;

    /** The shard budget is checked against a real cluster in RetentionTest; here it always has room. */
    @MockitoBean
    dev.sharkfin.index.ShardBudget shards;

    @MockitoBean
    LiveCaptures captures;

    @MockitoBean
    JobService jobs;

    static final String LO = "{\"interface\": \"lo\"}";

    @Test
    void switchedOffIs403() throws Exception {
        LiveCaptureException off = new LiveCaptureException(Reason.DISABLED, "Live capture is switched off on this Sharkfin "
                + "(sharkfin.capture.live.enabled=false).");
        when(captures.interfaces()).thenThrow(off);
        mvc.perform(get("/api/interfaces")).andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Live capture is switched off"))
                .andExpect(jsonPath("$.detail", containsString("sharkfin.capture.live.enabled")));
    }

    @Test
    void noPermissionIs403WithWhatToDo() throws Exception {
        when(captures.spec(any(), any(), any(), any(), any(), any(), any())).thenReturn(null);
        when(jobs.startLive(any())).thenThrow(new LiveCaptureException(Reason.NO_PERMISSION,
                "Sharkfin may not capture on lo. Run Sharkfin as root, or grant cap_net_raw,cap_net_admin"));
        mvc.perform(post("/api/captures/live").contentType(MediaType.APPLICATION_JSON).content(LO))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.title").value("No permission to capture"))
                .andExpect(jsonPath("$.detail", containsString("cap_net_raw")));
    }

    @Test
    void noLibpcapIs503NamingThePackage() throws Exception {
        when(captures.interfaces()).thenThrow(new LiveCaptureException(Reason.NO_LIBPCAP,
                "libpcap is not installed ... apt-get install libpcap0.8"));
        mvc.perform(get("/api/interfaces")).andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail", containsString("libpcap0.8")));
    }

    @Test
    void tooManyIs429WithRetryAfter() throws Exception {
        when(captures.spec(any(), any(), any(), any(), any(), any(), any())).thenReturn(null);
        when(jobs.startLive(any())).thenAnswer(i -> {
            throw tooMany();
        });
        mvc.perform(post("/api/captures/live").contentType(MediaType.APPLICATION_JSON).content(LO))
                .andExpect(status().isTooManyRequests()).andExpect(header().string("Retry-After", "12"));
    }

    private static LiveCaptureException tooMany() {
        return new LiveCaptureException(Reason.TOO_MANY, "2 live captures are running", java.time.Duration.ofSeconds(12), null);
    }
}
