package dev.sharkfin.dissect;

import java.util.Arrays;

/**
 * What the decoders learned about one frame, as flat primitive columns that are reused from frame to
 * frame: a list of layers (protocol objects, in order) and a list of fields, each tagged with its layer.
 *
 * <p>Fields are the catalog's {@link Field} constants (their keys are Wireshark display-filter names with
 * dots turned into underscores), held by reference, so the writer compares them by identity and a field
 * costs no more than a pointer. A field added twice to one layer is written as an array; a field may be
 * added to any layer at any time (the TCP analysis appends to the TCP layer after the dissectors are
 * done). With assertions on (the tests), each value is checked against its field's declared type.
 */
public final class Packet {
    public static final byte UINT = 1, INT = 2, BOOL = 3, DOUBLE = 4, STRING = 5, IPV4 = 6, IPV6 = 7, MAC = 8,
            TIME = 9, HEX = 10, PROTOCOLS = 11, BYTES = 12;

    /** A frame's {@link #wireNanos} when the capture gives it no timestamp: capture.Frame#NO_TIME. */
    public static final long NO_TIME = Long.MIN_VALUE;

    // Frame metadata.
    public long number;
    public long timeNanos;
    /** The capture's own clock (see capture.Frame#wireNanos): what time differences are taken from. */
    public long wireNanos;
    public int capturedLength;
    public int originalLength;
    public int linkType;
    public byte[] data;
    /** The bytes the decoders read now: the frame's, until a reassembled datagram takes over. */
    byte[] buffer;
    /** The capture's fragment reassembly (set by the dissector). */
    Reassembly reassembly;
    /** The capture's ARP address pairs, for Wireshark's duplicate address detection (set by the dissector). */
    ArpAddresses arpAddresses;

    // Layers.
    private String[] layerNames = new String[16];
    private boolean[] hidden = new boolean[16];
    /** Layers listed in frame.protocols only, without a document object (Wireshark's ethertype). */
    private boolean[] bare = new boolean[16];
    /** Layers with a document object that frame.protocols does not list (Sharkfin's own). */
    private boolean[] unlisted = new boolean[16];
    private int layerCount;
    private int current = -1;

    // Fields, one entry per column index.
    private int size;
    private int[] layer = new int[128];
    private Field[] key = new Field[128];
    private byte[] type = new byte[128];
    private long[] longs = new long[128];
    private double[] doubles = new double[128];
    private Object[] objects = new Object[128];

    // Network context for the transport decoders: the last IP header's addresses in data.
    int addressLength;
    /** The bytes the addresses are in: the frame's, or a reassembled datagram's (an IP header inside it). */
    byte[] addressData;
    int srcAddressOffset;
    int dstAddressOffset;
    /** The last UDP header's destination port (Wireshark's {@code pinfo->destport}), 0 before any. */
    int destPort;

    // TCP headers found in this frame (more than one inside tunnels and sFlow samples).
    private static final int MAX_TCP = 16;
    private final TcpSegment[] tcp = new TcpSegment[MAX_TCP];

    {
        for (int i = 0; i < MAX_TCP; i++) {
            tcp[i] = new TcpSegment();
        }
    }
    private final int[] tcpLayer = new int[tcp.length];
    private int tcpCount;

    /**
     * The most sub-packets a frame's decoders may queue ({@link #queue}): more than the sFlow datagrams of the shared
     * corpus hold; one past it is not decoded (its record's fields still are), and the frame's _ws_unsupported says so.
     */
    public static final int MAX_QUEUED = 16;
    // Sub-packets queued for the dissector, in order: where their bytes are, and their first decoder's key.
    private final byte[][] queuedData = new byte[MAX_QUEUED][];
    private final int[] queuedStart = new int[MAX_QUEUED];
    private final int[] queuedLength = new int[MAX_QUEUED];
    private final int[] queuedNext = new int[MAX_QUEUED];
    private int queued;
    private int dequeued;
    private int notQueued;

    private String malformed;
    private boolean truncated;
    private String malformedGroup;
    /** Expert information, in Wireshark's tree order (see {@link #expert(String)}). */
    private String[] experts = new String[8];
    private int expertCount;
    /**
     * Where the payload of the last Ethernet or 802.1Q ethertype starts in the frame (-1: none), how many expert
     * messages came before it, and whether an FCS may end the frame (Ethernet at the frame's start, not 802.1Q):
     * what {@link Ethernet#trailer} needs to check the trailer after the payload.
     */
    int ethertypePayload = -1;
    int ethertypeExperts;
    boolean ethertypeFcs;
    /** The field (and its layer) that shows the trailer after that payload, or null: MACsec's ICV. */
    Field ethertypeTrailer;
    int ethertypeTrailerLayer;
    /** Inside an ICMP error's quoted datagram: decoded, but not part of any conversation. */
    boolean inError;
    /** Inside an sFlow sample: decoded as Wireshark does a quoted datagram, but its payload is decoded too. */
    boolean sampled;
    /**
     * Inside the first fragment of a datagram that could not be reassembled (cut short): decoded as far as it goes,
     * as Wireshark does ({@code pinfo->fragmented}), with no length for a transport layer to trust: UDP skips its
     * length check, TCP shows no tcp.len and is not analysed.
     */
    boolean fragmented;

    public void reset(long number, long timeNanos, byte[] data, int capturedLength, int originalLength, int linkType) {
        this.number = number;
        this.timeNanos = timeNanos;
        this.wireNanos = timeNanos;
        this.data = data;
        this.buffer = data;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.linkType = linkType;
        Arrays.fill(objects, 0, size, null);
        size = 0;
        layerCount = 0;
        current = -1;
        tcpCount = 0;
        malformed = null;
        malformedGroup = null;
        truncated = false;
        Arrays.fill(experts, 0, expertCount, null);
        expertCount = 0;
        inError = false;
        fragmented = false;
        sampled = false;
        Arrays.fill(queuedData, 0, queued, null);
        queued = dequeued = notQueued = 0;
        ethertypePayload = -1;
        addressLength = srcAddressOffset = dstAddressOffset = destPort = 0;
        addressData = null;
    }

    /** Opens a new layer for the protocol's (first) document object; later fields go to it. Returns its index. */
    public int layer(Protocol protocol) {
        return layer(protocol.layers().get(0));
    }

    /** Opens a new layer by the name of one of its protocol's document objects ({@link Protocol#layer(String)}). */
    int layer(String name) {
        if (layerCount == layerNames.length) {
            layerNames = Arrays.copyOf(layerNames, layerCount * 2);
            hidden = Arrays.copyOf(hidden, layerCount * 2);
            bare = Arrays.copyOf(bare, layerCount * 2);
            unlisted = Arrays.copyOf(unlisted, layerCount * 2);
        }
        layerNames[layerCount] = name;
        hidden[layerCount] = false;
        bare[layerCount] = false;
        unlisted[layerCount] = false;
        current = layerCount++;
        return current;
    }

    /**
     * Lists a protocol in frame.protocols without a document object: a dispatching step Wireshark shows as a
     * protocol (its {@code ethertype} after a link layer). The current layer stays where it was.
     */
    void pass(String name) {
        int was = current;
        int l = layer(name);
        bare[l] = true;
        current = was;
    }

    /** Leaves a layer of Sharkfin's own out of frame.protocols (its object is written). */
    void unlisted(int layerIndex) {
        unlisted[layerIndex] = true;
    }

    /** Whether frame.protocols leaves the layer out ({@link #unlisted}). */
    public boolean isUnlisted(int i) {
        return unlisted[i];
    }

    /** Whether a layer is listed in frame.protocols only ({@link #pass}). */
    public boolean isBare(int i) {
        return bare[i];
    }

    public int layerCount() {
        return layerCount;
    }

    public String layerName(int i) {
        return layerNames[i];
    }

    /**
     * Takes back what was decoded from a TCP segment's payload (the layers after {@code layerIndex} but the
     * packet's own {@code _ws}): Wireshark does not hand the payload of a retransmitted or out-of-order
     * segment to the application dissectors, which only the TCP analysis, after dissection, can tell.
     */
    public void hidePayloadOf(int layerIndex) {
        for (int l = layerIndex + 1; l < layerCount; l++) {
            hidden[l] = !layerNames[l].equals(Dissector.WS.name());
        }
    }

    public boolean isHidden(int i) {
        return hidden[i];
    }

    /**
     * The index of a new field. It may grow the columns, so callers take the index before they touch an
     * array ({@code longs[slot(..)] = v} would write to the array as it was before growing).
     */
    private int slot(int layerIndex, Field k, byte t) {
        assert k.type().accepts(t) : k + " is declared " + k.type().label() + ", written as encoding " + t;
        if (size == key.length) {
            int n = size * 2;
            layer = Arrays.copyOf(layer, n);
            key = Arrays.copyOf(key, n);
            type = Arrays.copyOf(type, n);
            longs = Arrays.copyOf(longs, n);
            doubles = Arrays.copyOf(doubles, n);
            objects = Arrays.copyOf(objects, n);
        }
        layer[size] = layerIndex;
        key[size] = k;
        type[size] = t;
        return size++;
    }

    public void uint(Field k, long v) {
        int i = slot(current, k, UINT);
        longs[i] = v;
    }

    public void uint(int layerIndex, Field k, long v) {
        int i = slot(layerIndex, k, UINT);
        longs[i] = v;
    }

    public void sint(int layerIndex, Field k, long v) {
        int i = slot(layerIndex, k, INT);
        longs[i] = v;
    }

    public void bool(Field k, boolean v) {
        int i = slot(current, k, BOOL);
        longs[i] = v ? 1 : 0;
    }

    public void bool(int layerIndex, Field k, boolean v) {
        int i = slot(layerIndex, k, BOOL);
        longs[i] = v ? 1 : 0;
    }

    public void decimal(int layerIndex, Field k, double v) {
        int i = slot(layerIndex, k, DOUBLE);
        doubles[i] = v;
    }

    /**
     * Milliseconds as an exact decimal (Wireshark's ICMP response times, a double of milliseconds it prints to 15
     * digits): the nanoseconds, scaled by 1000, take the seconds' path, whose nine fraction digits are then exact
     * milliseconds with nanosecond digits. Beyond 106 days, a double.
     */
    public void millis(int layerIndex, Field k, long nanos) {
        if (Math.abs(nanos) <= Long.MAX_VALUE / 1000) {
            seconds(layerIndex, k, nanos * 1000);
        } else {
            decimal(layerIndex, k, nanos / 1e6);
        }
    }

    /** Seconds as a decimal with nanosecond digits (Wireshark's relative times, RTTs). */
    public void seconds(int layerIndex, Field k, long nanos) {
        int i = slot(layerIndex, k, DOUBLE);
        longs[i] = nanos;
        doubles[size - 1] = Double.NaN;
    }

    public void string(Field k, String v) {
        int i = slot(current, k, STRING);
        objects[i] = v;
    }

    public void string(int layerIndex, Field k, String v) {
        int i = slot(layerIndex, k, STRING);
        objects[i] = v;
    }

    /** An address or byte string that stays in the frame's bytes until the writer formats it. */
    public void bytes(Field k, byte t, int offset, int length) {
        bytes(current, k, t, offset, length);
    }

    /** As {@link #bytes(Field, byte, int, int)}, to a given layer. */
    public void bytes(int layerIndex, Field k, byte t, int offset, int length) {
        int i = slot(layerIndex, k, t);
        longs[i] = ((long) offset << 32) | length;
        if (buffer != data) {
            objects[i] = buffer; // decoded from a reassembled datagram, not from the frame's bytes
        }
    }

    /** The bytes a byte-valued field points into: the frame's, or a reassembled datagram's. */
    public byte[] fieldBytes(int i) {
        return objects[i] instanceof byte[] b ? b : data;
    }

    public void time(int layerIndex, Field k, long epochNanos) {
        int i = slot(layerIndex, k, TIME);
        longs[i] = epochNanos;
    }

    public void hex(Field k, long v, int digits) {
        int i = slot(current, k, HEX);
        longs[i] = v;
        doubles[i] = digits;
    }

    public void protocols(int layerIndex, Field k) {
        slot(layerIndex, k, PROTOCOLS);
    }

    public int size() {
        return size;
    }

    public int fieldLayer(int i) {
        return layer[i];
    }

    public Field fieldKey(int i) {
        return key[i];
    }

    public byte fieldType(int i) {
        return type[i];
    }

    public long fieldLong(int i) {
        return longs[i];
    }

    public double fieldDouble(int i) {
        return doubles[i];
    }

    public Object fieldObject(int i) {
        return objects[i];
    }

    // TCP headers.

    TcpSegment nextTcp(int layerIndex) {
        if (tcpCount == tcp.length) {
            return null;
        }
        TcpSegment s = tcp[tcpCount];
        tcpLayer[tcpCount++] = layerIndex;
        s.reset();
        return s;
    }

    public int tcpCount() {
        return tcpCount;
    }

    public TcpSegment tcp(int i) {
        return tcp[i];
    }

    public int tcpLayer(int i) {
        return tcpLayer[i];
    }

    // Sub-packets: one datagram that carries several packets (sFlow's samples).

    /**
     * Queues a sub-packet of {@code length} bytes at {@code start} in the bytes the decoders read now, to be decoded
     * from the decoder {@code next} ({@link Dispatch}) once the current chain of decoders stops: as Wireshark
     * decodes each of a datagram's sampled packets in turn, each one's layers follow the ones before in the
     * document and in frame.protocols. It is decoded as sampled ({@link #inError}, {@link #sampled}). Returns
     * false, queuing nothing, when {@link #MAX_QUEUED} are queued already.
     */
    boolean queue(int start, int length, int next) {
        if (queued == MAX_QUEUED) {
            notQueued++;
            return false;
        }
        queuedData[queued] = buffer;
        queuedStart[queued] = start;
        queuedLength[queued] = length;
        queuedNext[queued++] = next;
        return true;
    }

    /** How many sub-packets {@link #queue} refused past {@link #MAX_QUEUED}: shown in {@code _ws_unsupported}. */
    int notQueued() {
        return notQueued;
    }

    /** Whether a queued sub-packet is waiting ({@link #queue}). */
    boolean hasQueued() {
        return dequeued < queued;
    }

    /**
     * Takes the next queued sub-packet: points the cursor at its bytes (all captured; the sub-packet's length is its
     * reported one), starts a fresh chain's context (no ethertype payload, no addresses, sampled) and returns the key
     * of its first decoder.
     */
    int dequeue(Cursor c) {
        int i = dequeued++;
        buffer = queuedData[i];
        c.window(buffer, queuedStart[i], queuedLength[i]);
        inError = true;
        sampled = true;
        fragmented = false;
        ethertypePayload = -1;
        addressLength = srcAddressOffset = dstAddressOffset = 0;
        addressData = null;
        return queuedNext[i];
    }

    // Malformed and truncated packets are data, not exceptions.

    /**
     * Marks the packet malformed; the first reason is kept. Not inside an ICMP error's quoted datagram, which is
     * cut short by design: Wireshark catches what goes wrong there and flags nothing.
     */
    public void malformed(String reason) {
        if (malformed == null && !inError) {
            malformed = reason;
        }
    }

    /**
     * Expert information of Wireshark's Malformed group: an error it reports and goes on after (a length past the
     * payload). As in Wireshark, the packet counts as malformed ({@code _ws.malformed}, this message its reason
     * unless one came first), but without the "Malformed Packet (Exception occurred)" item of a dissector that
     * threw ({@link #malformed}). Not inside an ICMP error's quoted datagram.
     */
    public void malformedExpert(String message) {
        expert(message);
        if (!inError && malformedGroup == null) {
            malformedGroup = message;
        }
    }

    /** Whether the packet is malformed: a decoder threw ({@link #malformed}) or reported a malformed-group error. */
    public boolean isMalformed() {
        return malformed != null || malformedGroup != null;
    }

    /** Why the packet is malformed: the exception's reason, else the first malformed-group message; null if it is not. */
    public String malformedWhy() {
        return malformed != null ? malformed : malformedGroup;
    }

    /**
     * Expert information as Wireshark words it ({@code _ws.expert.message}): a problem it reports while it goes
     * on decoding (a length field larger than the packet), a TCP chat (Connection finish (FIN)), ... Appended
     * in tree order; the TCP analysis, which runs after dissection, inserts its own at the place its TCP header
     * ended ({@link #insertExpert}). Not a malformed packet.
     */
    public void expert(String message) {
        insertExpert(expertCount, message);
    }

    /** Inserts an expert message at {@code index} (0 ... {@link #expertCount()}), the later ones move on. */
    public void insertExpert(int index, String message) {
        if (expertCount == experts.length) {
            experts = Arrays.copyOf(experts, expertCount * 2);
        }
        System.arraycopy(experts, index, experts, index + 1, expertCount - index);
        experts[index] = message;
        expertCount++;
    }

    /** Drops the expert messages from {@code index} on (those of a payload Wireshark does not dissect). */
    public void truncateExperts(int index) {
        Arrays.fill(experts, index, expertCount, null);
        expertCount = Math.min(expertCount, index);
    }

    public int expertCount() {
        return expertCount;
    }

    public String expert(int i) {
        return experts[i];
    }

    /** The first expert message, or null. */
    public String expertMessage() {
        return expertCount == 0 ? null : experts[0];
    }

    /** Marks the packet cut short by the snapshot length; not inside an ICMP error's quoted datagram (as above). */
    public void truncated() {
        truncated |= !inError;
    }

    public String malformedReason() {
        return malformed;
    }

    public boolean isTruncated() {
        return truncated;
    }
}
