package dev.sharkfin.kibana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.springframework.core.io.ClassPathResource;

/** The saved objects of {@code kibana/} as the jar carries them. */
public final class SavedObjects {
    public static final String RESOURCE = "kibana/tcp-congestion.ndjson";
    public static final String FILENAME = "sharkfin-tcp-congestion.ndjson";
    public static final String DASHBOARD_ID = "sharkfin-tcp-congestion";
    public static final String DATA_VIEW_ID = "sharkfin-packets";

    private SavedObjects() {
    }

    public static byte[] ndjson() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The saved objects " + RESOURCE + " are missing from the class path", e);
        }
    }
}
