package dev.sharkfin.dissect;

/**
 * Wireshark's duplicate IP address detection of ARP (packet-arp.c, on by default): the MAC address each IPv4
 * address was first seen with in an ARP request or reply of the capture. A later ARP that pairs the address with
 * another MAC address is a duplicate ("Duplicate IP address configured (a.b.c.d)"); as in Wireshark, the first
 * pairing stays, and the same pairing again only moves the entry on.
 *
 * <p>Per capture ({@link Dissector}, one per capture and thread; every ARP frame goes to one worker, see
 * {@link FlowAffinity}). Bounded: at most {@link #MAX_ADDRESSES} addresses are remembered; once full, a new
 * address is not, so a duplicate of it goes unreported (a capture with that many ARP-announced addresses is a
 * scan, not a LAN). Open addressing over primitive arrays, allocated on the capture's first ARP: nothing per frame.
 */
final class ArpAddresses {
    /** The most IPv4 addresses remembered per capture. */
    static final int MAX_ADDRESSES = 16_384;
    private static final int SLOTS = MAX_ADDRESSES * 2; // a power of two, at most half full

    private int[] ips;
    private long[] macs; // 48 bits of MAC; 0 marks an empty slot (an all-zero MAC is never recorded)
    private int size;

    /**
     * Records that {@code ip} is used by the MAC address at {@code data[macAt..macAt+6)}; true when the address
     * was recorded with another MAC address before (a duplicate).
     */
    boolean duplicate(int ip, byte[] data, int macAt) {
        long mac = mac(data, macAt);
        if (ips == null) {
            ips = new int[SLOTS];
            macs = new long[SLOTS];
        }
        int i = slot(ip);
        while (macs[i] != 0) {
            if (ips[i] == ip) {
                return macs[i] != mac;
            }
            i = (i + 1) & (SLOTS - 1);
        }
        if (size < MAX_ADDRESSES) {
            ips[i] = ip;
            macs[i] = mac;
            size++;
        }
        return false;
    }

    static long mac(byte[] data, int at) {
        long mac = 0;
        for (int k = 0; k < 6; k++) {
            mac = (mac << 8) | (data[at + k] & 0xff);
        }
        return mac;
    }

    private static int slot(int ip) {
        int h = ip * 0x9e3779b9;
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
