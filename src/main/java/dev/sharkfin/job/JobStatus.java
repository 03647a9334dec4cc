package dev.sharkfin.job;

import java.time.Instant;
import java.util.List;

import dev.sharkfin.index.IndexFailure;
import io.swagger.v3.oas.annotations.media.Schema;

/** A job as the API shows it: a consistent snapshot. */
@Schema(description = "An ingestion job: one upload dissected and indexed into its own index")
public record JobStatus(
        @Schema(description = "Job id: lowercase, safe in an index name", example = "20261126-104912-3fa9c1") String id,
        @Schema(description = "What made the job", example = "upload") String kind,
        @Schema(description = "queued | running | succeeded | failed | cancelled", example = "succeeded") String state,
        @Schema(description = "The uploaded file's name", example = "transfer.pcap") String source,
        @Schema(description = "The job's own Elasticsearch index", example = "packets-20261126-104912-3fa9c1") String index,
        @Schema(description = "Packets read from the capture") long packetsRead,
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
        @Schema(description = "The built-in page charting the job's TCP streams (bytes in flight, duplicate ACKs, "
                + "retransmissions, window, throughput)", example = "/jobs/20261126-104912-3fa9c1") String viewUrl,
        @Schema(description = "With Kibana configured and the job succeeded: the 'TCP congestion control' dashboard "
                + "filtered to this job's index, its time range the capture's first to last packet; else null") String dashboardUrl) {

    public JobStatus(String id, String kind, String state, String source, String index, long packetsRead,
            long packetsIndexed, long packetsFailed, long bytesRead, long bytesTotal, double progress, Instant createdAt,
            Instant startedAt, Instant finishedAt, Instant firstPacketTime, Instant lastPacketTime, String error,
            List<String> warnings, List<IndexFailure> failures) {
        this(id, kind, state, source, index, packetsRead, packetsIndexed, packetsFailed, bytesRead, bytesTotal, progress,
                createdAt, startedAt, finishedAt, firstPacketTime, lastPacketTime, error, warnings, failures, null, null);
    }

    /** The same job with its links. */
    public JobStatus withLinks(String viewUrl, String dashboardUrl) {
        return new JobStatus(id, kind, state, source, index, packetsRead, packetsIndexed, packetsFailed, bytesRead,
                bytesTotal, progress, createdAt, startedAt, finishedAt, firstPacketTime, lastPacketTime, error, warnings,
                failures, viewUrl, dashboardUrl);
    }
}
