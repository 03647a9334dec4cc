package dev.sharkfin.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.core.io.ClassPathResource;

import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Protocol;

/**
 * The packet index template: the settings and the rules for unknown fields from
 * {@code elasticsearch/packets-template.json}, and an explicit mapping for every field of the catalog, at
 * each of its paths, so that a new index is created with its final mapping and no document adds to it.
 * Dynamic mapping is left for what the catalog does not know.
 */
final class PacketTemplate {
    static final String RESOURCE = "elasticsearch/packets-template.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Longer strings are kept in the document but not indexed, as the dynamic rule for strings does. */
    static final int IGNORE_ABOVE = 1024;

    /** The template's JSON, as {@code PUT _index_template} takes it. */
    static String json() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            ObjectNode template = (ObjectNode) JSON.readTree(in);
            ObjectNode properties = (ObjectNode) template.at("/template/mappings/properties");
            for (Protocol p : Catalog.protocols()) {
                for (String layer : p.layers()) {
                    ObjectNode fields = properties.putObject(layer).putObject("properties");
                    for (Field f : p.fields()) {
                        fields.set(f.key(), mapping(f));
                    }
                }
            }
            return JSON.writeValueAsString(template);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packet index template " + RESOURCE, e);
        }
    }

    /**
     * A field's mapping: numbers long; seconds an unindexed float (charts need no more, and it halves the
     * disk), or a double for epoch-scale times; addresses ip; times date_nanos (one out of its range left
     * unindexed, not refused); names, MAC addresses and
     * byte strings keyword; free text keyword with a {@code .text} sub-field searchable by words; a field only
     * displayed in {@code _source} alone ({@link #storedOnly}); an identifier searched rarely by doc values alone.
     */
    static ObjectNode mapping(Field f) {
        if (f.isStoredOnly()) {
            return storedOnly(f);
        }
        ObjectNode m = NODES.objectNode();
        switch (f.type()) {
            case NUMBER -> {
                m.put("type", "long");
                if (f.isDocValuesOnly()) {
                    m.put("index", false); // still searchable: Elasticsearch matches it on its doc values
                }
            }
            case BOOLEAN -> m.put("type", "boolean");
            case SECONDS -> {
                if (f.isPrecise()) {
                    m.put("type", "double");
                } else {
                    m.put("type", "float").put("index", false);
                }
            }
            case IP -> m.put("type", "ip");
            // date_nanos holds 1970 to 2262; a time outside (an NTP clock never set, in 1900) stays in the document,
            // unindexed, instead of costing the packet. Frame times are clamped before they get here.
            case DATE -> m.put("type", "date_nanos").put("ignore_malformed", true);
            case MAC, BYTES, KEYWORD -> m.put("type", "keyword").put("ignore_above", IGNORE_ABOVE);
            case TEXT -> {
                m.put("type", "keyword").put("ignore_above", IGNORE_ABOVE);
                m.putObject("fields").putObject("text").put("type", "text").put("norms", false);
            }
        }
        return m;
    }

    /**
     * A field only ever displayed ({@link Field#isStoredOnly()}): its type, with neither an index nor doc values, so
     * that it costs the document its bytes in {@code _source} and nothing else. A runtime field of the same type
     * reads it back from {@code _source} for a query (README, "Fields kept in _source only").
     */
    static ObjectNode storedOnly(Field f) {
        String type = switch (f.type()) {
            case NUMBER -> "long";
            case BOOLEAN -> "boolean";
            case SECONDS -> "double";
            case IP -> "ip";
            case DATE -> "date_nanos";
            case MAC, BYTES, KEYWORD, TEXT -> "keyword";
        };
        return NODES.objectNode().put("type", type).put("index", false).put("doc_values", false);
    }

    private PacketTemplate() {
    }
}
