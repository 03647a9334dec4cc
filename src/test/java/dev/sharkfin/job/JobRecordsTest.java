package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.sharkfin.index.JobDocuments;
import dev.sharkfin.it.SharkfinIT;

/**
 * Job records in the real Elasticsearch, shared by every instance: a cancel or a stop asked through one instance
 * survives the progress saves of the instance running the job (which do not carry those flags).
 */
@SharkfinIT
class JobRecordsTest {
    @Autowired
    JobDocuments documents;

    static JobStatus running(String id, long packets) {
        return new JobStatus(id, "live", "running", "live:lo", "packets-" + id, packets, packets, 0, 0, 0, 0.5,
                Instant.now(), Instant.now(), null, null, null, null, List.of(), List.of());
    }

    @Test
    void aCancelAskedElsewhereSurvivesAProgressSave() {
        JobRecords records = new JobRecords(documents, java.time.Duration.ofSeconds(60), "records-test", "records-test-store");
        String id = JobService.newId();
        records.save(running(id, 10));
        records.requestCancel(id); // another instance, through the shared record
        records.save(running(id, 20)); // the running instance's next heartbeat
        JobRecords.Stored stored = records.get(id).orElseThrow();
        assertThat(stored.cancelRequested()).isTrue();
        assertThat(stored.job().packetsRead()).isEqualTo(20);

        records.requestStop(id);
        records.save(running(id, 30));
        assertThat(records.get(id).orElseThrow().stopRequested()).isTrue();
        assertThat(records.get(id).orElseThrow().cancelRequested()).isTrue();
        records.delete(id);
        assertThat(records.get(id)).isEmpty();
    }
}
