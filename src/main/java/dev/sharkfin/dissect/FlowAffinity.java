package dev.sharkfin.dissect;

/**
 * Which worker a frame goes to when several dissect and analyse one capture (normalize.ParallelDocuments): a cheap
 * look at the frame's link layer and outermost IP header, with no decoder run, giving a hash of the IP address pair
 * that is the same in both directions.
 *
 * <p>The hash is of the address PAIR, not of the ports, because all state a frame touches must live on one worker
 * for its documents to be exactly those of one thread: the fragments of a datagram (only the first carries the
 * ports) meet in one worker's reassembly, and an FTP passive-mode reply announces a data connection between the same
 * two hosts (other ports) that the same worker must see. An ICMP error is hashed by the datagram it quotes, whose
 * UDP or TCP header belongs to that datagram's conversation. Tunnels go by their outer addresses: an inner flow stays
 * with its tunnel's endpoints. The IP header is found behind VLAN tags, an MPLS label stack and a PPPoE session
 * header, so that a flow seen both bare and labelled (an echo request over MPLS, its reply without) stays on one
 * worker. A frame without an IP header this reader knows (ARP, other link types) hashes to 0: every such frame goes
 * to the same worker. The cost of the pair: the connections between one pair of
 * hosts share one worker.
 */
public final class FlowAffinity {
    private static final int ETHERNET = 1;
    private static final int NULL = 0;
    private static final int LOOP = 108;
    private static final int LINUX_SLL = 113;
    private static final int LINUX_SLL2 = 276;

    private FlowAffinity() {
    }

    /** A direction-independent hash of the frame's IP address pair (see the class comment), 0 when it has none. */
    public static int hash(byte[] data, int captured, int linkType) {
        if (data == null) {
            return 0;
        }
        int n = Math.min(captured, data.length);
        return switch (linkType) {
            case ETHERNET -> ethernet(data, n);
            case NULL, LOOP -> n >= 4 ? ip(data, n, 4) : 0;
            case LINUX_SLL -> n >= 16 ? etherType(data, n, 16, u16(data, 14)) : 0;
            case LINUX_SLL2 -> n >= 20 ? etherType(data, n, 20, u16(data, 0)) : 0;
            case 12, 14, 101, 228, 229 -> ip(data, n, 0);
            default -> 0;
        };
    }

    private static int ethernet(byte[] d, int n) {
        int at = 12;
        while (at + 2 <= n) {
            int type = u16(d, at);
            if (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
                at += 4; // VLAN tags
            } else {
                return etherType(d, n, at + 2, type);
            }
        }
        return 0;
    }

    private static int etherType(byte[] d, int n, int at, int type) {
        return switch (type) {
            case 0x0800, 0x86dd -> ip(d, n, at);
            case 0x8847, 0x8848 -> mpls(d, n, at);
            case 0x8864 -> n >= at + 8 && (u16(d, at + 6) == 0x0021 || u16(d, at + 6) == 0x0057) ? ip(d, n, at + 8) : 0;
            default -> 0;
        };
    }

    /** The labels up to the bottom of the stack, then IP by its version nibble (as the MPLS decoder guesses it). */
    private static int mpls(byte[] d, int n, int at) {
        while (at + 4 <= n) {
            boolean bottom = (d[at + 2] & 0x01) != 0;
            at += 4;
            if (bottom) {
                return ip(d, n, at);
            }
        }
        return 0;
    }

    /** The IP header at {@code at}, by its version nibble. */
    private static int ip(byte[] d, int n, int at) {
        if (at >= n) {
            return 0;
        }
        int version = (d[at] & 0xff) >>> 4;
        if (version == 4 && at + 20 <= n) {
            int ihl = (d[at] & 0x0f) * 4;
            boolean fragment = (u16(d, at + 6) & 0x3fff) != 0;
            if (d[at + 9] == 1 && !fragment && ihl >= 20 && at + ihl + 8 + 20 <= n && icmpError(d[at + ihl] & 0xff)) {
                int quoted = at + ihl + 8;
                if ((d[quoted] & 0xf0) == 0x40) {
                    return pair(d, quoted + 12, quoted + 16, 4);
                }
            }
            return pair(d, at + 12, at + 16, 4);
        }
        if (version == 6 && at + 40 <= n) {
            if (d[at + 6] == 58 && at + 40 + 8 + 40 <= n && (d[at + 40] & 0xff) >= 1 && (d[at + 40] & 0xff) <= 4) {
                int quoted = at + 48;
                if ((d[quoted] & 0xf0) == 0x60) {
                    return pair(d, quoted + 8, quoted + 24, 16);
                }
            }
            return pair(d, at + 8, at + 24, 16);
        }
        return 0;
    }

    /** ICMP destination unreachable, source quench, redirect, time exceeded, parameter problem: they quote a datagram. */
    private static boolean icmpError(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    private static int pair(byte[] d, int src, int dst, int len) {
        int a = address(d, src, len);
        int b = address(d, dst, len);
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        return mix(lo * 0x9E3779B1 + hi);
    }

    private static int address(byte[] d, int at, int len) {
        int h = len;
        for (int i = 0; i < len; i++) {
            h = h * 31 + (d[at + i] & 0xff);
        }
        return mix(h);
    }

    /** murmur3's finaliser: every input bit moves every output bit, so hash % workers spreads. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int u16(byte[] d, int at) {
        return (d[at] & 0xff) << 8 | d[at + 1] & 0xff;
    }
}
