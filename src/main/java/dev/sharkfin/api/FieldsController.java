package dev.sharkfin.api;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.dissect.Field;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The field catalog: every field Sharkfin writes, as the protocols declare it. Built when the service starts,
 * which is also when the decoder registry checks the protocols' declarations (a conflicting binding stops the
 * start, naming both protocols).
 */
@RestController
@Tag(name = "Fields", description = "Every field Sharkfin writes in its documents, with its Wireshark name and type")
class FieldsController {
    @Schema(description = "One field of Sharkfin's catalog")
    record FieldInfo(
            @Schema(description = "Its path in documents: the protocol's object, then the key", example = "tcp.tcp_analysis_bytes_in_flight")
            String key,
            @Schema(description = "Every path it has: a protocol may write several objects (DNS's fields are in dns, mdns and llmnr)",
                    example = "[\"tcp.tcp_analysis_bytes_in_flight\"]")
            List<String> paths,
            @Schema(description = "Wireshark's display-filter name; for a Sharkfin-only field, the Wireshark field saying the "
                    + "same thing, or null when there is none", example = "tcp.analysis.bytes_in_flight", nullable = true)
            String wireshark,
            @Schema(description = "What its values are, and how the index maps them: number (long), boolean, seconds (float), "
                    + "ip, mac, bytes, date (date_nanos), keyword, text (keyword, and words in <key>.text)", example = "number",
                    allowableValues = {"number", "boolean", "seconds", "ip", "mac", "bytes", "date", "keyword", "text"})
            String type,
            @Schema(description = "What it says", example = "Bytes sent and not yet acknowledged, this segment included")
            String description,
            @Schema(description = "The protocol declaring it, by Wireshark's protocol name", example = "tcp")
            String protocol,
            @Schema(description = "True when Wireshark has no field of this name: Sharkfin's own, or a name Wireshark spells "
                    + "otherwise (then 'wireshark' is its true name)", example = "false")
            boolean sharkfinOnly,
            @Schema(description = "Usually several values per packet (options, records): an array in documents", example = "false")
            boolean list,
            @Schema(description = "Only displayed: in every document's _source, but neither indexed nor aggregatable; "
                    + "query it through a runtime field (README, 'Fields kept in _source only')", example = "false")
            boolean storedOnly,
            @Schema(description = "An identifier searched rarely, by exact value: indexed through its doc values only (a "
                    + "query scans them; it aggregates as any number)", example = "false")
            boolean docValuesOnly) {
        static FieldInfo of(Field f) {
            return new FieldInfo(f.path(), f.paths(), f.wireshark(), f.type().label(), f.description(), f.protocol().name(),
                    f.sharkfinOnly(), f.isList(), f.isStoredOnly(), f.isDocValuesOnly());
        }
    }

    private final List<FieldInfo> fields = Catalog.fields().stream().map(FieldInfo::of).toList();

    @Operation(summary = "Every field Sharkfin writes",
            description = "The field catalog, protocol by protocol (protocols by name, fields in their declared order): the "
                    + "key documents have, Wireshark's display-filter name, the type the index maps it as, a description, "
                    + "the protocol, whether it is Sharkfin's own, and whether it is kept in _source only (not indexed: query it "
                    + "through a runtime field), or searched through doc values only. docs/fields.md is the same list as a document.")
    @ApiResponse(responseCode = "200", description = "The fields",
            content = @io.swagger.v3.oas.annotations.media.Content(array = @ArraySchema(schema = @Schema(implementation = FieldInfo.class))))
    @GetMapping(path = "/api/fields", produces = MediaType.APPLICATION_JSON_VALUE)
    List<FieldInfo> fields() {
        return fields;
    }
}
