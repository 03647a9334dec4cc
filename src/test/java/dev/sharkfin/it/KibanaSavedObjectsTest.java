package dev.sharkfin.it;

import static dev.sharkfin.kibana.SavedObjectsJson.compareVersions;
import static dev.sharkfin.kibana.SavedObjectsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.FieldType;
import dev.sharkfin.dissect.Sharkfin;
import dev.sharkfin.index.EmbeddedElasticsearch;
import dev.sharkfin.kibana.SavedObjects;

/**
 * Every saved object in kibana/ checked as Kibana's import would, and every field a visualization, control or
 * filter names checked against Sharkfin's field catalog (a field of the catalog, of a type fit for its use) and
 * against the mapping of a real index: lossy-bulk-ipv4.pcap uploaded into the real Elasticsearch.
 */
@SharkfinIT
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KibanaSavedObjectsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path NDJSON = Path.of("kibana/tcp-congestion.ndjson");
    /** Kibana's dashboard attributes (schema v1/v2, unknowns forbidden): anything else fails the import. */
    static final Set<String> DASHBOARD_KEYS = Set.of("title", "description", "kibanaSavedObjectMeta", "timeRestore", "timeFrom",
            "timeTo", "refreshInterval", "controlGroupInput", "panelsJSON", "optionsJSON", "hits", "version");
    /** Kibana 8.10's controlGroupInput keys (see kibana/SavedObjectsFileTest, which checks versions and controls). */
    static final Set<String> CONTROL_GROUP_KEYS = Set.of("panelsJSON", "controlStyle", "chainingSystem", "ignoreParentSettingsJSON");
    /** The oldest Kibana the objects are for: no migration version may be newer, or that Kibana rejects them. */
    static final String OLDEST_KIBANA = "8.10.0";
    static final Set<String> NUMERIC = Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float",
            "unsigned_long");
    static final Set<String> DATES = Set.of("date", "date_nanos");
    static final Set<FieldType> CATALOG_NUMERIC = Set.of(FieldType.NUMBER, FieldType.SECONDS);
    static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z@_][\\w.@]*)\\s*:\\s*(\\*|true|false|\"[^\"]*\"|[\\w.-]+)");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    List<JsonNode> objects;
    Map<String, JsonNode> mapping;
    Api api;
    JsonNode job;

    @BeforeAll
    void uploadARealCaptureAndReadItsMapping() throws IOException {
        objects = new ArrayList<>();
        for (String line : Files.readAllLines(NDJSON, StandardCharsets.UTF_8)) {
            assertThat(line).as("one object per line, no blank lines").isNotBlank();
            objects.add(JSON.readTree(line));
        }
        api = new Api(port, elasticsearch.uri());
        Api.Response r = api.upload(UploadEndToEndTest.LOSSY);
        job = api.awaitJob(r.body().get("id").asText(), Duration.ofMinutes(2));
        assertThat(job.get("state").asText()).isEqualTo("succeeded");
        String index = job.get("index").asText();
        mapping = new HashMap<>();
        flatten("", api.es("GET", "/" + index + "/_mapping", null).get(index).get("mappings").get("properties"), mapping);
        assertThat(mapping).containsKey("tcp.tcp_analysis_duplicate_ack");
    }

    static void flatten(String prefix, JsonNode properties, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            if (e.getValue().has("properties")) {
                flatten(name + ".", e.getValue().get("properties"), out);
            } else {
                out.put(name, e.getValue());
            }
        }
    }

    /** The capture picker's and the stream control's fields, on the real index: every packet names its capture. */
    @Test
    void everyPacketOfTheUploadCarriesItsCaptureAndEveryTcpPacketItsStreamKey() {
        String index = job.get("index").asText();
        String capture = job.get("source").asText() + " (" + job.get("id").asText() + ")";
        long all = api.es("GET", "/" + index + "/_count", null).get("count").asLong();
        long named = api.es("POST", "/" + index + "/_count", "{\"query\":{\"term\":{\"" + Sharkfin.CAPTURE.path() + "\":"
                + JSON.valueToTree(capture) + "}}}").get("count").asLong();
        long tcp = api.es("POST", "/" + index + "/_count", "{\"query\":{\"exists\":{\"field\":\"tcp.tcp_stream\"}}}")
                .get("count").asLong();
        long keyed = api.es("POST", "/" + index + "/_count", "{\"query\":{\"prefix\":{\"" + Sharkfin.TCP_STREAM.path() + "\":"
                + JSON.valueToTree(job.get("id").asText() + "/") + "}}}").get("count").asLong();
        assertThat(all).isPositive();
        assertThat(named).isEqualTo(all);
        assertThat(tcp).isPositive();
        assertThat(keyed).isEqualTo(tcp);
        assertThat(type(Sharkfin.CAPTURE.path())).isEqualTo("keyword");
        assertThat(type(Sharkfin.TCP_STREAM.path())).isEqualTo("keyword");
    }

    @Test
    void theJarCarriesExactlyTheseObjects() throws IOException {
        assertThat(SavedObjects.ndjson()).isEqualTo(Files.readAllBytes(NDJSON));
    }

    @Test
    void idsAreUniqueAndEveryReferenceResolves() {
        Set<String> keys = new HashSet<>();
        for (JsonNode o : objects) {
            assertThat(keys.add(o.get("type").asText() + ":" + o.get("id").asText())).as("duplicate " + o.get("id")).isTrue();
        }
        Set<String> ids = new HashSet<>();
        objects.forEach(o -> assertThat(ids.add(o.get("id").asText())).isTrue());
        for (JsonNode o : objects) {
            Set<String> names = new HashSet<>();
            for (JsonNode ref : o.get("references")) {
                assertThat(keys).as(o.get("id") + " references " + ref).contains(ref.get("type").asText() + ":" + ref.get("id").asText());
                assertThat(names.add(ref.get("name").asText())).as("reference names are unique in " + o.get("id")).isTrue();
            }
        }
        assertThat(objects).extracting(o -> o.get("type").asText()).contains("index-pattern", "lens", "dashboard");
        assertThat(keys).contains("dashboard:" + SavedObjects.DASHBOARD_ID, "index-pattern:" + SavedObjects.DATA_VIEW_ID);
    }

    @Test
    void everyObjectHasMigrationVersionsNoNewerThanTheOldestTargetKibana() {
        for (JsonNode o : objects) {
            for (String key : List.of("coreMigrationVersion", "typeMigrationVersion")) {
                String v = o.path(key).asText("");
                assertThat(v).as(key + " of " + o.get("id")).matches("\\d+\\.\\d+\\.\\d+");
                assertThat(compareVersions(v, OLDEST_KIBANA)).as(key + " " + v + " of " + o.get("id")).isLessThanOrEqualTo(0);
            }
            assertThat(o.has("migrationVersion")).as("legacy migrationVersion on " + o.get("id")).isFalse();
        }
    }

    @Test
    void theDataViewCoversEveryPacketIndexWithTimestampAsTimeField() {
        JsonNode dv = byType("index-pattern").get(0).get("attributes");
        assertThat(dv.get("title").asText()).isEqualTo("packets-*");
        assertThat(dv.get("timeFieldName").asText()).isEqualTo("@timestamp");
        assertThat(DATES).contains(type("@timestamp"));
        for (String key : List.of("fields", "fieldAttrs", "fieldFormatMap", "runtimeFieldMap", "sourceFilters", "typeMeta")) {
            if (dv.has(key)) {
                assertThat(dv.get(key).isTextual()).as(key + " is a JSON string").isTrue();
                parse(dv.get(key).asText());
            }
        }
        parse(dv.get("fieldFormatMap").asText()).fieldNames().forEachRemaining(f -> {
            assertThat(mapping).containsKey(f);
            catalog(f, "field format", CATALOG_NUMERIC);
        });
    }

    @Test
    void theDashboardHasOnlyKnownKeysAndJsonStringsAndPanelsForEveryVisualization() {
        List<JsonNode> dashboards = byType("dashboard");
        assertThat(dashboards).hasSize(1);
        JsonNode d = dashboards.get(0);
        JsonNode a = d.get("attributes");
        assertThat(a.get("title").asText()).isEqualTo("TCP congestion control");
        a.fieldNames().forEachRemaining(k -> assertThat(DASHBOARD_KEYS).as("dashboard attribute " + k).contains(k));
        for (String key : List.of("panelsJSON", "optionsJSON")) {
            assertThat(a.get(key).isTextual()).as(key + " is a JSON string").isTrue();
        }
        assertThat(a.at("/kibanaSavedObjectMeta/searchSourceJSON").isTextual()).isTrue();
        JsonNode search = parse(a.at("/kibanaSavedObjectMeta/searchSourceJSON").asText());
        checkFilters(search.path("filter"), "dashboard");
        parse(a.get("optionsJSON").asText());

        Map<String, String> refs = new HashMap<>();
        d.get("references").forEach(r -> refs.put(r.get("name").asText(), r.get("id").asText()));
        Set<String> panelled = new HashSet<>();
        for (JsonNode p : parse(a.get("panelsJSON").asText())) {
            String key = p.get("panelIndex").asText();
            assertThat(p.at("/gridData/i").asText()).isEqualTo(key);
            assertThat(p.at("/gridData/x").asInt() + p.at("/gridData/w").asInt()).isLessThanOrEqualTo(48);
            String refName = key + ":" + p.get("panelRefName").asText();
            assertThat(refs).as("panel " + key).containsKey(refName);
            panelled.add(refs.get(refName));
        }
        assertThat(panelled).containsExactlyInAnyOrderElementsOf(byType("lens").stream().map(o -> o.get("id").asText()).toList());

        JsonNode group = a.get("controlGroupInput");
        group.fieldNames().forEachRemaining(k -> assertThat(CONTROL_GROUP_KEYS).contains(k));
        JsonNode controls = parse(group.get("panelsJSON").asText());
        assertThat(controls.size()).isGreaterThanOrEqualTo(1);
        parse(group.get("ignoreParentSettingsJSON").asText());
        boolean streamControl = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = controls.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            String field = c.getValue().at("/explicitInput/fieldName").asText();
            assertThat(c.getValue().get("type").asText()).isEqualTo("optionsListControl");
            assertThat(refs).containsEntry("controlGroup_" + c.getKey() + ":optionsListDataView", SavedObjects.DATA_VIEW_ID);
            assertAggregatable(field, "control " + c.getKey());
            // Not a number: options lists on number fields need Kibana 8.12 (PR #172106).
            assertThat(Set.of("keyword", "ip", "boolean")).as("control " + c.getKey() + " on " + field).contains(type(field));
            catalog(field, "control " + c.getKey(), Set.of(FieldType.KEYWORD, FieldType.IP, FieldType.BOOLEAN));
            assertThat(c.getValue().at("/explicitInput/id").asText()).as("control id").isEqualTo(c.getKey());
            streamControl |= field.equals(Sharkfin.TCP_STREAM.path());
        }
        assertThat(streamControl).as("a control to pick a stream").isTrue();
    }

    @Test
    void everyLensFieldExistsInTheRealMappingWithACompatibleType() {
        List<JsonNode> lenses = byType("lens");
        assertThat(lenses).hasSizeGreaterThanOrEqualTo(7);
        Set<String> fieldsSeen = new HashSet<>();
        for (JsonNode lens : lenses) {
            String id = lens.get("id").asText();
            JsonNode state = lens.at("/attributes/state");
            assertThat(state.isObject()).as(id + " state").isTrue();
            assertThat(lens.at("/attributes/visualizationType").asText()).isIn("lnsXY", "lnsDatatable", "lnsMetric");
            JsonNode layers = state.at("/datasourceStates/formBased/layers");
            Set<String> refNames = new HashSet<>();
            lens.get("references").forEach(r -> refNames.add(r.get("name").asText()));
            Map<String, JsonNode> columns = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> layer = it.next();
                assertThat(refNames).as(id).contains("indexpattern-datasource-layer-" + layer.getKey());
                List<String> order = new ArrayList<>();
                layer.getValue().get("columnOrder").forEach(c -> order.add(c.asText()));
                List<String> declared = new ArrayList<>();
                layer.getValue().get("columns").fieldNames().forEachRemaining(declared::add);
                assertThat(order).as(id + " columnOrder").containsExactlyInAnyOrderElementsOf(declared);
                layer.getValue().get("columns").fields().forEachRemaining(e -> columns.put(e.getKey(), e.getValue()));
            }
            for (Map.Entry<String, JsonNode> e : columns.entrySet()) {
                String where = id + " column " + e.getKey();
                JsonNode c = e.getValue();
                String op = c.get("operationType").asText();
                String field = c.path("sourceField").asText();
                if (c.has("filter")) {
                    assertThat(c.at("/filter/language").asText()).isEqualTo("kuery");
                    checkKql(c.at("/filter/query").asText(), where);
                }
                if (op.equals("count")) {
                    assertThat(field).isEqualTo("___records___");
                    continue;
                }
                fieldsSeen.add(field);
                assertAggregatable(field, where);
                String type = type(field);
                switch (op) {
                    case "date_histogram" -> {
                        assertThat(DATES).as(where).contains(type);
                        if (!field.equals("@timestamp")) {
                            catalog(field, where, Set.of(FieldType.DATE));
                        }
                        assertThat(c.get("dataType").asText()).isEqualTo("date");
                    }
                    case "max", "min" -> {
                        if (c.get("dataType").asText().equals("date")) {
                            assertThat(DATES).as(where + " " + field + " is " + type).contains(type);
                        } else {
                            assertThat(NUMERIC).as(where + " " + field + " is " + type).contains(type);
                            assertThat(c.get("dataType").asText()).isEqualTo("number");
                            catalog(field, where, CATALOG_NUMERIC);
                        }
                    }
                    case "sum", "average", "median", "percentile" -> {
                        assertThat(NUMERIC).as(where + " " + field + " is " + type).contains(type);
                        assertThat(c.get("dataType").asText()).isEqualTo("number");
                        catalog(field, where, CATALOG_NUMERIC);
                    }
                    case "terms" -> {
                        String dataType = c.get("dataType").asText();
                        switch (dataType) {
                            case "number" -> {
                                assertThat(NUMERIC).as(where).contains(type);
                                catalog(field, where, CATALOG_NUMERIC);
                            }
                            case "ip" -> {
                                assertThat(type).as(where).isEqualTo("ip");
                                catalog(field, where, Set.of(FieldType.IP));
                            }
                            case "string" -> {
                                assertThat(type).as(where).isEqualTo("keyword");
                                catalog(field, where, Set.of(FieldType.KEYWORD, FieldType.MAC, FieldType.BYTES, FieldType.TEXT));
                            }
                            default -> throw new AssertionError(where + ": terms of " + dataType);
                        }
                        String orderBy = c.at("/params/orderBy/columnId").asText(null);
                        if (orderBy != null) {
                            assertThat(columns).as(where + " orders by").containsKey(orderBy);
                        }
                    }
                    default -> throw new AssertionError(where + ": operation " + op + " not checked here");
                }
            }
            JsonNode vis = state.get("visualization");
            List<String> accessors = new ArrayList<>();
            if (vis.has("layers")) {
                for (JsonNode l : vis.get("layers")) {
                    l.path("accessors").forEach(a -> accessors.add(a.asText()));
                    if (l.has("xAccessor")) accessors.add(l.get("xAccessor").asText());
                    if (l.has("splitAccessor")) accessors.add(l.get("splitAccessor").asText());
                    assertThat(layers.has(l.get("layerId").asText())).as(id).isTrue();
                }
            }
            vis.path("columns").forEach(c -> accessors.add(c.get("columnId").asText()));
            assertThat(accessors).as(id + " draws something").isNotEmpty();
            assertThat(columns.keySet()).as(id + " accessors name columns").containsAll(accessors);
            checkFilters(state.get("filters"), id);
            checkKql(state.at("/query/query").asText(), id);
        }
        assertThat(fieldsSeen).contains(Sharkfin.TCP_STREAM.path(), Sharkfin.CAPTURE.path(), "tcp.tcp_analysis_bytes_in_flight",
                "frame.frame_len", "tcp.tcp_analysis_ack_rtt", "tcp.tcp_window_size", "@timestamp", "ip.ip_src", "ipv6.ipv6_src");
    }

    private void checkFilters(JsonNode filters, String where) {
        for (JsonNode f : filters) {
            String key = f.at("/meta/key").asText(null);
            if (key != null) {
                assertThat(mapping).as(where + " filter on " + key).containsKey(key);
                catalog(key, where + " filter", EnumSet.allOf(FieldType.class));
            }
        }
    }

    /** Every field a KQL query names exists; one compared with true/false is boolean; a value query needs an indexed field. */
    private void checkKql(String kql, String where) {
        Matcher m = KQL_FIELD.matcher(kql);
        while (m.find()) {
            String field = m.group(1);
            String value = m.group(2);
            assertThat(mapping).as(where + " KQL names " + field).containsKey(field);
            catalog(field, where + " KQL", value.equals("true") || value.equals("false") ? Set.of(FieldType.BOOLEAN)
                    : EnumSet.allOf(FieldType.class));
            if (value.equals("true") || value.equals("false")) {
                assertThat(type(field)).as(where + " " + field).isEqualTo("boolean");
            }
            if (!value.equals("*")) {
                assertThat(mapping.get(field).path("index").asBoolean(true)).as(where + " " + field + " is searchable").isTrue();
            }
        }
    }

    /** The catalog field at this path, of one of the types its use needs. */
    private static Field catalog(String path, String where, Set<FieldType> types) {
        Field f = Catalog.byPath(path).orElseThrow(() -> new AssertionError(where + " names " + path
                + ", which is not a field of Sharkfin's catalog (GET /api/fields lists them)"));
        assertThat(types).as(where + ": " + path + " is " + f.type().label()).contains(f.type());
        return f;
    }

    private void assertAggregatable(String field, String where) {
        assertThat(mapping).as(where + " names " + field).containsKey(field);
        JsonNode m = mapping.get(field);
        assertThat(m.path("doc_values").asBoolean(true)).as(where + " " + field + " has doc values").isTrue();
        assertThat(m.get("type").asText()).as(where + " " + field).isNotIn("text", "object", "nested");
    }

    private String type(String field) {
        assertThat(mapping).containsKey(field);
        return mapping.get(field).get("type").asText();
    }

    private List<JsonNode> byType(String type) {
        return objects.stream().filter(o -> o.get("type").asText().equals(type)).toList();
    }


}
