package dev.sharkfin.dissect;

import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IP fragment reassembly for one capture, as Wireshark does by default: fragments are kept by (addresses,
 * identification, protocol) until every byte of the datagram has been seen, and the frame that completes it
 * carries the reassembled payload to the transport decoders. Bounded: the oldest incomplete datagrams are
 * dropped past {@link #MAX_PENDING}, and no datagram grows past the 64 KiB an IP length can say.
 */
final class Reassembly {
    static final int MAX_PENDING = 1024;
    private static final int MAX_DATAGRAM = 65535 + 8;

    private record Key(long a0, long a1, long b0, long b1, long id, int proto) {
    }

    private static final class Pending {
        byte[] data = new byte[2048];
        final BitSet seen = new BitSet();
        int total = -1;
        int fragments;
    }

    private final Map<Key, Pending> pending = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Pending> eldest) {
            return size() > MAX_PENDING;
        }
    };
    private int lastFragments;

    /**
     * Adds a fragment ({@code length} payload bytes at {@code c}'s position, {@code offset} bytes into the
     * datagram) and answers the whole payload once complete, else null. Addresses are read from {@code data}.
     */
    byte[] add(byte[] data, int addrLen, int srcOff, int dstOff, long id, int proto, int offset, boolean more,
            Cursor c, int length) {
        Key key = new Key(word(data, srcOff, addrLen, 0), word(data, srcOff, addrLen, 8),
                word(data, dstOff, addrLen, 0), word(data, dstOff, addrLen, 8), id, proto);
        if (offset + length > MAX_DATAGRAM || length < 0) {
            return null;
        }
        Pending p = pending.computeIfAbsent(key, k -> new Pending());
        if (p.data.length < offset + length) {
            p.data = Arrays.copyOf(p.data, Math.max(offset + length, p.data.length * 2));
        }
        // Overlapping fragments: the bytes seen first stand, as in Wireshark's reassembly.
        for (int from = p.seen.nextClearBit(offset); from < offset + length; ) {
            int to = Math.min(offset + length, p.seen.nextSetBit(from) < 0 ? Integer.MAX_VALUE : p.seen.nextSetBit(from));
            System.arraycopy(c.data(), c.pos() + (from - offset), p.data, from, to - from);
            from = p.seen.nextClearBit(to);
        }
        p.seen.set(offset, offset + length);
        p.fragments++;
        if (!more) {
            p.total = offset + length;
        }
        if (p.total < 0 || p.seen.nextClearBit(0) < p.total) {
            return null;
        }
        pending.remove(key);
        lastFragments = p.fragments;
        return Arrays.copyOf(p.data, p.total);
    }

    /**
     * Moves the packet onto {@code whole}, the datagram {@link #add} has just completed, for the rest of its
     * decoding, after writing the IP protocol's two fields of the completing frame: how many fragments made it and
     * its length.
     */
    void decodeWhole(byte[] whole, Packet p, Cursor c, Field fragmentCount, Field reassembledLength) {
        p.uint(fragmentCount, lastFragments);
        p.uint(reassembledLength, whole.length);
        p.buffer = whole;
        c.replace(whole, whole.length);
    }

    private static long word(byte[] d, int off, int len, int at) {
        long v = 0;
        for (int i = at; i < Math.min(len, at + 8); i++) {
            v = (v << 8) | (d[off + i] & 0xff);
        }
        return v;
    }
}
