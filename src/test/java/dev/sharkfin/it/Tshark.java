package dev.sharkfin.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * tshark, the oracle: the field values Wireshark shows for each frame of a capture, with the TCP
 * analysis settings Sharkfin follows (sequence analysis and bytes in flight on, single pass).
 */
public final class Tshark {
    /** One map per frame, in frame order: field name to value ("" when absent; several joined by ','). */
    public static List<Map<String, String>> fields(Path capture, List<String> fields) {
        return fields(capture, fields, "a");
    }

    /** As {@link #fields(Path, List)}, with tshark's occurrence option: "a" all, "f" first, "l" last. */
    public static List<Map<String, String>> fields(Path capture, List<String> fields, String occurrence) {
        return fields(capture, fields, occurrence, List.of());
    }

    /** As {@link #fields(Path, List, String)}, with further tshark options ({@code -o name:value} pairs). */
    public static List<Map<String, String>> fields(Path capture, List<String> fields, String occurrence, List<String> options) {
        String out = run(command(capture, fields, occurrence, ',', options), capture);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                row.put(fields.get(i), i < cols.length ? cols[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The command for the fields of every frame: the TCP analysis settings, then {@code options}; one line a frame,
     * tab-separated, several occurrences joined by {@code aggregator}.
     */
    public static List<String> command(Path capture, List<String> fields, String occurrence, char aggregator, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(),
                "-o", "tcp.analyze_sequence_numbers:TRUE", "-o", "tcp.track_bytes_in_flight:TRUE",
                "-o", "tcp.relative_sequence_numbers:TRUE"));
        cmd.addAll(options);
        cmd.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=" + occurrence, "-E", "aggregator=" + aggregator));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        return cmd;
    }

    /** tshark's first line of {@code tshark -v}: its version. */
    public static String version() {
        String out = run(List.of("tshark", "-v"), null);
        return out.lines().findFirst().orElse("").strip();
    }

    /** Runs tshark (in UTC) and returns what it printed. */
    public static String run(List<String> cmd, Path capture) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("TZ", "UTC"); // absolute times in UTC, as Sharkfin writes them
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("tshark is the test oracle and is not installed (Debian: apt-get install tshark; "
                    + ".ci/run installs it): " + e.getMessage(), e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tshark did not finish on " + capture);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One expert item tshark shows: the protocol it belongs to (Wireshark's filter name) and its message. */
    public record Expert(String protocol, String field, String message) {
    }

    /**
     * Every expert item of each frame that has one, in tshark's order, keyed by frame number, read from
     * {@code -T pdml}: an item belongs to the protocol its field names ({@code eth.padding_bad}: eth); the
     * malformed and short-frame items ({@code _ws.*}) to the protocol tshark was dissecting when the data ran out,
     * the one before them in the tree. {@code options} as in {@link #command}.
     */
    public static Map<Long, List<Expert>> experts(Path capture, List<String> options) {
        List<String> cmd = new ArrayList<>(command(capture, List.of(), "a", ',', options));
        cmd.subList(cmd.indexOf("-T"), cmd.size()).clear();
        cmd.addAll(List.of("-Y", "_ws.expert", "-T", "pdml"));
        Map<Long, List<Expert>> experts = new HashMap<>();
        long frame = 0;
        String proto = "";
        String lastProto = "";
        String expertProtocol = null;
        String expertField = "";
        for (String line : run(cmd, capture).split("\n")) {
            String l = line.strip();
            if (l.startsWith("<field name=\"num\"")) {
                frame = Long.parseLong(attribute(l, "show"));
            } else if (line.startsWith("  <proto name=")) {
                lastProto = proto;
                proto = attribute(l, "name");
            } else if (l.startsWith("<field name=\"_ws.expert\"")) {
                expertProtocol = "";
            } else if (expertProtocol != null && expertProtocol.isEmpty() && l.startsWith("<field name=")) {
                String name = attribute(l, "name");
                expertField = name;
                expertProtocol = name.startsWith("_ws.") ? (proto.startsWith("_ws.") ? lastProto : proto)
                        : name.substring(0, name.indexOf('.') < 0 ? name.length() : name.indexOf('.'));
            }
            if (expertProtocol != null && l.startsWith("<field name=\"_ws.expert.message\"")) {
                experts.computeIfAbsent(frame, k -> new ArrayList<>()).add(new Expert(expertProtocol, expertField, unescape(attribute(l, "show"))));
                expertProtocol = null;
            }
        }
        return experts;
    }

    private static String attribute(String element, String name) {
        int at = element.indexOf(" " + name + "=\"");
        if (at < 0) {
            return "";
        }
        int from = at + name.length() + 3;
        return element.substring(from, element.indexOf('"', from));
    }

    private static String unescape(String xml) {
        if (xml.indexOf('&') < 0) {
            return xml;
        }
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);").matcher(xml);
        while (m.find()) {
            String e = m.group(1);
            String c = switch (e) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> Character.toString(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1)));
            };
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(c));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    public static int packetCount(Path capture) {
        return fields(capture, List.of("frame.number")).size();
    }

    private Tshark() {
    }
}
