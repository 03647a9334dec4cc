package dev.sharkfin.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Jobs.
 *
 * @param concurrency    jobs that run at once
 * @param queueCapacity  jobs that may wait; an upload beyond that gets 429
 * @param retryAfter     what a 429 tells the client to wait
 * @param heartbeat      how often a running job's record is saved (and checked for a cancellation)
 * @param listLimit      how many jobs {@code GET /api/jobs} lists at most
 * @param maxPackets     the most packets one upload's job reads (0: no bound): at the bound the job stops and ends
 *                       failed, keeping what it indexed, so a small hostile capture (millions of empty records
 *                       compressed into kilobytes) cannot occupy a job and Elasticsearch for hours
 * @param staleAfter     a queued or running job whose record has not been saved for this long belongs to an instance
 *                       that stopped: it is shown as failed, and resumed by an instance starting with its capture
 *                       folder; keep it a good many heartbeats long
 * @param resume         at start-up, resume the jobs a stopped instance left unfinished (from their kept captures)
 * @param workers        threads that dissect and analyse one upload's frames, each flow always on the same one (the
 *                       documents are the same as with one): 1 does it all on the job's thread; above 1, a reader, that
 *                       many workers and an ordering stage run ({@code normalize.ParallelDocuments}); 0 picks
 *                       {@link #workerThreads()}. A live capture's job uses one
 */
@ConfigurationProperties("sharkfin.jobs")
public record JobProperties(
        @DefaultValue("2") int concurrency,
        @DefaultValue("32") int queueCapacity,
        @DefaultValue("30s") Duration retryAfter,
        @DefaultValue("1s") Duration heartbeat,
        @DefaultValue("1000") int listLimit,
        @DefaultValue("50000000") long maxPackets,
        @DefaultValue("60s") Duration staleAfter,
        @DefaultValue("true") boolean resume,
        @DefaultValue("0") int workers) {

    /**
     * The workers a job uses: {@code workers}, or for 0, one per core left over by the job's other threads (the reader,
     * the ordering stage and the bulk sink's sender) and by the other jobs that may run at once, at least 1 (on a
     * machine of 2 cores: 1, the single-threaded path).
     */
    int workerThreads() {
        if (workers > 0) {
            return workers;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(16, cores / Math.max(1, concurrency) - 2));
    }
}
