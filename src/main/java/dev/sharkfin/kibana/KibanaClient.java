package dev.sharkfin.kibana;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

/** Kibana's HTTP API, as much as Sharkfin needs: status, and the saved-objects import. */
@Component
public class KibanaClient {
    private static final Pattern SPACE = Pattern.compile("[a-z0-9_-]+");
    private static final Pattern LEVEL = Pattern.compile("\"overall\"\\s*:\\s*\\{[^}]*?\"level\"\\s*:\\s*\"([a-z_]+)\"");

    private final KibanaProperties props;
    private final HttpClient http;

    public KibanaClient(KibanaProperties props) {
        this.props = props;
        this.http = HttpClient.newBuilder().connectTimeout(props.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    public boolean configured() {
        return props.configured();
    }

    /** The result of an import: Kibana's status and its JSON summary, unchanged. */
    public record ImportResult(int status, String summary) {
        public boolean success() {
            return summary.replace(" ", "").contains("\"success\":true");
        }
    }

    /**
     * Imports Sharkfin's saved objects, replacing objects with the same ids ({@code overwrite=true}), with the ids
     * they have in that space ({@link SavedObjects#id}), so that they keep them whichever spaces hold them already.
     *
     * @param space a Kibana space id, or null for the default space
     */
    public ImportResult importSavedObjects(String space) {
        if (!configured()) {
            throw new KibanaException.NotConfigured();
        }
        checkSpace(space);
        return importNdjson(space, SavedObjects.ndjson(space));
    }

    static void checkSpace(String space) {
        if (space != null && !space.isBlank() && !SPACE.matcher(space).matches()) {
            throw new KibanaException.BadSpace("Not a Kibana space id: '" + space + "' (lowercase letters, digits, '_' and '-')");
        }
    }

    ImportResult importNdjson(String space, byte[] ndjson) {
        if (!configured()) {
            throw new KibanaException.NotConfigured();
        }
        checkSpace(space);
        String path = (SavedObjects.isDefaultSpace(space) ? "" : "/s/" + space) + "/api/saved_objects/_import?overwrite=true";
        String boundary = "sharkfin-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + SavedObjects.FILENAME + "\"\r\nContent-Type: application/ndjson\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(ndjson);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> r = send(request);
        if (r.statusCode() / 100 != 2) {
            throw new KibanaException(request.uri().toString(), "Kibana at " + request.uri() + " refused the import: HTTP "
                    + r.statusCode() + " " + shorten(r.body()), r.statusCode(), shorten(r.body()), null);
        }
        String summary = r.body() == null ? "" : r.body().strip();
        if (!summary.startsWith("{")) {
            throw new KibanaException(request.uri().toString(), "Kibana at " + request.uri()
                    + " answered the import with something that is not a JSON summary: " + shorten(summary),
                    r.statusCode(), shorten(summary), null);
        }
        return new ImportResult(r.statusCode(), summary);
    }

    /** Kibana's overall status level ({@code available}, {@code degraded}, ...), or null if it has none. */
    public String statusLevel() {
        HttpRequest request = request("/api/status").GET().build();
        HttpResponse<String> r = send(request);
        if (r.statusCode() / 100 != 2 && r.statusCode() != 503) {
            throw new KibanaException(request.uri().toString(), "Kibana at " + request.uri() + " answered HTTP "
                    + r.statusCode(), r.statusCode(), shorten(r.body()), null);
        }
        Matcher m = LEVEL.matcher(r.body() == null ? "" : r.body());
        return m.find() ? m.group(1) : null;
    }

    private HttpRequest.Builder request(String path) {
        String base = props.url().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(props.timeout())
                .header("kbn-xsrf", "sharkfin")
                .header("Accept", "application/json");
        if (props.apiKey() != null && !props.apiKey().isBlank()) {
            b.header("Authorization", "ApiKey " + props.apiKey());
        } else if (props.username() != null && !props.username().isBlank()) {
            String pair = props.username() + ":" + (props.password() == null ? "" : props.password());
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new KibanaException(request.uri().toString(), "Kibana at " + request.uri() + " did not answer within "
                    + props.timeout().toSeconds() + "s", 0, null, e);
        } catch (IOException e) {
            throw new KibanaException(request.uri().toString(), "Kibana at " + request.uri() + " cannot be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanaException(request.uri().toString(), "Interrupted while calling Kibana at " + request.uri(), 0, null, e);
        }
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
