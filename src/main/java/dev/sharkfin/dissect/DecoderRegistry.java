package dev.sharkfin.dissect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which decoder handles which number on the wire, built once from the protocols' own bindings (see
 * {@link Protocol}) into arrays indexed by {@link Dispatch} key, so that finding the next decoder is an
 * array load. Building it checks the declarations: two protocols binding one number (the same TCP port,
 * say), one protocol binding it twice, two heuristics of one order, two protocols writing to one document
 * object, or two with one name, stop it with an exception naming both.
 */
final class DecoderRegistry {
    static final DecoderRegistry DEFAULT = new DecoderRegistry(Catalog.declared());

    private final List<Protocol> protocols;
    private final Decoder[][] tables = new Decoder[Dispatch.SPACES][65536];
    private final Binding[] heuristics;
    private final Binding[] udpHeuristics;

    DecoderRegistry(List<Protocol> protocols) {
        this.protocols = List.copyOf(protocols);
        Map<String, Protocol> names = new HashMap<>();
        Map<String, Protocol> layers = new HashMap<>();
        for (Protocol p : protocols) {
            Protocol other = names.put(p.name(), p);
            if (other != null) {
                throw new ConflictingProtocolsException("Two protocols are named " + p.name() + ": " + other + " and " + p);
            }
            for (String layer : p.layers()) {
                other = layers.put(layer, p);
                if (other != null) {
                    throw new ConflictingProtocolsException("Protocols " + other + " and " + p + " both write the document object "
                            + layer + "; a field's path must name one protocol's field");
                }
            }
        }
        Binding[][] owners = new Binding[Dispatch.SPACES][];
        List<Binding> heuristic = new ArrayList<>();
        List<Binding> udpHeuristic = new ArrayList<>();
        for (Protocol p : protocols) {
            for (Binding b : p.bindings()) {
                if (b.kind() == Binding.Kind.TCP_HEURISTIC || b.kind() == Binding.Kind.UDP_HEURISTIC) {
                    (b.kind() == Binding.Kind.TCP_HEURISTIC ? heuristic : udpHeuristic).add(b);
                    tables[Dispatch.NAMED][b.key & 0xffff] = b.decoder; // the key the heuristic answers
                    continue;
                }
                int space = b.kind().space;
                if (owners[space] == null) {
                    owners[space] = new Binding[65536];
                }
                Binding taken = owners[space][b.value()];
                if (taken != null) {
                    throw conflict(taken, b);
                }
                owners[space][b.value()] = b;
                tables[space][b.value()] = b.decoder;
            }
        }
        heuristics = ordered(heuristic);
        udpHeuristics = ordered(udpHeuristic);
    }

    /** The heuristics of one transport in their declared order; two of one order conflict. */
    private static Binding[] ordered(List<Binding> heuristic) {
        heuristic.sort(Comparator.comparingInt(Binding::value));
        for (int i = 1; i < heuristic.size(); i++) {
            if (heuristic.get(i).value() == heuristic.get(i - 1).value()) {
                throw conflict(heuristic.get(i - 1), heuristic.get(i));
            }
        }
        return heuristic.toArray(new Binding[0]);
    }

    private static ConflictingProtocolsException conflict(Binding first, Binding second) {
        return new ConflictingProtocolsException("Protocols " + first.protocol() + " and " + second.protocol() + " both bind "
                + second + ": each number on the wire leads to one decoder, so one of them must drop that binding");
    }

    /** A protocol declaration that contradicts another: found when the registry is built, at start-up. */
    static final class ConflictingProtocolsException extends IllegalStateException {
        ConflictingProtocolsException(String message) {
            super(message);
        }
    }

    List<Protocol> protocols() {
        return protocols;
    }

    /**
     * The payload's decoder by port: the lower port's first, then the higher's; {@link Dispatch#STOP} when
     * neither port has one.
     */
    int byPort(int space, int src, int dst) {
        int low = Math.min(src, dst);
        int high = Math.max(src, dst);
        if (tables[space][low] != null) {
            return (space << 16) | low;
        }
        if (tables[space][high] != null) {
            return (space << 16) | high;
        }
        return Dispatch.STOP;
    }

    /**
     * Wireshark's TCP heuristics, for a payload no port claims, in their declared order (TLS's record header,
     * then HTTP's first line). Wireshark then keeps the whole conversation on that protocol; Sharkfin,
     * without conversation state here, decides per segment. A payload none of them takes is
     * {@link Dispatch#DATA}.
     */
    int tcpHeuristic(Cursor c) {
        return heuristic(heuristics, c);
    }

    /** Wireshark's UDP heuristics (DNS's), for a datagram no port claims; else {@link Dispatch#DATA}. */
    int udpHeuristic(Cursor c) {
        return heuristic(udpHeuristics, c);
    }

    private static int heuristic(Binding[] tried, Cursor c) {
        for (Binding h : tried) {
            if (h.looksLike.test(c)) {
                return h.key;
            }
        }
        return Dispatch.DATA; // a payload nothing takes is Wireshark's data
    }

    Decoder lookup(int key) {
        return tables[key >>> 16][key & 0xffff];
    }

    boolean supportsLinkType(int linkType) {
        return linkType >= 0 && linkType < 65536 && tables[Dispatch.LINK][linkType] != null;
    }
}
