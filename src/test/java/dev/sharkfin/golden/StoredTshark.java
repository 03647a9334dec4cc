package dev.sharkfin.golden;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import dev.sharkfin.it.Tshark;

/**
 * tshark's output for the project's own captures, kept in the repository ({@code src/test/resources/golden/tshark/})
 * so that the agreement checks on those captures run without tshark ({@code ./mvnw test}). One file per capture and
 * tshark setting: the version of tshark that wrote it and its command in comment lines, then the field names, then a
 * line per frame with every occurrence of each field (joined by U+001F, a character no value holds).
 * {@link StoredTsharkTest} ({@code ./mvnw verify}) runs tshark again and fails when a file is stale, saying which
 * tshark wrote it and how to write it again.
 */
public final class StoredTshark {
    static final Path DIR = Path.of("src/test/resources/golden/tshark");
    static final char AGGREGATOR = '\u001f';
    static final String WRITE = "./mvnw verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=StoredTsharkTest "
            + "-Dsharkfin.write-golden=true";

    /** The tshark settings the agreement tests use, by the name in the file's name. */
    static final Map<String, List<String>> SETTINGS = Map.of(
            "defaults", List.of(),
            "no-tcp-reassembly", ApplicationAgreementTest.PER_FRAME);

    /** The stored output as an {@link Agreement.Oracle}. */
    public static final Agreement.Oracle ORACLE = StoredTshark::fields;

    private static final Map<Path, Stored> CACHE = new ConcurrentHashMap<>();

    /** A stored file: its comment lines, field names and rows (every occurrence, joined by {@link #AGGREGATOR}). */
    record Stored(List<String> comments, List<String> names, List<String[]> rows) {
    }

    /** Every field a stored file holds: what the agreement tests may ask, frame.number first. */
    static List<String> names() {
        TreeSet<String> all = new TreeSet<>(Agreement.oracleNames(Agreement.catalogFields(f -> true)));
        ApplicationAgreementTest.INNER_HEADERS.forEach(f -> all.add(f.tshark()));
        all.remove("frame.number");
        List<String> names = new ArrayList<>(List.of("frame.number"));
        names.addAll(all);
        return names;
    }

    static Path file(Path capture, String setting) {
        return DIR.resolve(capture.getFileName() + "." + setting + ".tsv.gz");
    }

    static String setting(List<String> options) {
        return SETTINGS.entrySet().stream().filter(e -> e.getValue().equals(options)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no tshark output is kept for the options " + options + "; kept: " + SETTINGS));
    }

    static List<Map<String, String>> fields(Path capture, List<String> names, String occurrence, List<String> options) {
        Path file = file(capture, setting(options));
        Stored stored = CACHE.computeIfAbsent(file, StoredTshark::read);
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < stored.names().size(); i++) {
            column.put(stored.names().get(i), i);
        }
        for (String n : names) {
            if (!column.containsKey(n)) {
                throw new AssertionError(file + " does not hold " + n + " (a field added since it was written): write it again with "
                        + WRITE);
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String[] cols : stored.rows()) {
            Map<String, String> row = new HashMap<>();
            for (String n : names) {
                int i = column.get(n);
                String v = i < cols.length ? cols[i] : "";
                int cut = v.indexOf(AGGREGATOR);
                row.put(n, occurrence.equals("f") ? (cut < 0 ? v : v.substring(0, cut)) : v.replace(AGGREGATOR, ','));
            }
            rows.add(row);
        }
        return rows;
    }

    static Stored read(Path file) {
        if (!Files.exists(file)) {
            throw new AssertionError("tshark's output is not kept at " + file + ": write it with " + WRITE);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            List<String> comments = new ArrayList<>();
            String line = r.readLine();
            while (line != null && line.startsWith("#")) {
                comments.add(line);
                line = r.readLine();
            }
            if (line == null) {
                throw new AssertionError(file + " has no field names: write it again with " + WRITE);
            }
            List<String> names = List.of(line.split("\t", -1));
            List<String[]> rows = new ArrayList<>();
            for (line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return new Stored(comments, names, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the file for this capture and setting holds when tshark (this machine's) writes it now. */
    static String render(Path capture, String setting) {
        List<String> names = names();
        List<String> cmd = Tshark.command(capture, names, "a", AGGREGATOR, SETTINGS.get(setting));
        String out = Tshark.run(cmd, capture);
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(Tshark.version()).append('\n');
        sb.append("# ").append(String.join(" ", cmd.subList(0, cmd.indexOf("-e")))
                .replace(capture.toString(), capture.getFileName().toString())).append(" -e <each field below>\n");
        sb.append("# written by: ").append(WRITE).append('\n');
        sb.append(String.join("\t", names)).append('\n');
        sb.append(out);
        return sb.toString();
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            CACHE.remove(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoredTshark() {
    }
}
