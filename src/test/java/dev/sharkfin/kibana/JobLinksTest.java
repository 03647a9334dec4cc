package dev.sharkfin.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sharkfin.job.JobStatus;

class JobLinksTest {
    static JobStatus job(String state, Instant first, Instant last) {
        return new JobStatus("20190311-101500-abcdef", "upload", state, "x.pcap", "packets-20190311-101500-abcdef", 10, 10, 0,
                100, 100, 1.0, Instant.now(), Instant.now(), Instant.now(), first, last, null, List.of(), List.of());
    }

    static KibanaProperties kibana(String url, String publicUrl) {
        return kibana(url, publicUrl, null);
    }

    static KibanaProperties kibana(String url, String publicUrl, String space) {
        return new KibanaProperties(url == null ? null : URI.create(url), publicUrl == null ? null : URI.create(publicUrl),
                null, null, null, space, true, Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    @Test
    void aSucceededJobOpensTheDashboardOnItsIndexAndCaptureTimeRange() {
        Instant first = Instant.parse("2019-03-11T10:15:00.123456789Z");
        Instant last = Instant.parse("2019-03-11T10:15:42.5Z");
        JobStatus j = new JobLinks(kibana("http://kibana:5601", "http://localhost:5601/")).decorate(job("succeeded", first, last));
        assertThat(j.viewUrl()).isEqualTo("/jobs/20190311-101500-abcdef");
        String url = j.dashboardUrl();
        assertThat(url).startsWith("http://localhost:5601/app/dashboards#/view/sharkfin-tcp-congestion?_g=");
        String decoded = URLDecoder.decode(url, StandardCharsets.UTF_8);
        assertThat(decoded).contains("time:(from:'2019-03-11T10:15:00.123456789Z',to:'2019-03-11T10:15:42.501Z')");
        assertThat(decoded).contains("_a=(query:(language:kuery,query:'_index : \"packets-20190311-101500-abcdef\"'))");
        assertThat(url).doesNotContain(" ").doesNotContain("\"");
    }

    @Test
    void noDashboardWithoutKibanaOrBeforeTheJobSucceeded() {
        Instant t = Instant.parse("2019-03-11T10:15:00Z");
        assertThat(new JobLinks(kibana(null, null)).decorate(job("succeeded", t, t)).dashboardUrl()).isNull();
        assertThat(new JobLinks(kibana(null, null)).decorate(job("succeeded", t, t)).viewUrl()).isEqualTo("/jobs/20190311-101500-abcdef");
        assertThat(new JobLinks(kibana("http://kibana:5601", null)).decorate(job("running", t, t)).dashboardUrl()).isNull();
        assertThat(new JobLinks(kibana("http://kibana:5601", null)).decorate(job("succeeded", t, t)).dashboardUrl())
                .startsWith("http://kibana:5601/app/dashboards#/view/");
    }

    @Test
    void inAConfiguredSpaceTheLinkOpensThatSpaceAndTheDashboardsIdThere() {
        Instant t = Instant.parse("2019-03-11T10:15:00Z");
        String url = new JobLinks(kibana("http://kibana:5601", "https://kb.example.org/", "network-ops"))
                .decorate(job("succeeded", t, t)).dashboardUrl();
        assertThat(url).startsWith("https://kb.example.org/s/network-ops/app/dashboards#/view/"
                + SavedObjects.id(SavedObjects.DASHBOARD_ID, "network-ops") + "?_g=");
        assertThat(SavedObjects.id(SavedObjects.DASHBOARD_ID, "network-ops")).isEqualTo("sharkfin-tcp-congestion--network-ops");
    }

    @Test
    void theDefaultSpaceByNameIsTheDefaultSpace() {
        JobLinks links = new JobLinks(kibana("http://kibana:5601", null, "default"));
        assertThat(links.dashboardUrl("default")).isEqualTo("http://kibana:5601/app/dashboards#/view/sharkfin-tcp-congestion");
        assertThat(links.dashboardUrl((String) null)).isEqualTo(links.dashboardUrl("default"));
        assertThat(links.dashboardUrl("ops")).isEqualTo("http://kibana:5601/s/ops/app/dashboards#/view/sharkfin-tcp-congestion--ops");
    }

    @Test
    void risonQuotesAndEscapes() {
        assertThat(JobLinks.rison("it's!")).isEqualTo("'it!'s!!'");
    }
}
