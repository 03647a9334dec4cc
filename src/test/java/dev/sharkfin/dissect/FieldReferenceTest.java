package dev.sharkfin.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * {@code docs/fields.md}, the field reference, is generated from the catalog and must be current. To write it
 * again after changing a protocol: {@code ./mvnw test -Dtest=FieldReferenceTest -Dsharkfin.write-field-reference=true}.
 */
class FieldReferenceTest {
    static final Path FILE = Path.of("docs/fields.md");

    @Test
    void theFieldReferenceIsCurrent() throws IOException {
        String expected = markdown();
        if (Boolean.getBoolean("sharkfin.write-field-reference")) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "")
                .as(FILE + " is not the catalog's; write it again: ./mvnw test -Dtest=FieldReferenceTest "
                        + "-Dsharkfin.write-field-reference=true")
                .isEqualTo(expected);
    }

    static String markdown() {
        StringBuilder md = new StringBuilder();
        long sharkfinOnly = Catalog.fields().stream().filter(Field::sharkfinOnly).count();
        md.append("# Sharkfin's fields\n\n")
                .append("Generated from the field catalog, the declarations beside each decoder in `src/main/java/dev/sharkfin/dissect`, ")
                .append("by `FieldReferenceTest` (do not edit: run `./mvnw test -Dtest=FieldReferenceTest ")
                .append("-Dsharkfin.write-field-reference=true`). `GET /api/fields` answers the same list.\n\n")
                .append(Catalog.fields().size()).append(" fields in ").append(Catalog.protocols().size()).append(" protocols; ")
                .append(sharkfinOnly).append(" are Sharkfin-only (Wireshark has no field of that name: Sharkfin's own, or a name ")
                .append("Wireshark spells otherwise, given in the Wireshark column). A field's key is its Wireshark name with ")
                .append("dots turned into underscores, under its protocol's object: `tcp.analysis.ack_rtt` is ")
                .append("`tcp.tcp_analysis_ack_rtt`. A field that occurs more than once in a packet is an array; *list* marks ")
                .append("those that usually do. *stored only* marks fields only ever displayed (checksums as on the wire, ")
                .append("raw option and random bytes): they are in every document's `_source`, not indexed; query them ")
                .append("through a runtime field (README, \"Fields kept in _source only\"). *doc values only* marks ")
                .append("identifiers searched rarely and by exact value (raw sequence numbers, IP ids, TCP timestamps): ")
                .append("no points, a query matches them by scanning their doc values; they aggregate as any number.\n\n")
                .append("| type | values | mapped as |\n| --- | --- | --- |\n")
                .append("| number | whole numbers (hexadecimal ones too) | `long` |\n")
                .append("| boolean | `true`/`false`; presence-only flags are `true` when set, absent otherwise | `boolean` |\n")
                .append("| seconds | seconds with nanosecond digits | `float`, not indexed (epoch times: `double`) |\n")
                .append("| ip | IPv4 or IPv6 address | `ip` |\n")
                .append("| mac | `aa:bb:cc:dd:ee:ff` | `keyword` |\n")
                .append("| bytes | hex digits | `keyword` |\n")
                .append("| date | ISO-8601 UTC with nanoseconds | `date_nanos` (a time before 1970 or after 2262 is kept in the document, unindexed) |\n")
                .append("| keyword | a name, an identifier | `keyword` |\n")
                .append("| text | free text | `keyword`, and by words in `<key>.text` |\n\n")
                .append("Exact times. Seconds are written with all nine decimals: `frame.frame_time_epoch` is exact in each ")
                .append("document's `_source` (`1700000000.123456789`), but a `double` holds about 16 significant digits, so ")
                .append("the indexed value, which queries, sorts and aggregations use, is rounded to about 0.2 µs for today's ")
                .append("times. To find a frame by its exact time, query `frame.frame_time` (`date_nanos`), e.g. ")
                .append("`{\"term\": {\"frame.frame_time\": \"2023-11-14T22:13:20.123456789Z\"}}` or a `range` on it; ")
                .append("`frame.frame_number` names a frame within its job's index.\n\n")
                .append("Requests and responses. A response names its request (`dns.dns_response_to`, `icmp.icmp_resp_to`, ")
                .append("`icmpv6.icmpv6_resp_to`, `http.http_request_in`) and the time since it, as tshark does in one pass; the request does not name ")
                .append("its response (Wireshark's `*_response_in`, `*_resp_in` need a second pass). To find a request's ")
                .append("response, query its frame number: `{\"term\": {\"dns.dns_response_to\": 3}}`.\n\n")
                .append("## Protocols\n\n| protocol | objects | bindings | fields |\n| --- | --- | --- | --- |\n");
        for (Protocol p : Catalog.protocols()) {
            md.append("| [").append(p.name()).append("](#").append(anchor(p)).append(") ").append(p.title()).append(" | ")
                    .append(p.layers().stream().map(l -> "`" + l + "`").collect(Collectors.joining(", "))).append(" | ")
                    .append(p.bindings().isEmpty() ? "none: opened by the dissector or by another protocol's decoder"
                            : p.bindings().stream().map(Binding::toString).distinct().collect(Collectors.joining(", "))).append(" | ")
                    .append(p.fields().size()).append(" |\n");
        }
        for (Protocol p : Catalog.protocols()) {
            md.append("\n## ").append(p.name()).append(": ").append(p.title()).append("\n\n");
            if (p.fields().isEmpty()) {
                md.append("No fields of its own.\n");
                continue;
            }
            md.append("| field | Wireshark | type | description |\n| --- | --- | --- | --- |\n");
            for (Field f : p.fields()) {
                md.append("| `").append(f.path()).append("` | ")
                        .append(f.wireshark() == null ? "" : "`" + f.wireshark() + "`")
                        .append(f.sharkfinOnly() ? (f.wireshark() == null ? "Sharkfin-only" : " (Sharkfin-only name)") : "")
                        .append(" | ").append(f.type().label()).append(f.isList() ? ", list" : "").append(f.isStoredOnly() ? ", *stored only*" : "")
                        .append(f.isDocValuesOnly() ? ", *doc values only*" : "").append(" | ")
                        .append(f.description().replace("|", "\\|")).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String anchor(Protocol p) {
        return (p.name() + "-" + p.title()).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }
}
