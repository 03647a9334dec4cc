package dev.sharkfin.kibana;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.sharkfin.job.JobStatus;

/**
 * The links a job carries: the built-in page, always; with Kibana configured and the job succeeded, the
 * dashboard filtered to the job's index with the time range of its first and last packet, in the configured space
 * ({@code /s/<space>}, and the dashboard's id in that space: {@link SavedObjects#id}).
 */
@Component
public class JobLinks {
    private final KibanaProperties kibana;

    public JobLinks(KibanaProperties kibana) {
        this.kibana = kibana;
    }

    public JobStatus decorate(JobStatus job) {
        return job.withLinks("/jobs/" + job.id(), "/api/jobs/" + job.id() + "/pcap", dashboardUrl(job));
    }

    String dashboardUrl(JobStatus job) {
        if (!kibana.configured() || !"succeeded".equals(job.state()) || job.firstPacketTime() == null) {
            return null;
        }
        Instant from = job.firstPacketTime();
        // The end is exclusive in the time picker: one millisecond past the last packet keeps it in view.
        Instant to = (job.lastPacketTime() == null ? from : job.lastPacketTime()).plusMillis(1);
        String g = "(filters:!(),refreshInterval:(pause:!t,value:0),time:(from:" + rison(from.toString()) + ",to:"
                + rison(to.toString()) + "))";
        String a = "(query:(language:kuery,query:" + rison("_index : \"" + job.index() + "\"") + "))";
        return dashboardUrl(kibana.space()) + "?_g=" + encode(g) + "&_a=" + encode(a);
    }

    /** The dashboard in a space (null or blank: the default space), as a browser opens it; null without Kibana. */
    public String dashboardUrl(String space) {
        if (!kibana.configured()) {
            return null;
        }
        String prefix = SavedObjects.isDefaultSpace(space) ? "" : "/s/" + space;
        return kibana.browserBase() + prefix + "/app/dashboards#/view/" + SavedObjects.id(SavedObjects.DASHBOARD_ID, space);
    }

    /** A Rison string: quoted, with ' and ! escaped by !. */
    static String rison(String s) {
        return "'" + s.replace("!", "!!").replace("'", "!'") + "'";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
