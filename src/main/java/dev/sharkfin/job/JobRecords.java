package dev.sharkfin.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sharkfin.index.JobDocuments;

/**
 * Job snapshots as records in the shared store: the job's JSON plus {@code updatedAt} (a heartbeat from the
 * instance running it) and {@code cancelRequested} (set by any instance). A queued or running job whose
 * heartbeat is older than {@link #STALE} belongs to an instance that stopped: it is shown as failed.
 */
final class JobRecords {
    static final Duration STALE = Duration.ofSeconds(60);

    private final JobDocuments store;
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    JobRecords(JobDocuments store) {
        this.store = store;
    }

    void save(JobStatus job) {
        ObjectNode doc = json.valueToTree(job);
        doc.put("updatedAt", Instant.now().toString());
        // No cancelRequested/stopRequested here: the store keeps the flags another instance set.
        try {
            store.save(job.id(), json.writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Stored(JobStatus job, boolean cancelRequested, boolean stopRequested) {
        /** A record without an id or a state (written by something else, or cut short) is not a job. */
        boolean complete() {
            return job.id() != null && job.state() != null;
        }
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
        try {
            ObjectNode doc = (ObjectNode) json.readTree(bytes);
            boolean cancel = doc.path("cancelRequested").asBoolean(false);
            boolean stop = doc.path("stopRequested").asBoolean(false);
            Instant updated = doc.hasNonNull("updatedAt") ? Instant.parse(doc.get("updatedAt").asText()) : Instant.EPOCH;
            JobStatus job = json.treeToValue(doc, JobStatus.class);
            if (job.id() == null || job.state() == null) {
                return new Stored(job, cancel, stop);
            }
            JobState state = JobState.valueOf(job.state().toUpperCase(java.util.Locale.ROOT));
            if (!state.finished() && updated.isBefore(Instant.now().minus(STALE))) {
                job = job.failed("The Sharkfin instance that ran this job stopped before it ended (last seen "
                        + updated + ")" + ("live".equals(job.kind()) ? "." : "; upload the capture again."));
            }
            return new Stored(job, cancel, stop);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
