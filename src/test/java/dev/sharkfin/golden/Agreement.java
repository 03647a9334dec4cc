package dev.sharkfin.golden;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.dissect.WiresharkFieldsTest;
import dev.sharkfin.it.Tshark;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.normalize.PacketDocuments;
import dev.sharkfin.normalize.ParallelDocuments;

/**
 * Compares Sharkfin's documents with tshark, field by field and frame by frame, for one capture at a time,
 * and keeps the per-field agreement. Sharkfin's side is the real path: libpcap source, dissector, TCP
 * analysis, document writer; the document is parsed back and its values read by their normalized names
 * ({@code tcp.analysis.ack_rtt} is {@code tcp.tcp_analysis_ack_rtt}). Where a protocol occurs twice in a
 * frame (tunnels), the first occurrence is compared, as tshark's {@code occurrence=f} does.
 */
public final class Agreement {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int EXAMPLES = 4;

    /**
     * How a field's values compare: as text, as a presence flag, as seconds, as numbers (hex or not, booleans as
     * 1 and 0), as instants (tshark's absolute times in UTC), as byte strings (hex, separators aside).
     */
    public enum Kind { EXACT, FLAG, SECONDS, NUMBER, DATE, BYTES }

    /**
     * One field compared: its Wireshark name, how its values compare, and where Sharkfin writes it (its catalog
     * protocol, key and document objects).
     */
    public record Field(String tshark, Kind kind, String protocol, String key, List<String> layers) {
        /** A catalog field by its Wireshark name, compared as {@code kind}. */
        public Field(String tshark, Kind kind) {
            this(tshark, kind, catalog(tshark).protocol().name(), catalog(tshark).key(), catalog(tshark).protocol().layers());
        }

        private static dev.sharkfin.dissect.Field catalog(String tshark) {
            return Catalog.byWireshark(tshark).orElseThrow(() -> new IllegalArgumentException(tshark + " is not in the catalog"));
        }

        /** A catalog field, compared as its type and Wireshark's say. */
        public static Field of(dev.sharkfin.dissect.Field f) {
            return new Field(f.wireshark(), kind(f), f.protocol().name(), f.key(), f.protocol().layers());
        }

        static Kind kind(dev.sharkfin.dissect.Field f) {
            return switch (f.type()) {
                case NUMBER -> Kind.NUMBER;
                case BOOLEAN -> WIRESHARK_TYPES.get().getOrDefault(f.wireshark(), Set.of()).stream()
                        .anyMatch(t -> t.equals("FT_NONE") || t.equals("FT_PROTOCOL")) ? Kind.FLAG : Kind.NUMBER;
                case SECONDS -> Kind.SECONDS;
                case DATE -> Kind.DATE;
                case BYTES -> Kind.BYTES;
                case IP, MAC, KEYWORD, TEXT -> Kind.EXACT;
            };
        }
    }

    /** The catalog's fields that have a Wireshark name (Sharkfin-only ones are not compared), by protocol. */
    public static List<Field> catalogFields(java.util.function.Predicate<dev.sharkfin.dissect.Field> which) {
        return Catalog.fields().stream().filter(f -> !f.sharkfinOnly()).filter(which).map(Field::of).toList();
    }

    private static final java.util.function.Supplier<Map<String, Set<String>>> WIRESHARK_TYPES =
            new java.util.function.Supplier<>() {
                private Map<String, Set<String>> types;

                @Override
                public synchronized Map<String, Set<String>> get() {
                    if (types == null) {
                        types = WiresharkFieldsTest.wiresharkFields();
                    }
                    return types;
                }
            };

    /** tshark's absolute time with TZ=UTC: {@code Jun  2, 2013 19:14:02.323173000 UTC}. */
    private static final java.time.format.DateTimeFormatter TSHARK_TIME = java.time.format.DateTimeFormatter
            .ofPattern("MMM d, yyyy HH:mm:ss.SSSSSSSSS 'UTC'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    public static final class Score {
        public long agree;
        public long total;
        public final List<String> examples = new ArrayList<>();

        public double percent() {
            return total == 0 ? 100.0 : 100.0 * agree / total;
        }
    }

    /** tshark fields every row has, for {@link #knownDifference} predicates. */
    public static final List<String> CONTEXT = List.of("frame.protocols", "ip.flags.mf", "ip.frag_offset",
            "ipv6.fraghdr.offset", "tcp.srcport", "tcp.dstport", "tls.record.content_type", "tls.record.opaque_type",
            "tls.record.version", "tls.handshake.type");

    /**
     * With {@link #everyOccurrence()}, a known-difference predicate finds a field's every occurrence in the row
     * under this prefix and the field's name (the row's plain names hold the first occurrence).
     */
    public static final String ALL = "all:";

    private final List<Field> fields;
    private final List<String> tsharkOptions;
    public final Map<String, Score> scores = new LinkedHashMap<>();
    public final Score frames = new Score();
    /** Field values left out of the scores by a declared reason, counted per reason. */
    public final Map<String, Score> knownDifferences = new LinkedHashMap<>();
    private final Map<String, Known> known = new LinkedHashMap<>();

    /** Whether a field's values on a frame are a known difference, given tshark's row and Sharkfin's document. */
    @FunctionalInterface
    public interface Known {
        boolean applies(Map<String, String> tsharkRow, JsonNode sharkfin, Field field);
    }

    public Agreement(List<Field> fields) {
        this(fields, List.of());
    }

    /** With further tshark options for the oracle, e.g. {@code -o tcp.desegment_tcp_streams:FALSE}. */
    public Agreement(List<Field> fields, List<String> tsharkOptions) {
        this.fields = fields;
        this.tsharkOptions = tsharkOptions;
        fields.forEach(f -> scores.put(f.tshark(), new Score()));
    }

    /**
     * Declares a known difference: a field on a frame for which {@code applies} holds (given tshark's row,
     * which has the {@link #CONTEXT} fields, Sharkfin's document and the field) is not scored but counted
     * under {@code reason}.
     */
    public Agreement knownDifference(String reason, Known applies) {
        known.put(reason, applies);
        knownDifferences.put(reason, new Score());
        return this;
    }

    private boolean everyOccurrence;
    private final List<String> context = new ArrayList<>();

    /**
     * Asks the oracle for further tshark fields besides {@link #CONTEXT}, for this comparison's known-difference
     * predicates only (a live tshark: the stored output holds the catalog's fields and {@link #CONTEXT}).
     */
    public Agreement context(String... names) {
        context.addAll(List.of(names));
        return this;
    }

    /**
     * Where tshark's values come from: a tshark run ({@link Tshark#fields(Path, List, String, List)}), or its output
     * kept in the repository ({@link StoredTshark}). The arguments: capture, field names, occurrence, options.
     */
    @FunctionalInterface
    public interface Oracle {
        List<Map<String, String>> fields(Path capture, List<String> names, String occurrence, List<String> options);
    }

    private Oracle oracle = Tshark::fields;

    /** The row key under which {@link #expertsByProtocol} puts the protocols of the frame's expert items, in order. */
    public static final String EXPERT_PROTOCOLS = "experts:protocols";
    /** The row key under which {@link #expertsByProtocol} puts the protocol of tshark's malformed-packet item. */
    public static final String MALFORMED_PROTOCOL = "experts:malformed";
    private java.util.function.Predicate<String> expertCompared;
    private String expertReason;

    /**
     * Reads the protocol of each of tshark's expert items ({@link Tshark#experts}, a live tshark: integration tests)
     * and compares only the messages of the protocols {@code compared} accepts: tshark's {@code _ws.expert.message}
     * becomes the first message of such a protocol. The frames where a message was left out are counted under
     * {@code reason} (and still scored on the rest). The rows get {@link #EXPERT_PROTOCOLS} and {@link #MALFORMED_PROTOCOL}.
     */
    public Agreement expertsByProtocol(String reason, java.util.function.Predicate<String> compared) {
        expertCompared = compared;
        expertReason = reason;
        knownDifferences.put(reason, new Score());
        return this;
    }

    private void withExperts(Path capture, List<Map<String, String>> rows) {
        Map<Long, List<Tshark.Expert>> experts = Tshark.experts(capture, tsharkOptions);
        for (Map<String, String> row : rows) {
            List<Tshark.Expert> all = experts.getOrDefault(Long.parseLong(row.get("frame.number")), List.of());
            List<String> kept = all.stream().filter(e -> expertCompared.test(e.protocol())).map(Tshark.Expert::message).toList();
            row.put(EXPERT_PROTOCOLS, String.join(",", all.stream().map(Tshark.Expert::protocol).toList()));
            row.put(MALFORMED_PROTOCOL, all.stream().filter(e -> e.field().equals("_ws.malformed.expert"))
                    .map(Tshark.Expert::protocol).findFirst().orElse(""));
            if (kept.size() < all.size()) {
                row.put(EXPERT_LEFT_OUT, "true");
                row.put("_ws.expert.message", kept.isEmpty() ? "" : kept.get(0));
                row.put(ALL + "_ws.expert.message", String.join(",", kept));
            }
        }
    }

    private static final String EXPERT_LEFT_OUT = "experts:left-out";

    /** Reads tshark's values from {@code oracle} instead of running tshark. */
    public Agreement oracle(Oracle oracle) {
        this.oracle = oracle;
        return this;
    }

    /** The field names {@link #compare(Path, Map)} asks the oracle for, in that order. */
    public static List<String> oracleNames(List<Field> fields) {
        List<String> names = new ArrayList<>(List.of("frame.number", "tcp.flags"));
        fields.forEach(f -> names.add(f.tshark()));
        CONTEXT.stream().filter(c -> !names.contains(c)).forEach(names::add);
        return names;
    }

    /**
     * Compares every occurrence of each field, in order (tshark's {@code occurrence=a}), not only the first:
     * for fields whose values hold no comma (tshark's aggregator).
     */
    public Agreement everyOccurrence() {
        everyOccurrence = true;
        return this;
    }

    /** Compares one capture; returns this for chaining. */
    public Agreement compare(Path capture, CaptureFormat format) {
        return compare(capture, documents(capture, format));
    }

    /** Compares the given documents (by frame number), wherever they come from, with tshark on the capture. */
    public Agreement compare(Path capture, Map<Long, JsonNode> ours) {
        List<String> names = new ArrayList<>(oracleNames(fields));
        context.stream().filter(c -> !names.contains(c)).forEach(names::add);
        List<Map<String, String>> oracle = this.oracle.fields(capture, names, everyOccurrence ? "a" : "f", tsharkOptions);
        if (expertCompared != null) {
            oracle = oracle.stream().map(r -> (Map<String, String>) new HashMap<>(r)).toList();
        }
        Map<Long, Map<String, String>> every = new HashMap<>();
        if (expertCompared != null && everyOccurrence) {
            oracle.forEach(r -> r.put(ALL + "_ws.expert.message", r.get("_ws.expert.message")));
            withExperts(capture, oracle);
            oracle.forEach(r -> r.put("_ws.expert.message", r.get(ALL + "_ws.expert.message")));
        }
        if (everyOccurrence) {
            // One tshark run: the first occurrences (for the known-difference predicates) are the values up to
            // the first aggregator comma, which the fields compared this way do not hold.
            oracle.forEach(r -> every.put(Long.parseLong(r.get("frame.number")), r));
            oracle = oracle.stream().map(r -> {
                Map<String, String> first = new HashMap<>();
                r.forEach((k, v) -> first.put(k, k.equals("frame.protocols") || v.indexOf(',') < 0 ? v : v.substring(0, v.indexOf(','))));
                r.forEach((k, v) -> first.put(ALL + k, v));
                return first;
            }).toList();
        }
        if (expertCompared != null && !everyOccurrence) {
            withExperts(capture, oracle);
        }
        TreeSet<Long> all = new TreeSet<>(ours.keySet());
        oracle.forEach(r -> all.add(Long.parseLong(r.get("frame.number"))));
        Map<Long, Map<String, String>> byFrame = new HashMap<>();
        oracle.forEach(r -> byFrame.put(Long.parseLong(r.get("frame.number")), r));
        String name = capture.getFileName().toString();
        for (long frame : all) {
            Map<String, String> t = byFrame.get(frame);
            JsonNode doc = ours.get(frame);
            frames.total++;
            if (t == null || doc == null) {
                example(frames, name + "#" + frame + (t == null ? " only Sharkfin read it" : " only tshark read it"));
                continue;
            }
            frames.agree++;
            for (Field f : fields) {
                String tv = t.get(f.tshark());
                JsonNode layer = null;
                for (String l : f.layers()) {
                    layer = layer == null ? doc.get(l) : layer; // multicast DNS has the dns.* fields in an mdns object
                }
                if (layer != null && layer.isArray()) {
                    // tshark's first occurrence is the first layer that has the field (an outer PPP without an
                    // address, an inner one with it), not the first layer's.
                    JsonNode with = null;
                    for (JsonNode l : layer) {
                        if (with == null && l.has(f.key())) {
                            with = l;
                        }
                    }
                    layer = with != null ? with : layer.get(0);
                }
                JsonNode ov = layer == null ? null : layer.get(f.key());
                JsonNode values = everyOccurrence ? everyLayer(doc, f, ov) : ov;
                if (ov != null && ov.isArray()) {
                    ov = ov.get(0);
                }
                if (everyOccurrence) {
                    tv = every.get(frame).get(f.tshark());
                }
                if (f.tshark().equals("_ws.expert.message") && t.containsKey(EXPERT_LEFT_OUT)) {
                    Score k = knownDifferences.get(expertReason);
                    k.total++;
                    k.agree += tv.isEmpty() && ov == null ? 1 : 0;
                }
                if (tv.isEmpty() && ov == null) {
                    continue; // absent on both sides: not counted
                }
                String reason = knownReason(t, doc, f);
                if (reason != null) {
                    Score k = knownDifferences.get(reason);
                    k.total++;
                    if (everyOccurrence ? sameEvery(f, tv, values, t) : same(f, tv, ov, t)) {
                        k.agree++;
                    } else {
                        example(k, name + "#" + frame + " " + f.tshark() + " tshark=" + (tv.isEmpty() ? "-" : tv)
                                + " sharkfin=" + (ov == null ? "-" : ov));
                    }
                    continue;
                }
                Score sc = scores.get(f.tshark());
                sc.total++;
                if (everyOccurrence ? sameEvery(f, tv, values, t) : same(f, tv, ov, t)) {
                    sc.agree++;
                } else {
                    example(sc, f.tshark() + " ", name + "#" + frame + " tshark=" + (tv.isEmpty() ? "-" : tv) + " sharkfin="
                            + (ov == null ? "-" : everyOccurrence ? values : ov));
                }
            }
        }
        return this;
    }

    /**
     * Every occurrence of the field across the protocol's layers, in order (tshark's {@code occurrence=a} lists
     * each layer's: the TCP options of every sFlow sample, say); {@code first} when the protocol has one layer.
     */
    private static JsonNode everyLayer(JsonNode doc, Field f, JsonNode first) {
        JsonNode layers = null;
        for (String l : f.layers()) {
            layers = layers == null ? doc.get(l) : layers;
        }
        if (layers == null || !layers.isArray()) {
            return first;
        }
        com.fasterxml.jackson.databind.node.ArrayNode all = JSON.createArrayNode();
        for (JsonNode l : layers) {
            JsonNode v = l.get(f.key());
            if (v != null && v.isArray()) {
                all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) v);
            } else if (v != null) {
                all.add(v);
            }
        }
        return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : all;
    }

    private String knownReason(Map<String, String> row, JsonNode doc, Field f) {
        for (Map.Entry<String, Known> e : known.entrySet()) {
            if (e.getValue().applies(row, doc, f)) {
                return e.getKey();
            }
        }
        return null;
    }

    private boolean sameEvery(Field f, String tv, JsonNode all, Map<String, String> row) {
        if (all == null || tv.isEmpty()) {
            return false;
        }
        String[] values = tv.split(",", -1);
        if (values.length != (all.isArray() ? all.size() : 1)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!same(f, values[i], all.isArray() ? all.get(i) : all, row)) {
                return false;
            }
        }
        return true;
    }

    private boolean same(Field f, String tv, JsonNode ov, Map<String, String> row) {
        if (ov == null || tv.isEmpty()) {
            return false;
        }
        return switch (f.kind()) {
            case FLAG -> ov.asBoolean();
            case SECONDS -> new BigDecimal(tv).compareTo(new BigDecimal(ov.asText())) == 0;
            case NUMBER -> new BigDecimal(tv.startsWith("0x") ? Long.toString(Long.decode(tv)) : tv)
                    .compareTo(new BigDecimal(ov.isBoolean() ? (ov.asBoolean() ? "1" : "0") : ov.asText())) == 0;
            case EXACT -> tv.equals(ov.asText());
            case DATE -> sameInstant(tv, ov.asText());
            case BYTES -> tv.replace(":", "").equalsIgnoreCase(ov.asText().replace(":", ""));
        };
    }

    private static boolean sameInstant(String tshark, String sharkfin) {
        if (tshark.equals("NULL")) {
            // An NTP timestamp of zero (not set): tshark prints NULL for the value it holds, the epoch.
            return java.time.Instant.parse(sharkfin).equals(java.time.Instant.EPOCH);
        }
        try {
            return java.time.Instant.from(TSHARK_TIME.parse(tshark.replaceAll(" +", " "))).equals(java.time.Instant.parse(sharkfin));
        } catch (java.time.DateTimeException e) {
            return false; // "NULL", "Not representable", ...
        }
    }

    private static void example(Score s, String text) {
        example(s, "", text);
    }

    /** An example of a difference; {@code dumpPrefix} (the field) goes before it in the dump only. */
    private static void example(Score s, String dumpPrefix, String text) {
        if (s.examples.size() < EXAMPLES) {
            s.examples.add(text);
        }
        if (DUMP != null) {
            DUMP.println(dumpPrefix + text);
        }
    }

    /**
     * A diagnosis aid, off by default: {@code -Dsharkfin.agreement-dump=FILE} appends every difference (not only the
     * first {@value #EXAMPLES} per field) to FILE, one per line, to find the causes behind a field's percentage.
     */
    private static final java.io.PrintStream DUMP = dump(System.getProperty("sharkfin.agreement-dump"));

    private static java.io.PrintStream dump(String file) {
        try {
            return file == null ? null : new java.io.PrintStream(new java.io.FileOutputStream(file, true), true,
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Workers the agreement tests write Sharkfin's documents on: {@code -Dsharkfin.agreement-workers=2} runs them through
     * normalize.ParallelDocuments, which must agree with tshark exactly as one thread does. Default 1: one PacketDocuments.
     */
    static final int WORKERS = Integer.getInteger("sharkfin.agreement-workers", 1);

    /**
     * Sharkfin's document for every frame, keyed by frame number, read as uploads are (the pure-Java reader, which
     * tells pcap from pcapng by the file's magic: {@code format} is not needed, kept for the callers), on
     * {@link #WORKERS} workers.
     */
    public static Map<Long, JsonNode> documents(Path capture, CaptureFormat format) {
        return WORKERS > 1 ? parallelDocuments(capture, WORKERS) : documents(capture);
    }

    private static Map<Long, JsonNode> documents(Path capture) {
        Map<Long, JsonNode> docs = new HashMap<>();
        try (CaptureFileSource source = new CaptureFileSource(capture)) {
            Frame frame = new Frame();
            PacketDocuments documents = new PacketDocuments();
            long n = 0;
            while (source.next(frame)) {
                n++;
                documents.comments(frame.comments);
                JsonOut out = documents.write(n, frame.timeNanos, frame.wireNanos, frame.data, frame.capturedLength, frame.originalLength,
                        frame.linkType, frame.timeOutOfRange);
                if (documents.lastError() != null) {
                    throw new AssertionError("frame " + n + " of " + capture + " threw", documents.lastError());
                }
                docs.put(n, JSON.readTree(out.toByteArray()));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return docs;
    }

    /** As {@link #documents(Path, CaptureFormat)}, on {@code workers} flow-affine workers. */
    static Map<Long, JsonNode> parallelDocuments(Path capture, int workers) {
        Map<Long, JsonNode> docs = new HashMap<>();
        try (CaptureFileSource source = new CaptureFileSource(capture);
                ParallelDocuments parallel = new ParallelDocuments(workers, "agreement", (n, json, length, error) -> {
                    if (error != null) {
                        throw new AssertionError("frame " + n + " of " + capture + " threw", error);
                    }
                    try {
                        docs.put(n, JSON.readTree(java.util.Arrays.copyOf(json, length)));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })) {
            Frame frame = new Frame();
            long n = 0;
            while (source.next(frame)) {
                parallel.write(++n, frame.timeNanos, frame.wireNanos, frame.data, frame.capturedLength, frame.originalLength,
                        frame.linkType, frame.timeOutOfRange, frame.comments);
            }
            parallel.finish();
        }
        return docs;
    }

    public String report(String title) {
        StringBuilder sb = new StringBuilder("\n==== ").append(title).append(" ====\n");
        sb.append(String.format("%-42s %9s %12s%n", "field", "agree", "compared"));
        sb.append(String.format("%-42s %8.3f%% %12d  %s%n", "(frame read by both)", frames.percent(), frames.total,
                frames.examples.isEmpty() ? "" : frames.examples));
        scores.forEach((k, s) -> sb.append(String.format("%-42s %8.3f%% %12d  %s%n", k, s.percent(), s.total,
                s.agree == s.total ? "" : s.examples)));
        if (!knownDifferences.isEmpty()) {
            sb.append("known differences, not scored (field values compared, of which agree):\n");
            knownDifferences.forEach((k, s) -> sb.append(String.format("  %-60s %8d %8d  %s%n", k, s.total, s.agree,
                    s.agree == s.total ? "" : s.examples)));
        }
        return sb.toString();
    }
}
