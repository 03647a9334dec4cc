package dev.sharkfin.dissect;

import java.util.Locale;
import java.util.function.Predicate;

/** One way to a protocol's decoder: a number on the wire in one namespace, a name, or a heuristic. */
public final class Binding {
    /** The namespaces, each with its {@link Dispatch} space. */
    public enum Kind {
        LINK_TYPE("link type", Dispatch.LINK),
        ETHERTYPE("ethertype", Dispatch.ETHERTYPE),
        IP_PROTOCOL("IP protocol", Dispatch.IP_PROTO),
        UDP_PORT("UDP port", Dispatch.UDP_PORT),
        TCP_PORT("TCP port", Dispatch.TCP_PORT),
        /** Reached from other decoders that know what they carry (a tunnel's Ethernet frame). */
        BY_NAME("by name", Dispatch.NAMED),
        /** Tried on a TCP payload that no port claims. */
        TCP_HEURISTIC("TCP heuristic", -1),
        /** Tried on a UDP payload that no port claims. */
        UDP_HEURISTIC("UDP heuristic", -1);

        private final String label;
        final int space;

        Kind(String label, int space) {
            this.label = label;
            this.space = space;
        }

        public String label() {
            return label;
        }
    }

    private final Protocol protocol;
    private final Kind kind;
    private final int value;
    final Decoder decoder;
    final Predicate<Cursor> looksLike;
    /** For a heuristic: the {@link Dispatch} key (a name of its own) it answers for its decoder. */
    final int key;

    Binding(Protocol protocol, Kind kind, int value, Decoder decoder, Predicate<Cursor> looksLike, int key) {
        this.protocol = protocol;
        this.kind = kind;
        this.value = value;
        this.decoder = decoder;
        this.looksLike = looksLike;
        this.key = key;
    }

    public Protocol protocol() {
        return protocol;
    }

    public Kind kind() {
        return kind;
    }

    /** The number in its namespace; a heuristic's order. */
    public int value() {
        return value;
    }

    /** As the field reference shows it: {@code ethertype 0x0800}, {@code UDP port 53}, {@code TCP heuristic}. */
    @Override
    public String toString() {
        return switch (kind) {
            case ETHERTYPE -> kind.label + " 0x" + String.format(Locale.ROOT, "%04x", value);
            case BY_NAME -> "by name, from the decoders that carry it";
            case TCP_HEURISTIC, UDP_HEURISTIC -> kind.label + " (tried " + ordinal(value) + ")";
            default -> kind.label + " " + value;
        };
    }

    private static String ordinal(int order) {
        return switch (order) {
            case 1 -> "first";
            case 2 -> "second";
            case 3 -> "third";
            default -> "in order " + order;
        };
    }
}
