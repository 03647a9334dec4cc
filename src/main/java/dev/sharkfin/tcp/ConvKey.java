package dev.sharkfin.tcp;

import dev.sharkfin.dissect.Packet;
import dev.sharkfin.dissect.TcpSegment;

/**
 * Direction-independent conversation key: the two (address, port) endpoints in a canonical order, with
 * addresses packed into longs so hashing and equality touch no arrays. TCP conversations, UDP conversations and
 * the DNS/ICMP transactions all key on it.
 */
final class ConvKey {
    int addrLen;
    long a0, a1, b0, b1;
    int portA, portB;

    /**
     * Fills this key from the segment and returns Wireshark's direction: cmp_address(src, dst) (address
     * length first, then bytes as unsigned), ports as tie-break (src > dst ? 1 : -1).
     */
    int set(TcpSegment s) {
        byte[] d = s.data;
        int len = s.addressLength;
        return set(len, pack(d, s.srcAddressOffset, len, 0), pack(d, s.srcAddressOffset, len, 8),
                pack(d, s.dstAddressOffset, len, 0), pack(d, s.dstAddressOffset, len, 8), s.srcPort, s.dstPort);
    }

    /**
     * Fills this key from a packet's address fields ({@code src}, {@code dst}: field indexes of an IP header's
     * addresses) and the two ports, as {@link #set(TcpSegment)} does.
     */
    int set(Packet p, int src, int dst, int srcPort, int dstPort) {
        return set((int) p.fieldLong(src), pack(p, src, 0), pack(p, src, 8), pack(p, dst, 0), pack(p, dst, 8),
                srcPort, dstPort);
    }

    private int set(int len, long s0, long s1, long d0, long d1, int srcPort, int dstPort) {
        int cmp = Long.compareUnsigned(s0, d0);
        if (cmp == 0) {
            cmp = Long.compareUnsigned(s1, d1);
        }
        int direction = cmp != 0 ? cmp : (srcPort > dstPort ? 1 : -1);
        addrLen = len;
        if (direction >= 0) {
            a0 = s0; a1 = s1; portA = srcPort;
            b0 = d0; b1 = d1; portB = dstPort;
        } else {
            a0 = d0; a1 = d1; portA = dstPort;
            b0 = s0; b1 = s1; portB = srcPort;
        }
        return direction;
    }

    /** {@link #pack(byte[], int, int, int)} of an address field of the packet. */
    private static long pack(Packet p, int field, int from) {
        long at = p.fieldLong(field);
        return pack(p.fieldBytes(field), (int) (at >>> 32), (int) at, from);
    }

    /** Big-endian packing of up to 8 address bytes starting at {@code from}; missing bytes are 0. */
    static long pack(byte[] d, int off, int len, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (i < len ? (d[off + i] & 0xFF) : 0);
        }
        return v;
    }

    ConvKey copy() {
        ConvKey k = new ConvKey();
        k.addrLen = addrLen;
        k.a0 = a0; k.a1 = a1; k.b0 = b0; k.b1 = b1;
        k.portA = portA; k.portB = portB;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvKey k && k.addrLen == addrLen && k.a0 == a0 && k.a1 == a1 && k.b0 == b0
                && k.b1 == b1 && k.portA == portA && k.portB == portB;
    }

    @Override
    public int hashCode() {
        long h = a0 * 31 + a1;
        h = h * 31 + b0;
        h = h * 31 + b1;
        h = h * 31 + ((long) portA << 16 | portB);
        h = h * 31 + addrLen;
        return (int) (h ^ (h >>> 32));
    }
}
