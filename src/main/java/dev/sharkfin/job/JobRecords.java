package dev.sharkfin.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sharkfin.index.JobDocuments;

/**
 * Job snapshots as records in the shared store: the job's JSON plus {@code updatedAt} (a heartbeat from the
 * instance running it), {@code owner} (that instance), {@code store} (the id of the capture folder its capture is
 * in) and {@code cancelRequested}/{@code stopRequested} (set by any instance). A queued or running job whose
 * heartbeat is older than {@code staleAfter} belongs to an instance that stopped: it is shown as failed until an
 * instance resumes it ({@link JobResumer}).
 */
final class JobRecords {
    private final JobDocuments store;
    private final Duration staleAfter;
    private final String owner;
    private final String storeId;
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * @param owner   this instance's id, written on every record it saves
     * @param storeId this instance's capture folder's id
     */
    JobRecords(JobDocuments store, Duration staleAfter, String owner, String storeId) {
        this.store = store;
        this.staleAfter = staleAfter;
        this.owner = owner;
        this.storeId = storeId;
    }

    /** Saves the job's fields; the flags another instance set (cancel, stop) are not carried, so they stay. */
    void save(JobStatus job) {
        store.save(job.id(), bytes(job, false));
    }

    private byte[] bytes(JobStatus job, boolean withFlags) {
        ObjectNode doc = json.valueToTree(job);
        doc.put("updatedAt", Instant.now().toString());
        doc.put("owner", owner);
        doc.put("store", storeId);
        if (withFlags) {
            // A whole record, replacing the one read (a claim, conditional on its version: no flag set since is lost).
            doc.put("cancelRequested", false);
            doc.put("stopRequested", false);
        }
        try {
            return json.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A record as read: the job as the API shows it (failed when stale), the flags other instances set, who saved it
     * last and when.
     */
    record Stored(JobStatus job, boolean cancelRequested, boolean stopRequested, String owner, Instant updatedAt) {
        /** A record without an id or a state (written by something else, or cut short) is not a job. */
        boolean complete() {
            return job.id() != null && job.state() != null;
        }
    }

    /** An unfinished record as stored (not shown as failed when stale), with the version a claim must match. */
    record Unfinished(JobStatus job, Instant updatedAt, String owner, String store, boolean cancelRequested, long seqNo,
            long primaryTerm) {
    }

    Optional<Stored> get(String id) {
        return store.get(id).map(this::read).filter(Stored::complete);
    }

    List<JobStatus> newest(int max) {
        return store.newest(max).stream().map(this::read).filter(Stored::complete).map(Stored::job).toList();
    }

    /** A page of jobs and how many match in all. */
    record Page(List<JobStatus> jobs, long total) {
    }

    Page page(int from, int size, List<String> states, boolean oldestFirst) {
        JobDocuments.Page p = store.page(from, size, states, oldestFirst);
        return new Page(p.records().stream().map(this::read).filter(Stored::complete).map(Stored::job).toList(), p.total());
    }

    List<Unfinished> unfinished(int max) {
        return store.unfinished(max).stream().map(v -> {
            ObjectNode doc = tree(v.json());
            return new Unfinished(job(doc), updatedAt(doc), text(doc, "owner"), text(doc, "store"),
                    doc.path("cancelRequested").asBoolean(false), v.seqNo(), v.primaryTerm());
        }).toList();
    }

    /**
     * Saves {@code job} as the record of a job another instance left, only if the record is still the one read:
     * false when another instance claimed it first, or its own instance was alive after all and saved it.
     */
    boolean claim(Unfinished left, JobStatus job) {
        return store.replaceIf(job.id(), bytes(job, true), left.seqNo(), left.primaryTerm());
    }

    boolean stale(Instant updatedAt) {
        return updatedAt.isBefore(Instant.now().minus(staleAfter));
    }

    Duration staleAfter() {
        return staleAfter;
    }

    String owner() {
        return owner;
    }

    String storeId() {
        return storeId;
    }

    void delete(String id) {
        store.delete(id);
    }

    void requestCancel(String id) {
        store.requestCancel(id);
    }

    void requestStop(String id) {
        store.requestStop(id);
    }

    private Stored read(byte[] bytes) {
        ObjectNode doc = tree(bytes);
        boolean cancel = doc.path("cancelRequested").asBoolean(false);
        boolean stop = doc.path("stopRequested").asBoolean(false);
        Instant updated = updatedAt(doc);
        JobStatus job = job(doc);
        if (job.id() == null || job.state() == null) {
            return new Stored(job, cancel, stop, text(doc, "owner"), updated);
        }
        JobState state = JobState.valueOf(job.state().toUpperCase(Locale.ROOT));
        if (!state.finished() && stale(updated)) {
            job = job.failed("The Sharkfin instance that ran this job stopped before it ended (last seen " + updated + "). "
                    + ("live".equals(job.kind())
                            ? "A Sharkfin instance started with the same capture folder indexes what was captured."
                            : "A Sharkfin instance started with the same capture folder resumes it; or upload the capture again."));
        }
        return new Stored(job, cancel, stop, text(doc, "owner"), updated);
    }

    private JobStatus job(ObjectNode doc) {
        try {
            return json.treeToValue(doc, JobStatus.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode tree(byte[] bytes) {
        try {
            return (ObjectNode) json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant updatedAt(ObjectNode doc) {
        return doc.hasNonNull("updatedAt") ? Instant.parse(doc.get("updatedAt").asText()) : Instant.EPOCH;
    }

    private static String text(ObjectNode doc, String field) {
        return doc.hasNonNull(field) ? doc.get(field).asText() : null;
    }
}
