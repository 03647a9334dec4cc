package dev.sharkfin.tcp;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sharkfin.dissect.Dissector;
import dev.sharkfin.dissect.Dns;
import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Http;
import dev.sharkfin.dissect.Icmp;
import dev.sharkfin.dissect.Ipv4;
import dev.sharkfin.dissect.Ipv6;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.dissect.Sflow;
import dev.sharkfin.dissect.Tcp;
import dev.sharkfin.dissect.Tls;
import dev.sharkfin.dissect.Udp;

/**
 * Request/response matching as Wireshark 4.0 does it in one pass (tshark without -2): the backward references a
 * response carries. DNS ({@code packet-dns.c}): per conversation (the UDP or TCP endpoints) and transaction id, a
 * response answers the conversation's latest query with its id ({@code dns.response_to}, {@code dns.time}); a query
 * repeated within {@value #DNS_RETRANSMISSION_SECONDS} s while unanswered, and a second response, are
 * retransmissions. ICMP and ICMPv6 echo ({@code packet-icmp.c}, {@code packet-icmpv6.c}): per pair of addresses, a
 * reply answers the request of the same identifier, sequence number and checksum (less the type's difference: the
 * same payload), once ({@code icmp.resp_to}, {@code icmp.resptime} in milliseconds). HTTP ({@code packet-http.c},
 * without TCP reassembly): per TCP conversation, requests and responses paired in order (see {@link #httpMessage}).
 * TLS ({@code packet-tls-utils.c}): per TCP conversation, session resumption by session id (see {@link #tlsSession}).
 *
 * <p>The forward references ({@code dns.response_in}, {@code icmp.resp_in}) need frames not read yet; tshark's
 * single pass does not show them either. Nothing inside an ICMP error or an sFlow sample takes part (Wireshark's
 * {@code in_error}); nor does a TCP payload the analysis hid (a retransmission's, which Wireshark does not
 * dissect), so run this after {@link TcpFields}.
 *
 * <p>Why here and not in the decoders: the state lives per capture and conversation, like {@link UdpConversations}'s,
 * while decoders are shared and stateless; and only after the TCP analysis is it known which payloads count.
 *
 * <p>Contract: one instance per capture, single-threaded, packets in capture order. Bounded: at most
 * {@link #MAX_TRANSACTIONS} transactions per protocol family (DNS, ICMP) and as many HTTP and TLS conversations; past it the
 * one used longest ago is forgotten, so a response to it shows no match (an HTTP conversation starts its numbering
 * afresh) where Wireshark, which keeps all, would show one. A lookup
 * goes through a reusable probe key; a new transaction allocates its key and state.
 */
public final class Transactions {
    /** Transactions kept per family (about 150 bytes each): far more than are ever open at once. */
    static final int MAX_TRANSACTIONS = 1 << 16;
    /** Wireshark's dns.retransmission_timer preference, default 5 seconds. */
    static final long DNS_RETRANSMISSION_SECONDS = 5;
    private static final long DNS_RETRANSMISSION_NANOS = DNS_RETRANSMISSION_SECONDS * 1_000_000_000L;
    private static final int UDP = 0, TCP = 1, ICMP = 2, ICMPV6 = 3;

    private final Map<Key, Transaction> dns;
    private final Map<Key, Transaction> icmp;
    private final Map<Long, HttpConversation> http;
    private final Map<Long, TlsSession> tls;
    private final Key probe = new Key();
    private final Scan scan = new Scan();

    public Transactions() {
        this(MAX_TRANSACTIONS);
    }

    Transactions(int max) {
        dns = bounded(max);
        icmp = bounded(max);
        http = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, HttpConversation> eldest) {
                return size() > max;
            }
        };
        tls = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, TlsSession> eldest) {
                return size() > max;
            }
        };
    }

    private static Map<Key, Transaction> bounded(int max) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Transaction> eldest) {
                return size() > max;
            }
        };
    }

    /** Appends the matching fields to the packet's DNS messages, ICMP echo replies and HTTP messages. */
    public void analyze(Packet p) {
        Scan s = scan.reset();
        for (int i = 0; i < p.size(); i++) {
            Field k = p.fieldKey(i);
            if (k == Ipv4.SRC || k == Ipv6.SRC) {
                s.src = i;
            } else if (k == Ipv4.DST || k == Ipv6.DST) {
                s.dst = i;
            } else if (k == Udp.SRCPORT || k == Tcp.SRCPORT) {
                s.srcPort = i;
                s.transport = k == Udp.SRCPORT ? UDP : TCP;
            } else if (k == Udp.DSTPORT || k == Tcp.DSTPORT) {
                s.dstPort = i;
            } else if (k == Dns.ID) {
                s.id = i;
            } else if (k == Dns.FLAGS_RESPONSE && s.id >= 0 && s.ready(p, i)) {
                dnsMessage(p, p.fieldLayer(i), s, p.fieldLong(s.id), p.fieldLong(i) != 0);
            } else if (k == Http.REQUEST || k == Http.RESPONSE) {
                httpMessage(p, s);
                s.http = i;
            } else if (k == Http.REQUEST_FULL_URI || k == Http.REQUEST_URI && s.fullUri < 0) {
                s.fullUri = i; // the full URI when the segment holds the Host header, else the URI as requested
            } else if (k == Tls.HANDSHAKE_TYPE) {
                tlsHello(p, s, i);
            } else if (k == Tls.HANDSHAKE_SESSION_ID && s.hello >= 0) {
                tlsSessionId(p, s, i);
            } else if (k == Tls.HANDSHAKE_EXTENSIONS_SUPPORTED_VERSION && s.hello >= 0 && tls13(p.fieldLong(i))) {
                tls13(p, s, i);
            } else if (k == Tls.RECORD_CONTENT_TYPE && p.fieldLong(i) == CHANGE_CIPHER_SPEC) {
                tlsChangeCipherSpec(p, s, i);
            } else if (k == Icmp.TYPE || k == Icmp.V6_TYPE) {
                s.type = i;
            } else if (k == Icmp.CHECKSUM || k == Icmp.V6_CHECKSUM) {
                s.checksum = i;
            } else if (k == Icmp.IDENT || k == Icmp.V6_ECHO_IDENTIFIER) {
                s.ident = i;
            } else if ((k == Icmp.SEQ || k == Icmp.V6_ECHO_SEQUENCE_NUMBER) && s.type >= 0 && s.checksum >= 0
                    && s.ident >= 0 && s.src >= 0 && s.dst >= 0 && free(p, p.fieldLayer(i))) {
                echo(p, p.fieldLayer(i), s, k == Icmp.V6_ECHO_SEQUENCE_NUMBER, ((p.fieldLong(s.ident) & 0xffff) << 16)
                        | (p.fieldLong(i) & 0xffff));
            }
        }
        httpMessage(p, s);
    }

    /** Field positions of the headers read so far, for the message being matched. */
    private static final class Scan {
        int src, dst, srcPort, dstPort, transport, id, type, checksum, ident, http, fullUri, hello;

        Scan reset() {
            src = dst = srcPort = dstPort = transport = id = type = checksum = ident = http = fullUri = hello = -1;
            return this;
        }

        boolean ready(Packet p, int i) {
            return src >= 0 && dst >= 0 && srcPort >= 0 && dstPort >= 0 && free(p, p.fieldLayer(i));
        }
    }

    /** Neither hidden by the TCP analysis nor inside an ICMP error or sFlow sample (Wireshark's in_error). */
    private static boolean free(Packet p, int layer) {
        if (p.isHidden(layer)) {
            return false;
        }
        for (int l = 0; l < layer; l++) {
            String name = p.layerName(l);
            if (name.equals(Icmp.ICMP.name()) || name.equals(Icmp.ICMPV6.name()) || name.equals(Sflow.PROTOCOL.name())) {
                return false;
            }
        }
        return true;
    }

    private static long now(Packet p) {
        return p.wireNanos == Packet.NO_TIME ? 0 : p.wireNanos;
    }

    /**
     * dissect_dns_common's transaction tracking, first pass. A retransmission gets Wireshark's expert message too,
     * after those of the layers below (the text names a frame: made per retransmission, which is rare, not per field).
     */
    private void dnsMessage(Packet p, int layer, Scan s, long id, boolean response) {
        probe.set(p, s.src, s.dst, (int) p.fieldLong(s.srcPort), (int) p.fieldLong(s.dstPort), s.transport, id);
        Transaction t = dns.get(probe);
        long now = now(p);
        if (!response) {
            if (t == null || t.response > 0 || now - t.requestNanos >= DNS_RETRANSMISSION_NANOS) {
                dns.put(probe.copy(), new Transaction(p.number, now));
            } else if (!sectionsThrew(p, layer)) {
                p.uint(layer, Dns.RETRANSMIT_REQUEST_IN, t.request);
                p.bool(layer, Dns.RETRANSMISSION, true);
                p.expert("DNS query retransmission. Original request in frame " + t.request);
            }
        } else if (t != null && t.response == 0) {
            t.response = p.number;
            if (!sectionsThrew(p, layer)) {
                p.uint(layer, Dns.RESPONSE_TO, t.request);
                p.seconds(layer, Dns.TIME, now - t.requestNanos);
            }
        } else if (t != null && !sectionsThrew(p, layer)) {
            p.uint(layer, Dns.RETRANSMIT_RESPONSE_IN, t.response);
            p.bool(layer, Dns.RETRANSMISSION, true);
            p.expert("DNS response retransmission. Original response in frame " + t.response);
        }
    }

    /**
     * Whether the DNS message's decoding stopped on an exception (malformed or cut short, and no layer
     * follows DNS's but the packet's own {@code _ws}: the exception was DNS's): Wireshark tracks the transaction before it reads the sections, but adds
     * the matching fields and the retransmission's note after them, so a message that throws shows none.
     */
    private static boolean sectionsThrew(Packet p, int layer) {
        if (p.malformedReason() == null && !p.isTruncated()) {
            return false;
        }
        for (int l = layer + 1; l < p.layerCount(); l++) {
            if (!p.layerName(l).equals(Dissector.WS.name())) {
                return false; // a layer after DNS: the exception was not DNS's
            }
        }
        return true;
    }

    /**
     * An echo request opens a transaction keyed by its reply's checksum (the request's, adjusted by the type's
     * difference in the sum: 8 → 0 for ICMP, 128 → 129 for ICMPv6), identifier and sequence number; a reply
     * closes the one it matches, if still open. Other types are left alone.
     */
    private void echo(Packet p, int layer, Scan s, boolean v6, long identSeq) {
        int type = (int) p.fieldLong(s.type);
        boolean request = v6 ? type == 128 : type == 8;
        boolean reply = v6 ? type == 129 : type == 0;
        if (!request && !reply || p.fieldLayer(s.type) != layer) {
            return;
        }
        int checksum = (int) p.fieldLong(s.checksum) & 0xffff;
        long key = request ? replyChecksum(checksum, v6) : checksum;
        probe.set(p, s.src, s.dst, 0, 0, v6 ? ICMPV6 : ICMP, key << 32 | identSeq);
        if (request) {
            icmp.put(probe.copy(), new Transaction(p.number, now(p)));
            return;
        }
        Transaction t = icmp.get(probe);
        if (t == null || t.response != 0) {
            return;
        }
        t.response = p.number;
        p.uint(layer, v6 ? Icmp.V6_RESP_TO : Icmp.RESP_TO, t.request);
        p.millis(layer, v6 ? Icmp.V6_RESPTIME : Icmp.RESPTIME, now(p) - t.requestNanos);
    }

    /** The one's-complement checksum of the reply to a request with this checksum and the same payload. */
    static int replyChecksum(int requestChecksum, boolean v6) {
        int sum = (~requestChecksum & 0xffff) + (v6 ? 0x0100 : ~0x0800 & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    /**
     * packet-http.c's pairing in a TCP conversation (its tcp.stream, so a reused port pair starts afresh), without
     * reassembly: a request opens a new pair; a response closes the latest pair if it has no response yet, else
     * opens a pair without a request. Only the latest pair and the one before it are ever shown, so they are all
     * that is kept. The message whose first field is {@code s.http} is handled, if any, then forgotten.
     */
    private void httpMessage(Packet p, Scan s) {
        if (s.http < 0) {
            return;
        }
        int layer = p.fieldLayer(s.http);
        boolean request = p.fieldKey(s.http) == Http.REQUEST;
        String fullUri = s.fullUri >= 0 && p.fieldLayer(s.fullUri) == layer ? (String) p.fieldObject(s.fullUri) : null;
        s.http = -1;
        s.fullUri = -1;
        long stream = tcpStream(p, layer);
        if (stream < 0 || !free(p, layer)) {
            return;
        }
        HttpConversation c = http.get(stream);
        if (c == null) {
            c = new HttpConversation();
            http.put(stream, c);
        }
        long now = now(p);
        if (request) {
            c.push(p.number, now);
            c.uri = fullUri;
            p.uint(layer, Http.REQUEST_NUMBER, c.number);
            if (c.prevRequest != 0) {
                p.uint(layer, Http.PREV_REQUEST_IN, c.prevRequest);
            }
            return;
        }
        if (c.number == 0 || c.response != 0) {
            c.push(0, 0);
        }
        c.response = p.number;
        p.uint(layer, Http.RESPONSE_NUMBER, c.number);
        if (c.request != 0) {
            p.uint(layer, Http.REQUEST_IN, c.request);
            p.seconds(layer, Http.TIME, now - c.requestNanos);
        }
        if (c.prevRequest != 0) {
            p.uint(layer, Http.PREV_REQUEST_IN, c.prevRequest);
        }
        if (c.prevResponse != 0) {
            p.uint(layer, Http.PREV_RESPONSE_IN, c.prevResponse);
        }
        if (c.uri != null) {
            p.string(layer, Http.RESPONSE_FOR_URI, c.uri);
        }
    }

    private static final int CLIENT_HELLO = 1, SERVER_HELLO = 2, CHANGE_CIPHER_SPEC = 20, TLS13 = 0x0304;
    static final String TLS_RESUMED = "This session reuses previously negotiated keys (Session resumption)";

    /**
     * packet-tls-utils.c's session resumption by session id, per TCP conversation: a ServerHello that echoes the
     * non-empty session id of the conversation's latest ClientHello resumes that session, and the server's next
     * ChangeCipherSpec says so (any later one of the server's does not); not in TLS 1.3, whose ServerHello echoes the
     * client's legacy session id anyway. The server is who sent the ServerHello.
     * Resumption by session ticket (no id) is not followed.
     */
    private TlsSession tlsSession(Packet p, int layer, boolean open) {
        long stream = tcpStream(p, layer);
        if (stream < 0 || !free(p, layer)) {
            return null;
        }
        TlsSession t = tls.get(stream);
        if (t == null && open) {
            t = new TlsSession();
            tls.put(stream, t);
        }
        return t;
    }

    private void tlsHello(Packet p, Scan s, int i) {
        int type = (int) p.fieldLong(i);
        s.hello = type == CLIENT_HELLO || type == SERVER_HELLO ? i : -1;
        TlsSession t = s.hello >= 0 && s.srcPort >= 0 ? tlsSession(p, p.fieldLayer(i), true) : null;
        if (t == null) {
            s.hello = -1;
        } else if (type == CLIENT_HELLO) {
            t.clientIdLength = 0;
        } else {
            t.resumed = false;
            t.serverPort = (int) p.fieldLong(s.srcPort);
        }
    }

    private void tlsSessionId(Packet p, Scan s, int i) {
        TlsSession t = tlsSession(p, p.fieldLayer(i), false);
        int offset = (int) (p.fieldLong(i) >>> 32);
        int length = (int) p.fieldLong(i);
        byte[] b = p.fieldBytes(i);
        boolean client = p.fieldLong(s.hello) == CLIENT_HELLO;
        if (t == null || length > t.clientId.length) {
            return;
        }
        if (client) {
            System.arraycopy(b, offset, t.clientId, 0, length);
            t.clientIdLength = length;
        } else {
            t.resumed = length == t.clientIdLength
                    && java.util.Arrays.equals(b, offset, offset + length, t.clientId, 0, length);
        }
    }

    /** TLS 1.3 or one of its drafts (0x7fNN), as Wireshark counts them. */
    private static boolean tls13(long version) {
        return version == TLS13 || (version & 0xff00) == 0x7f00;
    }

    /** A ServerHello that selects TLS 1.3 (which echoes the client's legacy session id) resumes nothing. */
    private void tls13(Packet p, Scan s, int i) {
        TlsSession t = p.fieldLong(s.hello) == SERVER_HELLO ? tlsSession(p, p.fieldLayer(i), false) : null;
        if (t != null) {
            t.resumed = false;
        }
    }

    private void tlsChangeCipherSpec(Packet p, Scan s, int i) {
        TlsSession t = s.srcPort >= 0 ? tlsSession(p, p.fieldLayer(i), false) : null;
        if (t == null || t.serverPort != (int) p.fieldLong(s.srcPort)) {
            return;
        }
        if (t.resumed) {
            p.expert(TLS_RESUMED);
        }
        t.resumed = false;
    }

    /** A TCP conversation's TLS session: the latest ClientHello's session id, the server's port, whether resumed. */
    private static final class TlsSession {
        final byte[] clientId = new byte[32];
        int clientIdLength;
        int serverPort = -1;
        boolean resumed;
    }

    /** The tcp.stream of the TCP header the layer is carried in, or -1. */
    private static long tcpStream(Packet p, int layer) {
        int tcpLayer = -1;
        for (int i = 0; i < p.tcpCount(); i++) {
            if (p.tcpLayer(i) < layer) {
                tcpLayer = Math.max(tcpLayer, p.tcpLayer(i));
            }
        }
        for (int i = p.size() - 1; i >= 0 && tcpLayer >= 0; i--) {
            if (p.fieldKey(i) == Tcp.STREAM && p.fieldLayer(i) == tcpLayer) {
                return p.fieldLong(i);
            }
        }
        return -1;
    }

    /** The latest request/response pair of a TCP conversation and the frames of the pair before it (0: none). */
    private static final class HttpConversation {
        long number;
        long request;
        long requestNanos;
        long response;
        long prevRequest;
        long prevResponse;
        /** The latest request's full URI (http.request.full_uri), or its URI without a Host header; or null. */
        String uri;

        void push(long requestFrame, long nanos) {
            if (number > 0) {
                prevRequest = request;
                prevResponse = response;
            }
            number++;
            request = requestFrame;
            requestNanos = nanos;
            response = 0;
        }
    }

    /** Who asked when, and the frame that answered (0: none yet). */
    private static final class Transaction {
        final long request;
        final long requestNanos;
        long response;

        Transaction(long request, long requestNanos) {
            this.request = request;
            this.requestNanos = requestNanos;
        }
    }

    /** The conversation (endpoints either way round, transport) and the transaction's own key within it. */
    static final class Key {
        final ConvKey ends;
        int kind;
        long id;

        Key() {
            this(new ConvKey());
        }

        private Key(ConvKey ends) {
            this.ends = ends;
        }

        void set(Packet p, int src, int dst, int srcPort, int dstPort, int kind, long id) {
            ends.set(p, src, dst, srcPort, dstPort);
            this.kind = kind;
            this.id = id;
        }

        Key copy() {
            Key k = new Key(ends.copy());
            k.kind = kind;
            k.id = id;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && k.id == id && k.ends.equals(ends);
        }

        @Override
        public int hashCode() {
            return (ends.hashCode() * 31 + kind) * 31 + Long.hashCode(id);
        }
    }
}
