package dev.sharkfin.dissect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A protocol as Sharkfin decodes it, declared in its decoder's own file: its name, the document objects
 * (layers) its fields go to, its fields (the catalog: see {@link Field}) and its bindings, the numbers on
 * the wire that lead to its decoder (link types, ethertypes, IP protocol numbers, UDP and TCP ports,
 * heuristics). The decoder registry, the index mapping, the field reference, {@code GET /api/fields} and
 * the agreement tests are all built from these declarations ({@link Catalog}).
 *
 * <pre>
 * public static final Protocol PROTOCOL = Protocol.of("udp", "User Datagram Protocol").ipProtocol(17, new Udp());
 * public static final Field SRCPORT = PROTOCOL.number("udp.srcport", "Source port");
 * </pre>
 *
 * A protocol is declared once, by static initializers; afterwards it does not change.
 */
public final class Protocol {
    private static final AtomicInteger BY_NAME = new AtomicInteger();

    private final String name;
    private final String title;
    private List<String> layers;
    private final List<Field> fields = new ArrayList<>();
    private final List<Binding> bindings = new ArrayList<>();

    private Protocol(String name, String title) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("protocol name '" + name + "' is not a document key");
        }
        this.name = name;
        this.title = title;
        this.layers = List.of(name);
    }

    /** A protocol whose fields go to the document object of its own name, Wireshark's protocol name. */
    static Protocol of(String name, String title) {
        return new Protocol(name, title);
    }

    /**
     * The document objects the protocol's fields go to, in place of its name: DNS's fields are in
     * {@code dns}, {@code mdns} and {@code llmnr} objects, as Wireshark shows them.
     */
    Protocol layers(String... names) {
        for (String n : names) {
            if (!n.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("layer name '" + n + "' of " + name + " is not a document key");
            }
        }
        layers = List.of(names);
        return this;
    }

    /** One of the declared layers, for the decoder to open: a name that is not declared fails at class initialization. */
    String layer(String layer) {
        if (!layers.contains(layer)) {
            throw new IllegalArgumentException(name + " does not declare the layer " + layer + "; it declares " + layers);
        }
        return layer;
    }

    // Fields: the key is Wireshark's name with its dots turned into underscores.

    Field number(String wireshark, String description) {
        return field(wireshark, FieldType.NUMBER, description);
    }

    Field bool(String wireshark, String description) {
        return field(wireshark, FieldType.BOOLEAN, description);
    }

    Field seconds(String wireshark, String description) {
        return field(wireshark, FieldType.SECONDS, description);
    }

    Field ip(String wireshark, String description) {
        return field(wireshark, FieldType.IP, description);
    }

    Field mac(String wireshark, String description) {
        return field(wireshark, FieldType.MAC, description);
    }

    Field bytes(String wireshark, String description) {
        return field(wireshark, FieldType.BYTES, description);
    }

    Field date(String wireshark, String description) {
        return field(wireshark, FieldType.DATE, description);
    }

    Field keyword(String wireshark, String description) {
        return field(wireshark, FieldType.KEYWORD, description);
    }

    Field text(String wireshark, String description) {
        return field(wireshark, FieldType.TEXT, description);
    }

    Field field(String wireshark, FieldType type, String description) {
        return add(new Field(this, wireshark.replace('.', '_'), wireshark, type, description, false));
    }

    /**
     * A field Wireshark does not have under this name: Sharkfin's own, or one Wireshark spells otherwise
     * ({@code wireshark} then names Wireshark's field, else it is null).
     */
    Field sharkfinOnly(String key, FieldType type, String description, String wireshark) {
        return add(new Field(this, key, wireshark, type, description, true));
    }

    private Field add(Field f) {
        for (Field other : fields) {
            if (other.key().equals(f.key())) {
                throw new IllegalStateException(name + " declares the field " + f.key() + " twice");
            }
        }
        fields.add(f);
        return f;
    }

    // Bindings: what leads to the protocol's decoder.

    Protocol linkType(int linkType, Decoder d) {
        return bind(Binding.Kind.LINK_TYPE, linkType, d);
    }

    Protocol ethertype(int type, Decoder d) {
        return bind(Binding.Kind.ETHERTYPE, type, d);
    }

    Protocol ipProtocol(int protocol, Decoder d) {
        return bind(Binding.Kind.IP_PROTOCOL, protocol, d);
    }

    /** A well-known UDP port (tried on both ports, the lower first, as Wireshark does). */
    Protocol udpPort(int port, Decoder d) {
        return bind(Binding.Kind.UDP_PORT, port, d);
    }

    /** A well-known TCP port (tried on both ports, the lower first). */
    Protocol tcpPort(int port, Decoder d) {
        return bind(Binding.Kind.TCP_PORT, port, d);
    }

    /**
     * A TCP payload that no port claims goes to {@code d} when {@code looksLike} says so; heuristics are tried
     * in ascending {@code order}.
     */
    Protocol tcpHeuristic(int order, Predicate<Cursor> looksLike, Decoder d) {
        bindings.add(new Binding(this, Binding.Kind.TCP_HEURISTIC, order, d, looksLike, Dispatch.named(BY_NAME.incrementAndGet())));
        return this;
    }

    /** As {@link #tcpHeuristic}, for a UDP payload that no port claims. */
    Protocol udpHeuristic(int order, Predicate<Cursor> looksLike, Decoder d) {
        bindings.add(new Binding(this, Binding.Kind.UDP_HEURISTIC, order, d, looksLike, Dispatch.named(BY_NAME.incrementAndGet())));
        return this;
    }

    /**
     * Makes {@code d} reachable by name from other decoders (tunnels carrying Ethernet frames, say): the
     * returned {@link Dispatch} key is what they answer.
     */
    int byName(Decoder d) {
        for (Binding b : bindings) {
            if (b.kind() == Binding.Kind.BY_NAME && b.decoder == d) {
                return Dispatch.named(b.value());
            }
        }
        int id = BY_NAME.incrementAndGet();
        bindings.add(new Binding(this, Binding.Kind.BY_NAME, id, d, null, 0));
        return Dispatch.named(id);
    }

    private Protocol bind(Binding.Kind kind, int value, Decoder d) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(kind.label() + " " + value + " of " + name + " is out of range");
        }
        bindings.add(new Binding(this, kind, value, d, null, 0));
        return this;
    }

    /** Wireshark's protocol name, the catalog's name for the protocol ({@code tcp}, {@code dns}, {@code pppoe}). */
    public String name() {
        return name;
    }

    /** Its full name: {@code Transmission Control Protocol}. */
    public String title() {
        return title;
    }

    /** The document objects its fields go to; usually just its name. */
    public List<String> layers() {
        return layers;
    }

    public List<Field> fields() {
        return Collections.unmodifiableList(fields);
    }

    public List<Binding> bindings() {
        return Collections.unmodifiableList(bindings);
    }

    @Override
    public String toString() {
        return name + " (" + title + ")";
    }
}
