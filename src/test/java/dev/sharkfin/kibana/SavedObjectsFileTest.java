package dev.sharkfin.kibana;

import static dev.sharkfin.kibana.SavedObjectsJson.compareVersions;
import static dev.sharkfin.kibana.SavedObjectsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.dissect.FieldType;
import dev.sharkfin.dissect.Sharkfin;

/**
 * What the oldest Kibana the README claims (8.10) accepts and can use, read from Kibana's source (see README,
 * "Kibana"), checked on the saved objects the jar carries. The checks against a real index's mapping are in
 * it/KibanaSavedObjectsTest.
 */
class SavedObjectsFileTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The oldest Kibana claimed. */
    static final String OLDEST_KIBANA = "8.10.0";
    /**
     * Per type, the latest migration Kibana 8.10 has: an object must carry exactly it. Newer, and 8.10 refuses the
     * import; older, and the migrations in between run again on attributes already in their later shape.
     */
    static final Map<String, String> LATEST_TYPE_MIGRATION = Map.of("index-pattern", "8.0.0", "lens", "8.9.0", "dashboard", "8.7.0");
    static final String CORE_MIGRATION = "8.8.0";
    /** controlGroupInput as Kibana 8.10's dashboard schema has it (unknown keys refused; showApplySelections came later). */
    static final Set<String> CONTROL_GROUP_KEYS_8_10 = Set.of("panelsJSON", "controlStyle", "chainingSystem", "ignoreParentSettingsJSON");
    /**
     * Options lists on number fields came with Kibana PR #172106 (8.12, not backported): before, the control editor
     * offers string, boolean and ip fields only, and its suggestion queries fail on a long field.
     */
    static final String NUMERIC_OPTIONS_LISTS_SINCE = "8.12.0";
    static final Set<FieldType> OPTIONS_LIST_TYPES_BEFORE_8_12 = Set.of(FieldType.KEYWORD, FieldType.IP, FieldType.BOOLEAN,
            FieldType.MAC, FieldType.BYTES);

    final List<JsonNode> objects = objects(SavedObjects.ndjson());

    static List<JsonNode> objects(byte[] ndjson) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
            out.add(parse(line));
        }
        return out;
    }

    @Test
    void everyObjectCarriesItsTypesLatestMigrationOfTheOldestKibanaClaimed() {
        for (JsonNode o : objects) {
            String type = o.get("type").asText();
            assertThat(LATEST_TYPE_MIGRATION).as("a type whose migrations in " + OLDEST_KIBANA + " were not read: " + type)
                    .containsKey(type);
            assertThat(o.path("typeMigrationVersion").asText()).as("typeMigrationVersion of " + o.get("id"))
                    .isEqualTo(LATEST_TYPE_MIGRATION.get(type));
            assertThat(o.path("coreMigrationVersion").asText()).as("coreMigrationVersion of " + o.get("id")).isEqualTo(CORE_MIGRATION);
            assertThat(o.has("migrationVersion")).as("legacy migrationVersion on " + o.get("id")).isFalse();
        }
    }

    @Test
    void theControlGroupHasOnlyThe810KeysAndEveryControlsIdIsItsKey() {
        JsonNode group = dashboard().at("/attributes/controlGroupInput");
        group.fieldNames().forEachRemaining(k -> assertThat(CONTROL_GROUP_KEYS_8_10).as("controlGroupInput key " + k).contains(k));
        assertThat(group.get("chainingSystem").asText()).isEqualTo("HIERARCHICAL");
        for (Map.Entry<String, JsonNode> c : controls()) {
            assertThat(c.getValue().at("/explicitInput/id").asText()).as("control " + c.getKey()).isEqualTo(c.getKey());
            assertThat(c.getValue().get("type").asText()).isEqualTo("optionsListControl");
        }
        assertThat(parse(group.get("ignoreParentSettingsJSON").asText()).get("ignoreTimerange").asBoolean())
                .as("the capture picker lists every capture whatever the time range").isTrue();
    }

    @Test
    void noOptionsListOnANumberFieldWhileKibanasBefore812AreClaimed() {
        assertThat(compareVersions(OLDEST_KIBANA, NUMERIC_OPTIONS_LISTS_SINCE)).isNegative();
        for (Map.Entry<String, JsonNode> c : controls()) {
            String field = c.getValue().at("/explicitInput/fieldName").asText();
            FieldType type = Catalog.byPath(field).orElseThrow(() -> new AssertionError(field + " is not a catalog field")).type();
            assertThat(OPTIONS_LIST_TYPES_BEFORE_8_12).as("control " + c.getKey() + " on " + field + " (" + type.label() + ")")
                    .contains(type);
        }
    }

    @Test
    void theFirstControlPicksTheCaptureAndTheStreamControlChainsUnderIt() {
        List<Map.Entry<String, JsonNode>> byOrder = new ArrayList<>(controls());
        byOrder.sort(Comparator.comparingInt(c -> c.getValue().get("order").asInt()));
        assertThat(byOrder).extracting(c -> c.getValue().at("/explicitInput/fieldName").asText())
                .containsExactly(Sharkfin.CAPTURE.path(), Sharkfin.TCP_STREAM.path());
        assertThat(byOrder).extracting(c -> c.getValue().get("order").asInt()).containsExactly(0, 1);
    }

    @Test
    void openedFromTheListTheDashboardSpansYearsNotTheLast15Minutes() {
        JsonNode a = dashboard().get("attributes");
        assertThat(a.get("timeRestore").asBoolean()).isTrue();
        assertThat(a.get("timeFrom").asText()).matches("now-\\d+y");
        assertThat(a.get("timeTo").asText()).isEqualTo("now");
        assertThat(a.has("refreshInterval")).isTrue();
    }

    /** Stream numbers restart at 0 in every capture: a chart or table of streams on tcp.stream merges captures. */
    @Test
    void streamsAreSplitByTheirCaptureWideKeyNeverByTcpStream() {
        boolean streams = false;
        for (JsonNode column : terms()) {
            String field = column.get("sourceField").asText();
            assertThat(field).as("terms on a number that restarts per capture").isNotEqualTo("tcp.tcp_stream");
            streams |= field.equals(Sharkfin.TCP_STREAM.path());
        }
        assertThat(streams).isTrue();
    }

    /** A Lens object split by an IPv4 address is split by the same IPv6 address too (one layer each): IPv6 captures are not empty. */
    @Test
    void everyPerAddressPanelCoversIpv4AndIpv6() {
        boolean any = false;
        for (JsonNode lens : byType("lens")) {
            Set<String> fields = new HashSet<>();
            lens.at("/attributes/state/datasourceStates/formBased/layers").forEach(l -> l.get("columns").forEach(c -> {
                if (c.get("operationType").asText().equals("terms")) {
                    fields.add(c.get("sourceField").asText());
                }
            }));
            for (String f : fields) {
                if (f.startsWith("ip.ip_") && Catalog.byPath(f).orElseThrow().type() == FieldType.IP) {
                    any = true;
                    String v6 = "ipv6.ipv6_" + f.substring("ip.ip_".length());
                    assertThat(fields).as(lens.get("id") + " splits by " + f).contains(v6);
                }
            }
        }
        assertThat(any).as("the throughput panel splits by address").isTrue();
    }

    private List<JsonNode> terms() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode lens : byType("lens")) {
            lens.at("/attributes/state/datasourceStates/formBased/layers").forEach(l -> l.get("columns").forEach(c -> {
                if (c.get("operationType").asText().equals("terms")) {
                    out.add(c);
                }
            }));
        }
        return out;
    }

    private List<Map.Entry<String, JsonNode>> controls() {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = parse(dashboard().at("/attributes/controlGroupInput/panelsJSON").asText())
                .fields(); it.hasNext(); ) {
            out.add(it.next());
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private JsonNode dashboard() {
        List<JsonNode> d = byType("dashboard");
        assertThat(d).hasSize(1);
        return d.get(0);
    }

    private List<JsonNode> byType(String type) {
        return objects.stream().filter(o -> o.get("type").asText().equals(type)).toList();
    }


}
