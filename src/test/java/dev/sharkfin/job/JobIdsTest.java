package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Job ids sort by age and are safe in an index name; instance ids tell restarts apart. */
class JobIdsTest {

    @Test
    void aJobIdIsTheUtcTimeThenTheRandomPartInHex() {
        assertThat(JobIds.jobId(Instant.parse("2026-11-26T10:49:12.999Z"), new byte[] {0x3f, (byte) 0xa9, (byte) 0xc1}))
                .isEqualTo("20261126-104912-3fa9c1");
        assertThat(JobIds.jobId(Instant.parse("2026-01-02T03:04:05Z"), new byte[] {0, 0, 1})).isEqualTo("20260102-030405-000001");
    }

    @Test
    void newJobIdsAreLowercaseUniqueAndSortByAge() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = JobIds.newJobId();
            assertThat(id).matches("\\d{8}-\\d{6}-[0-9a-f]{6}");
            ids.add(id);
        }
        assertThat(ids).as("random parts: a collision among 1000 is about 3 %, among the same second only")
                .hasSizeGreaterThan(990);
        String earlier = JobIds.jobId(Instant.parse("2026-11-26T10:49:12Z"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        String later = JobIds.jobId(Instant.parse("2026-11-26T10:49:13Z"), new byte[] {0, 0, 0});
        assertThat(earlier).isLessThan(later);
        assertThat(JobService.newId()).matches("\\d{8}-\\d{6}-[0-9a-f]{6}");
    }

    @Test
    void anInstanceIdIsHostPidAndARandomPart() {
        String a = JobIds.newInstanceId();
        String b = JobIds.newInstanceId();
        assertThat(a).matches(".+/" + ProcessHandle.current().pid() + "/[0-9a-f]{8}");
        assertThat(a).as("a restart in the same process is a new instance").isNotEqualTo(b);
    }
}
