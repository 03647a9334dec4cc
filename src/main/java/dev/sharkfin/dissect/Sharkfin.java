package dev.sharkfin.dissect;


/**
 * Sharkfin's own object on every document of a job: which capture the packet comes from, so that one data view over
 * {@code packets-*} (Kibana's dashboard) can pick a capture, and a TCP stream key that is unique across captures
 * ({@code tcp.stream} restarts at 0 in every capture). Not a decoder: the document writer's caller adds it after
 * dissection and analysis, from the job. One instance per capture and thread.
 *
 * <p>Allocation: the capture's strings are made once per job, a stream's key once per stream (again only when
 * {@value #CACHED_KEYS} newer streams took its cache slot), none per packet; memory does not grow with the streams.
 */
public final class Sharkfin {
    public static final Protocol PROTOCOL = Protocol.of("sharkfin", "Capture identity (Sharkfin's own)");
    public static final Field JOB = PROTOCOL.sharkfinOnly("sharkfin_job", FieldType.KEYWORD,
            "The id of the job that indexed the packet (its index is packets-<job id>)", null);
    public static final Field CAPTURE = PROTOCOL.sharkfinOnly("sharkfin_capture", FieldType.KEYWORD,
            "The capture, for people and pickers: its source (uploaded file name, or live:<interface>) and job id, "
                    + "\"<source> (<job id>)\"", null);
    public static final Field TCP_STREAM = PROTOCOL.sharkfinOnly("sharkfin_tcp_stream", FieldType.KEYWORD,
            "tcp.stream made unique across captures: \"<job id>/<tcp.stream>\" (TCP packets only)", null);

    private final String job;
    private final String capture;
    /** Stream keys kept for reuse; a power of two. */
    static final int CACHED_KEYS = 4096;
    private final String[] streamKeys = new String[CACHED_KEYS];
    private final int[] cachedStream = new int[CACHED_KEYS];

    /** @param job the job id; @param source the file name or {@code live:<interface>}, or null */
    public Sharkfin(String job, String source) {
        this.job = job;
        this.capture = source == null || source.isBlank() ? job : source + " (" + job + ")";
    }

    /** The capture's name as {@link #CAPTURE} holds it. */
    public String capture() {
        return capture;
    }

    /** Adds the object to a dissected and analysed packet. */
    public void write(Packet p) {
        long stream = -1;
        for (int i = 0, n = p.size(); i < n; i++) {
            if (p.fieldKey(i) == Tcp.STREAM) {
                stream = p.fieldLong(i);
                break;
            }
        }
        int l = p.layer(PROTOCOL);
        p.unlisted(l);
        p.string(l, JOB, job);
        p.string(l, CAPTURE, capture);
        if (stream >= 0 && stream < Integer.MAX_VALUE) {
            p.string(l, TCP_STREAM, streamKey((int) stream));
        }
    }

    /**
     * The key of a stream, from a direct-mapped cache of {@value #CACHED_KEYS} keys: a stream's packets find the key
     * made at its first one, and the cache stays that size however many streams a capture opens (a capture of
     * millions of SYNs opens millions), an old stream's key made again if a newer one took its place.
     */
    String streamKey(int stream) {
        int slot = stream & (CACHED_KEYS - 1);
        if (cachedStream[slot] != stream || streamKeys[slot] == null) {
            cachedStream[slot] = stream;
            streamKeys[slot] = job + "/" + stream;
        }
        return streamKeys[slot];
    }
}
