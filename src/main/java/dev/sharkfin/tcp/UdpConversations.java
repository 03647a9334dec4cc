package dev.sharkfin.tcp;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sharkfin.dissect.Field;
import dev.sharkfin.dissect.Icmp;
import dev.sharkfin.dissect.Ipv4;
import dev.sharkfin.dissect.Ipv6;
import dev.sharkfin.dissect.Packet;
import dev.sharkfin.dissect.Sflow;
import dev.sharkfin.dissect.Udp;

/**
 * UDP conversations as Wireshark 4.0 numbers them ({@code packet-udp.c} with its default
 * {@code udp.calculate_timestamps}): every UDP header of a dissected packet gets {@code udp.stream}, the index of
 * its conversation (the two address/port endpoints of the enclosing IP header, either direction, numbered from 0
 * in order of first appearance), and {@code udp.time_relative} / {@code udp.time_delta}, the time since the
 * conversation's first datagram and since its previous one.
 *
 * <p>A UDP header quoted in an ICMP error or sampled by sFlow belongs to the conversation of its (quoted)
 * addresses and ports, which it creates if needed, as Wireshark's conversation lookup does; it has no times and
 * does not move the conversation's previous time; nor has an empty datagram (length 8). A header whose
 * length is below 8 (0 in IPv4) has no conversation: Wireshark stops at it. The inner UDP of a tunnel belongs
 * to the inner addresses.
 * A header whose layer the TCP analysis hid (the payload of a retransmission, which Wireshark does not dissect)
 * is left alone, so run this after {@link TcpFields}.
 *
 * <p>Contract: one instance per capture, single-threaded, packets fed in capture order. Memory is bounded: at
 * most {@link #MAX_CONVERSATIONS} conversations are kept, the least recently seen one is forgotten first (a
 * forgotten conversation that comes back gets a new stream number; tshark keeps them all). The steady state
 * allocates nothing: lookups go through a reusable probe key; a new conversation allocates its key and state.
 */
public final class UdpConversations {
    /**
     * Conversations kept at once (about 130 bytes each, some 35 MB at most). Past it, the conversation seen
     * longest ago goes, much as the TCP analysis caps what a flow remembers (its 10000 unacked segments).
     */
    static final int MAX_CONVERSATIONS = 1 << 18;

    private final Map<ConvKey, Conversation> conversations;
    private final ConvKey probe = new ConvKey();
    private long streamCount;

    public UdpConversations() {
        this(MAX_CONVERSATIONS);
    }

    UdpConversations(int max) {
        conversations = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ConvKey, Conversation> eldest) {
                return size() > max;
            }
        };
    }

    /** Number of UDP conversations (streams) numbered so far. */
    public long streamCount() {
        return streamCount;
    }

    /** Appends the conversation fields to every UDP layer of the packet. */
    public void analyze(Packet p) {
        int n = p.size();
        int src = -1;
        int dst = -1;
        int srcPort = -1;
        int dstPort = -1;
        int length = -1;
        for (int i = 0; i < n; i++) {
            Field k = p.fieldKey(i);
            if (k == Ipv4.SRC || k == Ipv6.SRC) {
                src = i;
            } else if (k == Ipv4.DST || k == Ipv6.DST) {
                dst = i;
            } else if (k == Udp.SRCPORT) {
                srcPort = i;
                dstPort = -1;
                length = -1;
            } else if (k == Udp.DSTPORT) {
                dstPort = i;
            } else if (k == Udp.LENGTH) {
                length = i;
            } else if (k == Udp.CHECKSUM && srcPort >= 0 && dstPort >= 0 && length >= 0 && src >= 0 && dst >= 0
                    && p.fieldLayer(srcPort) == p.fieldLayer(i) && p.fieldLayer(length) == p.fieldLayer(i)) {
                // The checksum is the header's last field: the whole header was there.
                int layer = p.fieldLayer(i);
                if (!p.isHidden(layer) && lengthIsValid(p.fieldLong(length), (int) p.fieldLong(src))) {
                    datagram(p, layer, src, dst, (int) p.fieldLong(srcPort), (int) p.fieldLong(dstPort), p.fieldLong(length) == 8);
                }
                srcPort = -1;
            }
        }
    }

    /**
     * Wireshark stops at a UDP length below the header's 8 bytes before it looks up the conversation; zero is a
     * jumbogram's length (RFC 2675) in IPv6 only.
     */
    private static boolean lengthIsValid(long length, int addressLength) {
        return length >= 8 || length == 0 && addressLength == 16;
    }

    private void datagram(Packet p, int layer, int src, int dst, int srcPort, int dstPort, boolean empty) {
        probe.set(p, src, dst, srcPort, dstPort);
        Conversation c = conversations.get(probe);
        if (c == null) {
            c = new Conversation(streamCount++);
            conversations.put(probe.copy(), c);
        }
        p.uint(layer, Udp.STREAM, c.stream);
        if (empty || quoted(p, layer)) {
            return; // Wireshark times neither an empty datagram nor a quoted one
        }
        // A frame without a timestamp (a pcapng simple packet block) is at time 0 for Wireshark, as for frame.time_delta.
        long now = p.wireNanos == Packet.NO_TIME ? 0 : p.wireNanos;
        if (!c.timed) {
            c.timed = true;
            c.first = now;
            c.previous = now;
        }
        p.seconds(layer, Udp.TIME_RELATIVE, now - c.first);
        p.seconds(layer, Udp.TIME_DELTA, now - c.previous);
        c.previous = now;
    }

    /** Whether the UDP layer is inside an ICMP error or an sFlow sample (a layer before it is ICMP or sFlow). */
    private static boolean quoted(Packet p, int layer) {
        for (int l = 0; l < layer; l++) {
            String name = p.layerName(l);
            if (name.equals(Icmp.ICMP.name()) || name.equals(Icmp.ICMPV6.name()) || name.equals(Sflow.PROTOCOL.name())) {
                return true;
            }
        }
        return false;
    }

    /** Numbered at first sight; timed from the first datagram that is not quoted. */
    private static final class Conversation {
        final long stream;
        boolean timed;
        long first;
        long previous;

        Conversation(long stream) {
            this.stream = stream;
        }
    }
}
