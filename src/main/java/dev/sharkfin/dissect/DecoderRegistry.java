package dev.sharkfin.dissect;

/**
 * Which decoder handles which number on the wire, built once into arrays indexed by {@link Dispatch}
 * key, so that finding the next decoder is an array load.
 */
final class DecoderRegistry {
    static final DecoderRegistry DEFAULT = new DecoderRegistry();

    private final Decoder[][] tables = new Decoder[Dispatch.SPACES][65536];

    private DecoderRegistry() {
        Ethernet ethernet = new Ethernet();
        RawIp raw = new RawIp();
        Ipv4 ipv4 = new Ipv4();
        Ipv6 ipv6 = new Ipv6();
        Vlan vlan = new Vlan();
        Mpls mpls = new Mpls();
        Wlan wlan = new Wlan();

        link(1, ethernet);                       // LINKTYPE_ETHERNET
        link(0, new NullLoopback(false));        // LINKTYPE_NULL: host byte order
        link(108, new NullLoopback(true));       // LINKTYPE_LOOP: network byte order
        link(12, raw);                           // DLT_RAW as libpcap reports it on Linux
        link(14, raw);                           // DLT_RAW on OpenBSD
        link(101, raw);                          // LINKTYPE_RAW
        link(228, ipv4);                         // LINKTYPE_IPV4
        link(229, ipv6);                         // LINKTYPE_IPV6
        link(113, new LinuxCooked(false));       // LINKTYPE_LINUX_SLL
        link(276, new LinuxCooked(true));        // LINKTYPE_LINUX_SLL2
        link(239, new Nflog());                  // LINKTYPE_NFLOG
        link(127, new Radiotap());               // LINKTYPE_IEEE802_11_RADIOTAP
        link(105, wlan);                         // LINKTYPE_IEEE802_11
        link(65535, new PcapngCustom());         // a pcapng custom block (Sharkfin's own number: see capture.Frame)

        ethertype(0x0800, ipv4);
        ethertype(0x86dd, ipv6);
        ethertype(0x0806, new Arp());
        ethertype(0x8035, new Arp());            // RARP
        ethertype(0x8100, vlan);
        ethertype(0x88a8, vlan);
        ethertype(0x9100, vlan);
        ethertype(0x8847, mpls);
        ethertype(0x8848, mpls);
        ethertype(0x8863, new Ppp.Pppoe(false));
        ethertype(0x8864, new Ppp.Pppoe(true));

        ipProto(6, new Tcp());
        ipProto(17, new Udp());
        ipProto(1, new Icmp(false));
        ipProto(58, new Icmp(true));
        ipProto(47, new Gre());
        ipProto(4, ipv4);                        // IP in IP
        ipProto(41, ipv6);                       // IPv6 in IP

        tables[Dispatch.NAMED][Dispatch.ETHERNET & 0xffff] = ethernet;
        tables[Dispatch.NAMED][Dispatch.WLAN & 0xffff] = wlan;
        tables[Dispatch.NAMED][Dispatch.LLC & 0xffff] = new Wlan.Llc();
        tables[Dispatch.NAMED][Dispatch.PPP & 0xffff] = new Ppp();

        udpPort(1701, new Ppp.L2tp());
        udpPort(3544, new Teredo());
        tables[Dispatch.NAMED][Dispatch.ERSPAN & 0xffff] = new Erspan();

        // Applications and tunnels by well-known port (no reassembly: TCP ones decode per segment).
        Dns dnsTcp = new Dns(Dns.TCP);
        udpPort(53, new Dns(Dns.UDP));
        udpPort(5353, new Dns(Dns.MDNS));
        udpPort(5355, new Dns(Dns.LLMNR));
        tcpPort(53, dnsTcp);
        Http http = new Http();
        for (int port : new int[] {80, 8080, 8000, 3128}) {
            tcpPort(port, http);
        }
        Tls tls = new Tls();
        for (int port : new int[] {443, 8443, 993, 995, 465, 636, 853}) {
            tcpPort(port, tls);
        }
        Dhcp dhcp = new Dhcp();
        udpPort(67, dhcp);
        udpPort(68, dhcp);
        udpPort(123, new Ntp());
        udpPort(4789, new Vxlan());
        udpPort(6081, new Geneve());
        udpPort(6343, new Sflow());
    }

    private void link(int type, Decoder d) {
        tables[Dispatch.LINK][type] = d;
    }

    private void ethertype(int type, Decoder d) {
        tables[Dispatch.ETHERTYPE][type] = d;
    }

    private void ipProto(int proto, Decoder d) {
        tables[Dispatch.IP_PROTO][proto] = d;
    }

    /** An application decoder for a well-known UDP port (tried on both ports, the lower first, as Wireshark does). */
    private void udpPort(int port, Decoder d) {
        tables[Dispatch.UDP_PORT][port] = d;
    }

    private void tcpPort(int port, Decoder d) {
        tables[Dispatch.TCP_PORT][port] = d;
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
     * Wireshark's TCP heuristics, for a payload no port claims: a segment that starts with a TLS record
     * header or an SSLv2 ClientHello is TLS, one whose first complete line starts or ends with
     * {@code HTTP/1.} is HTTP. (Wireshark then keeps the whole conversation on that protocol; Sharkfin,
     * without conversation state here, decides per segment.)
     */
    int tcpHeuristic(Cursor c) {
        if (Tls.looksLikeTls(c)) {
            return Dispatch.tcpPort(443);
        }
        if (Http.looksLikeHttp(c)) {
            return Dispatch.tcpPort(80);
        }
        return Dispatch.STOP;
    }

    Decoder lookup(int key) {
        return tables[key >>> 16][key & 0xffff];
    }

    boolean supportsLinkType(int linkType) {
        return linkType >= 0 && linkType < 65536 && tables[Dispatch.LINK][linkType] != null;
    }
}
