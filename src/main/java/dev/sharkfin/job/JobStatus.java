package dev.sharkfin.job;

import java.time.Instant;
import java.util.List;

import dev.sharkfin.index.IndexFailure;
import io.swagger.v3.oas.annotations.media.Schema;

/** A job as the API shows it: a consistent snapshot. */
@Schema(description = "An ingestion job: one upload or one live capture, dissected and indexed into its own index")
public record JobStatus(
        @Schema(description = "Job id: lowercase, safe in an index name", example = "20261126-104912-3fa9c1") String id,
        @Schema(description = "What made the job: upload, or live (a capture from an interface)", example = "upload") String kind,
        @Schema(description = "queued | running | succeeded | failed | cancelled", example = "succeeded") String state,
        @Schema(description = "The uploaded file's name, or for a live capture 'live:<interface>'", example = "transfer.pcap") String source,
        @Schema(description = "The job's own Elasticsearch index", example = "packets-20261126-104912-3fa9c1") String index,
        @Schema(description = "Packets read from the capture (for a live capture: from its spool, behind packetsCaptured)") long packetsRead,
        @Schema(description = "Packets Elasticsearch accepted") long packetsIndexed,
        @Schema(description = "Packets Elasticsearch refused; the first reasons are in failures") long packetsFailed,
        @Schema(description = "Capture bytes read so far") long bytesRead,
        @Schema(description = "Capture size in bytes (decompressed)") long bytesTotal,
        @Schema(description = "0 to 1") double progress,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Capture time of the first packet") Instant firstPacketTime,
        @Schema(description = "Capture time of the last packet") Instant lastPacketTime,
        @Schema(description = "Null, or what went wrong, in words") String error,
        @Schema(description = "Things worth knowing that did not stop the job (a capture cut short, a damaged gzip stream)") List<String> warnings,
        @Schema(description = "The first per-document failures from Elasticsearch, with frame numbers") List<IndexFailure> failures,
        @Schema(description = "For a live capture: what it was asked and how it is doing; null for an upload") LiveStatus live,
        @Schema(description = "The built-in page charting the job's TCP streams (bytes in flight, duplicate ACKs, "
                + "retransmissions, window, throughput)", example = "/jobs/20261126-104912-3fa9c1") String viewUrl,
        @Schema(description = "Downloads the job's capture: the stored upload, or a live capture's pcapng (while it runs, "
                + "up to its last complete packet)", example = "/api/jobs/20261126-104912-3fa9c1/pcap") String pcapUrl,
        @Schema(description = "With Kibana configured and the job succeeded: the 'TCP congestion control' dashboard "
                + "filtered to this job's index, its time range the capture's first to last packet; else null") String dashboardUrl) {

    public JobStatus(String id, String kind, String state, String source, String index, long packetsRead,
            long packetsIndexed, long packetsFailed, long bytesRead, long bytesTotal, double progress, Instant createdAt,
            Instant startedAt, Instant finishedAt, Instant firstPacketTime, Instant lastPacketTime, String error,
            List<String> warnings, List<IndexFailure> failures) {
        this(id, kind, state, source, index, packetsRead, packetsIndexed, packetsFailed, bytesRead, bytesTotal, progress,
                createdAt, startedAt, finishedAt, firstPacketTime, lastPacketTime, error, warnings, failures, null, null,
                null, null);
    }

    /** The same job with its links. */
    public JobStatus withLinks(String viewUrl, String pcapUrl, String dashboardUrl) {
        return new JobStatus(id, kind, state, source, index, packetsRead, packetsIndexed, packetsFailed, bytesRead,
                bytesTotal, progress, createdAt, startedAt, finishedAt, firstPacketTime, lastPacketTime, error, warnings,
                failures, live, viewUrl, pcapUrl, dashboardUrl);
    }

    /** The same job, ended as failed for {@code reason}. */
    JobStatus failed(String reason) {
        return ended(JobState.FAILED, reason, finishedAt);
    }

    /** The same job, cancelled now (asked while no instance ran it). */
    JobStatus cancelled() {
        return ended(JobState.CANCELLED, null, Instant.now());
    }

    private JobStatus ended(JobState state, String reason, Instant finished) {
        return new JobStatus(id, kind, state.json(), source, index, packetsRead, packetsIndexed, packetsFailed,
                bytesRead, bytesTotal, progress, createdAt, startedAt, finished, firstPacketTime, lastPacketTime, reason,
                warnings, failures, live == null ? null : live.ended(), null, null, null);
    }

    /**
     * A live capture as its job shows it.
     *
     * @param interfaceName      the interface captured on
     * @param filter             the BPF filter, or null
     * @param snaplen            bytes kept of each packet
     * @param promiscuous        whether the interface was put in promiscuous mode
     * @param maxPackets         the packet limit (0: none)
     * @param maxDuration        the duration limit, ISO-8601
     * @param maxBytes           the spool size limit, bytes
     * @param capturing          whether the capture still runs (indexing may go on after it)
     * @param packetsCaptured    packets written to the spool
     * @param bytesCaptured      the spool's size
     * @param droppedByKernel    packets the kernel dropped because the capture did not keep up (libpcap's ps_drop)
     * @param droppedByInterface packets the interface or driver dropped (libpcap's ps_ifdrop)
     * @param endReason          null while capturing; then maxPackets, maxBytes, maxDuration, stopped, cancelled, error or
     *                           interrupted (the instance capturing stopped; its spool was indexed after a restart)
     */
    @Schema(description = "A live capture: its request, counters and libpcap's drop counts")
    public record LiveStatus(
            @com.fasterxml.jackson.annotation.JsonProperty("interface") @Schema(example = "eth0") String interfaceName,
            @Schema(description = "BPF filter, or null", example = "tcp port 443") String filter,
            int snaplen, boolean promiscuous,
            @Schema(description = "Packet limit, 0 for none") long maxPackets,
            @Schema(description = "Duration limit, ISO-8601", example = "PT10M") String maxDuration,
            @Schema(description = "Spool size limit in bytes") long maxBytes,
            @Schema(description = "Whether the capture still runs; indexing may go on after it ends") boolean capturing,
            @Schema(description = "Packets written to the capture's spool") long packetsCaptured,
            @Schema(description = "The spool's size in bytes") long bytesCaptured,
            @Schema(description = "Packets the kernel dropped because the capture did not keep up (libpcap ps_drop)") long droppedByKernel,
            @Schema(description = "Packets the interface or its driver dropped (libpcap ps_ifdrop)") long droppedByInterface,
            @Schema(description = "Null while capturing, then why it ended: maxPackets, maxBytes, maxDuration, stopped, "
                    + "cancelled, error, or interrupted (the Sharkfin instance capturing stopped; what its spool held was "
                    + "indexed after a restart)", example = "maxPackets") String endReason) {

        /** The capture as it stood when the instance running it stopped: no longer capturing, ended "interrupted". */
        LiveStatus interrupted() {
            return new LiveStatus(interfaceName, filter, snaplen, promiscuous, maxPackets, maxDuration, maxBytes, false,
                    packetsCaptured, bytesCaptured, droppedByKernel, droppedByInterface,
                    endReason == null ? "interrupted" : endReason);
        }

        LiveStatus ended() {
            return capturing ? new LiveStatus(interfaceName, filter, snaplen, promiscuous, maxPackets, maxDuration, maxBytes,
                    false, packetsCaptured, bytesCaptured, droppedByKernel, droppedByInterface,
                    endReason == null ? "error" : endReason) : this;
        }
    }
}
