package dev.sharkfin.kibana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.core.io.ClassPathResource;

/**
 * The saved objects of {@code kibana/} as the jar carries them, and their ids in a space.
 *
 * <p>Ids per space: Kibana's dashboards, Lens objects and data views are "multiple-isolated": an id is unique across
 * all spaces, and an import whose id exists in another space gets a random new id, which no fixed link can follow.
 * So the objects keep the file's ids in the default space, and in any other space carry the id
 * {@code <id>--<space>} ({@link #id}), references included: stable in every space, and what {@code dashboardUrl}
 * links to.
 */
public final class SavedObjects {
    public static final String RESOURCE = "kibana/tcp-congestion.ndjson";
    public static final String FILENAME = "sharkfin-tcp-congestion.ndjson";
    public static final String DASHBOARD_ID = "sharkfin-tcp-congestion";
    public static final String DATA_VIEW_ID = "sharkfin-packets";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SavedObjects() {
    }

    public static byte[] ndjson() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The saved objects " + RESOURCE + " are missing from the class path", e);
        }
    }

    /** The default space: null, blank or {@code default} (Kibana's id for it). */
    static boolean isDefaultSpace(String space) {
        return space == null || space.isBlank() || space.equals("default");
    }

    /** An object's id in a space: the file's id in the default space, {@code <id>--<space>} in any other. */
    public static String id(String id, String space) {
        return isDefaultSpace(space) ? id : id + "--" + space;
    }

    /** The objects with their ids, and the ids their references name, as they are in {@code space}. */
    static byte[] ndjson(String space) {
        byte[] file = ndjson();
        if (isDefaultSpace(space)) {
            return file;
        }
        String[] lines = new String(file, StandardCharsets.UTF_8).split("\n");
        try {
            Set<String> ours = new HashSet<>();
            JsonNode[] objects = new JsonNode[lines.length];
            for (int i = 0; i < lines.length; i++) {
                objects[i] = JSON.readTree(lines[i]);
                ours.add(objects[i].get("id").asText());
            }
            StringBuilder out = new StringBuilder();
            for (JsonNode o : objects) {
                ((ObjectNode) o).put("id", id(o.get("id").asText(), space));
                for (JsonNode ref : o.path("references")) {
                    if (ours.contains(ref.get("id").asText())) {
                        ((ObjectNode) ref).put("id", id(ref.get("id").asText(), space));
                    }
                }
                out.append(JSON.writeValueAsString(o)).append('\n');
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("The saved objects " + RESOURCE + " are not one JSON object per line", e);
        }
    }
}
