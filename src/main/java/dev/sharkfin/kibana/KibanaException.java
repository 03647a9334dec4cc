package dev.sharkfin.kibana;

/** Kibana could not be reached, or answered with an error: the API answers 502 naming the URL. */
public class KibanaException extends RuntimeException {
    private final String url;
    private final int kibanaStatus;
    private final String kibanaBody;

    KibanaException(String url, String message, int kibanaStatus, String kibanaBody, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.kibanaStatus = kibanaStatus;
        this.kibanaBody = kibanaBody;
    }

    /** The Kibana URL that was called. */
    public String url() {
        return url;
    }

    /** Kibana's HTTP status, or 0 when it did not answer. */
    public int kibanaStatus() {
        return kibanaStatus;
    }

    /** Kibana's answer (shortened), or null. */
    public String kibanaBody() {
        return kibanaBody;
    }

    /** No Kibana is configured ({@code sharkfin.kibana.url} unset). */
    public static final class NotConfigured extends RuntimeException {
        NotConfigured() {
            super("No Kibana is configured: set sharkfin.kibana.url (SHARKFIN_KIBANA_URL), e.g. http://localhost:5601.");
        }
    }

    /** The space parameter is not a Kibana space id. */
    public static final class BadSpace extends IllegalArgumentException {
        BadSpace(String message) {
            super(message);
        }
    }
}
