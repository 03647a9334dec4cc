package dev.sharkfin.index;

import java.util.List;
import java.util.Optional;

/**
 * Where job records live, so that the service itself keeps no state: any instance sharing the cluster can
 * answer for any job, and a restart forgets nothing. Records are JSON documents keyed by job id; their
 * shape is the job package's business.
 */
public interface JobDocuments {
    /**
     * Creates the record, or updates the fields {@code json} holds and leaves the others as they are: a flag that
     * another instance set (a cancel, a stop) survives a progress save that does not carry it.
     */
    void save(String id, byte[] json);

    Optional<byte[]> get(String id);

    /** The newest records first (by {@code createdAt}), at most {@code max}. */
    default List<byte[]> newest(int max) {
        return page(0, max, List.of(), false).records();
    }

    /** Some records, and how many match in all. */
    record Page(List<byte[]> records, long total) {
    }

    /**
     * Records by {@code createdAt} (newest first, or oldest first), from the {@code from}-th, at most {@code size};
     * only those whose {@code state} is one of {@code states} unless that is empty.
     */
    Page page(int from, int size, List<String> states, boolean oldestFirst);

    void delete(String id);

    /** Marks a job for cancellation by whichever instance runs it. */
    void requestCancel(String id);

    /** Marks a live capture to be stopped (and finish indexing) by whichever instance runs it. */
    void requestStop(String id);

    /** A record as stored, with the version Elasticsearch gave it, for a conditional replace. */
    record Versioned(byte[] json, long seqNo, long primaryTerm) {
    }

    /** The records whose {@code state} is {@code queued} or {@code running}, at most {@code max}, with their versions. */
    List<Versioned> unfinished(int max);

    /**
     * Replaces the record only if it is still the version read ({@code if_seq_no}/{@code if_primary_term}); false
     * when anyone wrote it since. This is how one instance, and only one, claims a job another instance left.
     */
    boolean replaceIf(String id, byte[] json, long seqNo, long primaryTerm);
}
