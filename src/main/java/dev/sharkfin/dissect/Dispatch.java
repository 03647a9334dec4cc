package dev.sharkfin.dissect;

/**
 * Keys that say which decoder comes next: a namespace in the high bits (link type, ethertype, IP
 * protocol) and the number within it in the low 16 bits.
 */
final class Dispatch {
    static final int STOP = -1;
    static final int LINK = 0, ETHERTYPE = 1, IP_PROTO = 2, NAMED = 3, UDP_PORT = 4, TCP_PORT = 5;
    static final int SPACES = 6;

    /** Decoders reached by name rather than by a number on the wire. */
    static final int IPV4_OR_IPV6 = named(1);
    static final int ETHERNET = named(2);
    static final int WLAN = named(3);
    static final int LLC = named(4);
    static final int PPP = named(5);
    static final int ERSPAN = named(6);

    static int link(int linkType) {
        return (LINK << 16) | (linkType & 0xffff);
    }

    static int ethertype(int type) {
        return (ETHERTYPE << 16) | (type & 0xffff);
    }

    static int ipProto(int proto) {
        return (IP_PROTO << 16) | (proto & 0xff);
    }

    static int udpPort(int port) {
        return (UDP_PORT << 16) | (port & 0xffff);
    }

    static int tcpPort(int port) {
        return (TCP_PORT << 16) | (port & 0xffff);
    }

    static int named(int id) {
        return (NAMED << 16) | id;
    }

    private Dispatch() {
    }
}
