package dev.sharkfin.dissect;

/**
 * Keys that say which decoder comes next: a namespace in the high bits (link type, ethertype, IP
 * protocol, ports, names) and the number within it in the low 16 bits. Protocols bind their decoders to
 * keys in their own files ({@link Protocol}); {@link DecoderRegistry} maps keys to decoders.
 */
final class Dispatch {
    static final int STOP = -1;
    /** The rest is a payload no decoder takes: Wireshark's {@code data} (with its length). */
    static final int DATA = -2;
    static final int LINK = 0, ETHERTYPE = 1, IP_PROTO = 2, NAMED = 3, UDP_PORT = 4, TCP_PORT = 5;
    static final int SPACES = 6;

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

    /** A decoder reached by name rather than by a number on the wire (see {@link Protocol#byName}). */
    static int named(int id) {
        return (NAMED << 16) | id;
    }

    private Dispatch() {
    }
}
