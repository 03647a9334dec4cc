package dev.sharkfin.normalize;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Packet;

/**
 * Writes a dissected packet as one Elasticsearch document, in the wishpy shape: {@code @timestamp} at
 * the top, then one object per protocol with its fields as attributes (two levels). A key that occurs
 * more than once at one level becomes an array, so nothing is dropped: {@code tcp_port} is
 * {@code [src, dst]}, and a protocol that appears twice (IP in IP) is an array of objects.
 * Values keep their native types. Reused per thread.
 */
public final class DocumentWriter {
    private static final String FRAME = Dissector.FRAME.name();
    private static final String WS = Dissector.WS.name();

    /*
     * Linear in the field count (issue 10: the former scan of every field for every field was a fifth of the
     * service's CPU). Per packet, the fields are bucketed by layer (a counting sort, stable: wire order is kept),
     * then, per layer, each field is linked to the next one with the same key through an open-addressing table
     * keyed by the Field's identity. A key is written at its first occurrence, with every later one following the
     * links. All arrays are reused; nothing is allocated per packet once they have grown.
     */
    private boolean[] layerWritten = new boolean[16];
    private int[] layerStart = new int[17];
    private int[] byLayer = new int[128];
    private int[] next = new int[128];
    private boolean[] repeat = new boolean[128];
    private Field[] slotKey = new Field[256];
    private int[] slotTail = new int[256];
    private int[] slotStamp = new int[256];
    private int stamp;

    public void write(Packet p, JsonOut out) {
        out.reset();
        out.raw('{').key("@timestamp").isoTime(p.timeNanos);
        int layers = p.layerCount();
        if (layerWritten.length < layers) {
            layerWritten = new boolean[layers * 2];
        }
        java.util.Arrays.fill(layerWritten, 0, layers, false);
        bucketByLayer(p, layers);
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

    /** Fills byLayer with the field indices grouped by layer, in wire order; layer l's are [layerStart[l], layerStart[l + 1]). */
    private void bucketByLayer(Packet p, int layers) {
        int n = p.size();
        if (layerStart.length < layers + 1) {
            layerStart = new int[layers * 2 + 1];
        }
        if (byLayer.length < n) {
            byLayer = new int[n * 2];
            next = new int[n * 2];
            repeat = new boolean[n * 2];
        }
        if (slotKey.length < n * 2) {
            int capacity = Integer.highestOneBit(n * 4);
            slotKey = new Field[capacity];
            slotTail = new int[capacity];
            slotStamp = new int[capacity];
            stamp = 0;
        }
        java.util.Arrays.fill(layerStart, 0, layers + 1, 0);
        for (int f = 0; f < n; f++) {
            int l = p.fieldLayer(f);
            if (l >= 0 && l < layers) {
                layerStart[l + 1]++;
            }
        }
        for (int l = 0; l < layers; l++) {
            layerStart[l + 1] += layerStart[l];
        }
        // layerStart[l] serves as layer l's insertion point, then is shifted back below.
        for (int f = 0; f < n; f++) {
            int l = p.fieldLayer(f);
            if (l >= 0 && l < layers) {
                byLayer[layerStart[l]++] = f;
            }
        }
        for (int l = layers; l > 0; l--) {
            layerStart[l] = layerStart[l - 1];
        }
        layerStart[0] = 0;
    }

    /** Links each field of layer l to the next one with the same key (next[], -1 at the end); repeat[] marks the later ones. */
    private void linkSameKeys(Packet p, int l) {
        if (++stamp == 0) {
            java.util.Arrays.fill(slotStamp, 0);
            stamp = 1;
        }
        int mask = slotKey.length - 1;
        for (int i = layerStart[l], end = layerStart[l + 1]; i < end; i++) {
            int f = byLayer[i];
            Field key = p.fieldKey(f);
            next[f] = -1;
            int h = (System.identityHashCode(key) * 0x9E3779B9) >>> 16 & mask;
            while (slotStamp[h] == stamp && slotKey[h] != key) {
                h = (h + 1) & mask;
            }
            if (slotStamp[h] == stamp) {
                next[slotTail[h]] = f;
                repeat[f] = true;
            } else {
                slotStamp[h] = stamp;
                slotKey[h] = key;
                repeat[f] = false;
            }
            slotTail[h] = f;
        }
    }

    private void layer(Packet p, int l, JsonOut out) {
        linkSameKeys(p, l);
        out.raw('{');
        boolean first = true;
        for (int i = layerStart[l], end = layerStart[l + 1]; i < end; i++) {
            int f = byLayer[i];
            if (repeat[f] || p.fieldType(f) == Packet.PROTOCOLS && !listsAny(p)) {
                continue; // frame.protocols of a frame with no listed layer: tshark shows none, not an empty one
            }
            if (!first) {
                out.raw(',');
            }
            first = false;
            out.key(p.fieldKey(f).key());
            if (next[f] < 0) {
                value(p, f, out);
                continue;
            }
            out.raw('[');
            for (int g = f; g >= 0; g = next[g]) {
                if (g != f) {
                    out.raw(',');
                }
                value(p, g, out);
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
            if (listed(p, l)) {
                return true;
            }
        }
        return false;
    }

    private static boolean listed(Packet p, int l) {
        String name = p.layerName(l);
        return !(name.equals(FRAME) || name.equals(WS) || p.isHidden(l) || p.isUnlisted(l));
    }

    private static void protocols(Packet p, JsonOut out) {
        out.raw('"');
        boolean first = true;
        for (int l = 0; l < p.layerCount(); l++) {
            if (!listed(p, l)) {
                continue;
            }
            String name = p.layerName(l);
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
