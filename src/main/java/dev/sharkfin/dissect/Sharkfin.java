package dev.sharkfin.dissect;

import java.util.Arrays;

/**
 * Sharkfin's own object on every document of a job: which capture the packet comes from, so that one data view over
 * {@code packets-*} (Kibana's dashboard) can pick a capture, and a TCP stream key that is unique across captures
 * ({@code tcp.stream} restarts at 0 in every capture). Not a decoder: the document writer's caller adds it after
 * dissection and analysis, from the job. One instance per capture and thread.
 *
 * <p>Allocation: the capture's strings are made once per job, a stream's key once per stream, none per packet.
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
    private String[] streamKeys = new String[64];

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

    /** The key of a stream, made at its first packet and kept: streams are numbered densely from 0. */
    String streamKey(int stream) {
        if (stream >= streamKeys.length) {
            streamKeys = Arrays.copyOf(streamKeys, Math.max(stream + 1, streamKeys.length * 2));
        }
        String key = streamKeys[stream];
        if (key == null) {
            key = job + "/" + stream;
            streamKeys[stream] = key;
        }
        return key;
    }
}
