package dev.sharkfin.dissect;

import java.util.ArrayList;
import java.util.List;

/**
 * One field a decoder writes, as its protocol declares it (see {@link Protocol}): the key it has in
 * documents, its Wireshark display-filter name, its type and a one-line description. Decoders write
 * fields through these constants, never through strings, so a misspelt field does not compile, and the
 * document writer compares fields by identity.
 *
 * <p>The key is Wireshark's name with dots turned into underscores ({@code tcp.analysis.ack_rtt} is
 * {@code tcp_analysis_ack_rtt}). A Sharkfin-only field is one Wireshark does not have under that name:
 * Sharkfin's own ({@code _ws_malformed_reason}), or, until it is renamed, a name Wireshark spells
 * otherwise, whose true name {@link #wireshark()} then gives.
 */
public final class Field {
    private final Protocol protocol;
    private final String key;
    private final String wireshark;
    private final FieldType type;
    private final String description;
    private final boolean sharkfinOnly;
    private boolean list;
    private boolean precise;
    private boolean storedOnly;
    private boolean docValuesOnly;

    Field(Protocol protocol, String key, String wireshark, FieldType type, String description, boolean sharkfinOnly) {
        if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("field key '" + key + "' of " + protocol.name() + " is not a document key");
        }
        if (description == null || description.isBlank() || description.contains("\n")) {
            throw new IllegalArgumentException("field " + key + " of " + protocol.name() + " needs a one-line description");
        }
        this.protocol = protocol;
        this.key = key;
        this.wireshark = wireshark;
        this.type = type;
        this.description = description;
        this.sharkfinOnly = sharkfinOnly;
    }

    /**
     * Declares that the field usually occurs several times in one layer (options, resource records, list
     * items), so that documents hold an array in wire order. Any field becomes an array when it repeats;
     * this says it is expected to. Called while the protocol is declared.
     */
    Field list() {
        list = true;
        return this;
    }

    /** Declares that seconds need a double's precision in the index (epoch times), not the default float. */
    Field precise() {
        if (type != FieldType.SECONDS) {
            throw new IllegalStateException(key + " is not in seconds");
        }
        precise = true;
        return this;
    }

    /**
     * Declares that the field is only ever displayed, never searched or aggregated: it stays in every document's
     * {@code _source}, but the index builds neither terms, points nor doc values for it (see index.PacketTemplate).
     * For values nobody filters on that are dear to index, as high-entropy ones are (checksums as on the wire, random
     * bytes, raw option bytes whose decoded fields are indexed). It stays queryable through a runtime field, as the
     * README shows. Never for a field a dashboard, the built-in page or a Wireshark-style query needs.
     */
    Field storedOnly() {
        storedOnly = true;
        return this;
    }

    /**
     * Declares a number that is searched rarely and only by exact value (an identifier as on the wire: raw sequence
     * numbers, IP ids, TCP timestamps), never by range over many documents: the index keeps its doc values (it still
     * aggregates and sorts, and a query on it still matches, by scanning them) but no points, the cost of a fast range
     * search it does not need.
     */
    Field docValuesOnly() {
        if (type != FieldType.NUMBER) {
            throw new IllegalStateException(key + " is not a number");
        }
        docValuesOnly = true;
        return this;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The key in documents, within its protocol's object: {@code tcp_srcport}. */
    public String key() {
        return key;
    }

    /**
     * Wireshark's display-filter name ({@code tcp.srcport}); for a Sharkfin-only field, the Wireshark field
     * that says the same thing, or null when there is none.
     */
    public String wireshark() {
        return wireshark;
    }

    public FieldType type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** True when Wireshark has no field of this name (see the class comment). */
    public boolean sharkfinOnly() {
        return sharkfinOnly;
    }

    /** Usually several values per layer: an array in documents. */
    public boolean isList() {
        return list;
    }

    /** Seconds indexed as a double rather than an unindexed float. */
    public boolean isPrecise() {
        return precise;
    }

    /** In {@code _source} only: neither indexed nor with doc values (see {@link #storedOnly()}). */
    public boolean isStoredOnly() {
        return storedOnly;
    }

    /** Searchable through doc values only, without points (see {@link #docValuesOnly()}). */
    public boolean isDocValuesOnly() {
        return docValuesOnly;
    }

    /** The field's path in documents, {@code tcp.tcp_srcport}, under its protocol's first object. */
    public String path() {
        return protocol.layers().get(0) + "." + key;
    }

    /** Every path the field has in documents: one per object its protocol writes ({@code dns}, {@code mdns}, ...). */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        protocol.layers().forEach(l -> paths.add(l + "." + key));
        return paths;
    }

    @Override
    public String toString() {
        return path();
    }
}
