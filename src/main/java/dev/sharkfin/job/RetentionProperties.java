package dev.sharkfin.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What is kept of ended jobs. Applied every {@code interval}, oldest jobs first; a job that has not ended is never
 * touched.
 *
 * @param enabled         off: nothing is ever deleted but by DELETE /api/jobs/{id}/data
 * @param interval        how often retention runs
 * @param maxAge          ended jobs created longer ago lose their index, capture and record
 * @param maxJobs         beyond this many ended jobs, the oldest lose their index, capture and record (each job
 *                        holds a shard: keep this under the cluster's shard limit)
 * @param maxCaptureDisk  beyond this much disk in the capture folder, the oldest ended jobs lose their kept capture
 *                        file (their index stays; their download answers 410)
 */
@ConfigurationProperties("sharkfin.retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10m") Duration interval,
        @DefaultValue("30d") Duration maxAge,
        @DefaultValue("500") int maxJobs,
        @DefaultValue("20GB") DataSize maxCaptureDisk) {
}
