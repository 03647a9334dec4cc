package dev.sharkfin.kibana;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kibana that Sharkfin's saved objects go to. Unset {@code url}: no Kibana (the built-in page at
 * {@code /jobs/{id}} is the view).
 *
 * @param url         Kibana as Sharkfin reaches it, e.g. {@code http://kibana:5601}
 * @param publicUrl   Kibana as a browser reaches it, for {@code dashboardUrl} (default: {@code url})
 * @param username    basic authentication, with {@code password}
 * @param password    basic authentication
 * @param apiKey      an API key ({@code Authorization: ApiKey <key>}), instead of basic authentication
 * @param space       the space auto-provisioning imports into (unset: the default space)
 * @param provision   import the saved objects once Kibana is available, at start-up, off the start-up path
 * @param timeout     per request to Kibana
 * @param waitFor     how long auto-provisioning waits for Kibana to become available
 * @param backoff     first pause between status polls; doubles up to {@code maxBackoff}
 * @param maxBackoff  longest pause between status polls
 */
@ConfigurationProperties("sharkfin.kibana")
public record KibanaProperties(
        URI url,
        URI publicUrl,
        String username,
        String password,
        String apiKey,
        String space,
        @DefaultValue("true") boolean provision,
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("10m") Duration waitFor,
        @DefaultValue("1s") Duration backoff,
        @DefaultValue("30s") Duration maxBackoff) {

    public boolean configured() {
        return url != null && !url.toString().isBlank();
    }

    /** The base a browser opens dashboards under, without a trailing slash. */
    String browserBase() {
        URI u = publicUrl != null && !publicUrl.toString().isBlank() ? publicUrl : url;
        String s = u.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
