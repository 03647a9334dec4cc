package dev.sharkfin.kibana;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the saved-object checks (the file's, unit; a real index's, integration) share: JSON strings and versions. */
public final class SavedObjectsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SavedObjectsJson() {
    }

    /** A saved object's JSON-in-a-string attribute, parsed; an assertion error names it when it is not JSON. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Compares two versions {@code major.minor.patch} numerically. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
