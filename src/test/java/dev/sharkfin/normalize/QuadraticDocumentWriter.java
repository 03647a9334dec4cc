package dev.sharkfin.normalize;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Packet;

/**
 * The writer as it was before it became linear (issue 10), with the layer rules added since (bare and unlisted
 * layers: frame.protocols steps without a document object), kept to prove the new one writes the same bytes.
 * Writes a dissected packet as one Elasticsearch document, in the wishpy shape: {@code @timestamp} at
 * the top, then one object per protocol with its fields as attributes (two levels). A key that occurs
 * more than once at one level becomes an array, so nothing is dropped: {@code tcp_port} is
 * {@code [src, dst]}, and a protocol that appears twice (IP in IP) is an array of objects.
 * Values keep their native types. Reused per thread.
 */
final class QuadraticDocumentWriter {
    private static final String FRAME = Dissector.FRAME.name();
    private static final String WS = Dissector.WS.name();

    private boolean[] written = new boolean[128];
    private boolean[] layerWritten = new boolean[16];

    public void write(Packet p, JsonOut out) {
        out.reset();
        out.raw('{').key("@timestamp").isoTime(p.timeNanos);
        int layers = p.layerCount();
        if (layerWritten.length < layers) {
            layerWritten = new boolean[layers * 2];
        }
        if (written.length < p.size()) {
            written = new boolean[p.size() * 2];
        }
        java.util.Arrays.fill(layerWritten, 0, layers, false);
        java.util.Arrays.fill(written, 0, p.size(), false);
        for (int l = 0; l < layers; l++) {
            if (layerWritten[l] || p.isHidden(l) || p.isBare(l)) {
                continue;
            }
            String name = p.layerName(l);
            int count = 0;
            for (int m = l; m < layers; m++) {
                if (p.layerName(m) == name && !p.isHidden(m)) {
                    count++;
                }
            }
            out.raw(',').key(name);
            if (count > 1) {
                out.raw('[');
            }
            boolean first = true;
            for (int m = l; m < layers; m++) {
                if (p.layerName(m) == name && !p.isHidden(m)) {
                    if (!first) {
                        out.raw(',');
                    }
                    first = false;
                    layerWritten[m] = true;
                    layer(p, m, out);
                }
            }
            if (count > 1) {
                out.raw(']');
            }
        }
        out.raw('}');
    }

    private void layer(Packet p, int l, JsonOut out) {
        out.raw('{');
        boolean first = true;
        int n = p.size();
        for (int f = 0; f < n; f++) {
            if (written[f] || p.fieldLayer(f) != l || p.fieldType(f) == Packet.PROTOCOLS && !listsAny(p)) {
                continue;
            }
            Field key = p.fieldKey(f);
            int count = 1;
            for (int g = f + 1; g < n; g++) {
                if (p.fieldLayer(g) == l && p.fieldKey(g) == key) {
                    count++;
                }
            }
            if (!first) {
                out.raw(',');
            }
            first = false;
            out.key(key.key());
            if (count == 1) {
                value(p, f, out);
                written[f] = true;
                continue;
            }
            out.raw('[');
            boolean firstValue = true;
            for (int g = f; g < n; g++) {
                if (p.fieldLayer(g) == l && p.fieldKey(g) == key) {
                    if (!firstValue) {
                        out.raw(',');
                    }
                    firstValue = false;
                    value(p, g, out);
                    written[g] = true;
                }
            }
            out.raw(']');
        }
        out.raw('}');
    }

    private static void value(Packet p, int f, JsonOut out) {
        long v = p.fieldLong(f);
        switch (p.fieldType(f)) {
            case Packet.UINT, Packet.INT, Packet.HEX -> out.number(v);
            case Packet.BOOL -> out.bool(v != 0);
            case Packet.DOUBLE -> {
                double d = p.fieldDouble(f);
                if (Double.isNaN(d)) {
                    out.seconds(v);
                } else {
                    out.decimal(d);
                }
            }
            case Packet.STRING -> out.string((String) p.fieldObject(f));
            case Packet.TIME -> out.isoTime(v);
            case Packet.IPV4 -> out.ipv4(p.fieldBytes(f), (int) (v >>> 32));
            case Packet.IPV6 -> out.ipv6(p.fieldBytes(f), (int) (v >>> 32));
            case Packet.MAC, Packet.BYTES -> out.hexBytes(p.fieldBytes(f), (int) (v >>> 32), (int) v);
            case Packet.PROTOCOLS -> protocols(p, out);
            default -> out.nullValue();
        }
    }

    private static boolean listsAny(Packet p) {
        for (int l = 0; l < p.layerCount(); l++) {
            String name = p.layerName(l);
            if (!(name.equals(FRAME) || name.equals(WS) || p.isHidden(l) || p.isUnlisted(l))) {
                return true;
            }
        }
        return false;
    }

    private static void protocols(Packet p, JsonOut out) {
        out.raw('"');
        boolean first = true;
        for (int l = 0; l < p.layerCount(); l++) {
            String name = p.layerName(l);
            if (name.equals(FRAME) || name.equals(WS) || p.isHidden(l) || p.isUnlisted(l)) {
                continue;
            }
            if (!first) {
                out.raw(':');
            }
            first = false;
            for (int i = 0; i < name.length(); i++) {
                out.raw(name.charAt(i));
            }
        }
        out.raw('"');
    }
}
