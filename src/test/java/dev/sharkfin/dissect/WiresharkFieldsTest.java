package dev.sharkfin.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

/**
 * The catalog against Wireshark's own field list ({@code tshark -G fields} of the tshark the tests use, kept in
 * {@code src/test/resources/wireshark/}; no tshark needed here): every catalog field is a Wireshark field of a
 * compatible type, or a field marked Sharkfin-only whose key no Wireshark field has.
 */
public class WiresharkFieldsTest {
    /** The tshark version whose list is kept (scripts/wireshark-fields.sh writes the file). */
    public static final String VERSION = "4.0.17";
    static final Path LIST = Path.of("src/test/resources/wireshark/fields-" + VERSION + ".tsv.gz");

    /** Wireshark's types a catalog type may stand for. */
    static final Map<FieldType, Set<String>> COMPATIBLE = new EnumMap<>(FieldType.class);

    static {
        COMPATIBLE.put(FieldType.NUMBER, Set.of("FT_UINT8", "FT_UINT16", "FT_UINT24", "FT_UINT32", "FT_UINT40", "FT_UINT48",
                "FT_UINT56", "FT_UINT64", "FT_INT8", "FT_INT16", "FT_INT24", "FT_INT32", "FT_INT40", "FT_INT48", "FT_INT56",
                "FT_INT64", "FT_FRAMENUM"));
        // Presence-only fields (expert flags, FT_NONE) and protocols (_ws.malformed) are true when present.
        COMPATIBLE.put(FieldType.BOOLEAN, Set.of("FT_BOOLEAN", "FT_NONE", "FT_PROTOCOL"));
        COMPATIBLE.put(FieldType.SECONDS, Set.of("FT_RELATIVE_TIME", "FT_DOUBLE", "FT_FLOAT"));
        COMPATIBLE.put(FieldType.IP, Set.of("FT_IPv4", "FT_IPv6"));
        COMPATIBLE.put(FieldType.MAC, Set.of("FT_ETHER"));
        COMPATIBLE.put(FieldType.BYTES, Set.of("FT_BYTES", "FT_UINT_BYTES"));
        COMPATIBLE.put(FieldType.DATE, Set.of("FT_ABSOLUTE_TIME"));
        Set<String> strings = Set.of("FT_STRING", "FT_STRINGZ", "FT_UINT_STRING", "FT_STRINGZPAD", "FT_STRINGZTRUNC");
        COMPATIBLE.put(FieldType.KEYWORD, strings);
        COMPATIBLE.put(FieldType.TEXT, strings);
    }

    /**
     * Catalog fields whose type differs from Wireshark's, on purpose or until the decoder is fixed (issue 9's
     * defect list): the field, Wireshark's type, and why.
     */
    static final Map<String, String> TYPE_DIFFERENCES = Map.of();

    /** Wireshark's fields and protocols: name to its types (a few names are registered with more than one). */
    public static Map<String, Set<String>> wiresharkFields() {
        Map<String, Set<String>> fields = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(LIST)),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                fields.computeIfAbsent(cols[0], k -> new LinkedHashSet<>()).add(cols[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Wireshark's field list " + LIST, e);
        }
        return fields;
    }

    @Test
    void theListIsTsharksOwnForTheVersionTheTestsUse() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(LIST)),
                StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).contains("tshark -G fields").contains("TShark (Wireshark) " + VERSION);
        }
        Map<String, Set<String>> ws = wiresharkFields();
        assertThat(ws).hasSizeGreaterThan(200_000);
        assertThat(ws.get("tcp.analysis.bytes_in_flight")).containsExactly("FT_UINT32");
        assertThat(ws.get("tcp")).containsExactly("FT_PROTOCOL");
    }

    @Test
    void everyCatalogFieldIsAWiresharkFieldOfACompatibleTypeOrMarkedSharkfinOnly() {
        Map<String, Set<String>> ws = wiresharkFields();
        Map<String, String> byKey = new HashMap<>();
        ws.keySet().forEach(name -> byKey.put(name.replace('.', '_'), name));
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (Field f : Catalog.fields()) {
            if (f.sharkfinOnly()) {
                if (byKey.containsKey(f.key())) {
                    problems.add(f.path() + " is marked Sharkfin-only, but Wireshark has " + byKey.get(f.key()));
                }
                if (f.wireshark() != null && !ws.containsKey(f.wireshark())) {
                    problems.add(f.path() + " says Wireshark's field is " + f.wireshark() + ", which Wireshark does not have");
                }
                continue;
            }
            compared++;
            Set<String> types = ws.get(f.wireshark());
            if (types == null) {
                problems.add(f.path() + ": Wireshark has no field " + f.wireshark() + " (mark it Sharkfin-only, with Wireshark's true name)");
                continue;
            }
            boolean compatible = types.stream().anyMatch(COMPATIBLE.get(f.type())::contains);
            String known = TYPE_DIFFERENCES.get(f.wireshark());
            if (!compatible && known == null) {
                problems.add(f.path() + " is " + f.type().label() + " but Wireshark's " + f.wireshark() + " is " + types);
            }
            if (compatible && known != null) {
                problems.add(f.wireshark() + " is listed in TYPE_DIFFERENCES but its type now agrees: take it off the list");
            }
        }
        assertThat(problems).as("catalog fields against Wireshark " + VERSION).isEmpty();
        long sharkfinOnly = Catalog.fields().stream().filter(Field::sharkfinOnly).count();
        System.out.printf("Catalog: %d fields in %d protocols; %d Wireshark fields of a compatible type, %d Sharkfin-only%n",
                Catalog.fields().size(), Catalog.protocols().size(), compared, sharkfinOnly);
        assertThat(compared).isGreaterThan(350);
    }
}
