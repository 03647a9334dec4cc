package dev.sharkfin.job;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import dev.sharkfin.capture.CaptureStore;
import jakarta.annotation.PreDestroy;

/**
 * Applies {@link RetentionProperties} on a schedule: ended jobs past the age, beyond the count, and kept captures
 * beyond the disk budget are deleted, oldest first. Every instance may run it: deleting what another instance just
 * deleted is harmless.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
public class JobRetention {
    private static final Logger log = LoggerFactory.getLogger(JobRetention.class);
    private static final int BATCH = 100;

    private final RetentionProperties props;
    private final JobService jobs;
    private final CaptureStore store;
    private final ScheduledExecutorService timer;

    JobRetention(RetentionProperties props, JobService jobs, CaptureStore store) {
        this.props = props;
        this.jobs = jobs;
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sharkfin-retention");
            t.setDaemon(true);
            return t;
        });
        if (props.enabled()) {
            long every = Math.max(1000, props.interval().toMillis());
            timer.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** What one run removed. */
    public record Result(int expired, int overCount, int capturesRemoved) {
    }

    /** One pass of all three rules, now. */
    public Result run() {
        int expired = deleteExpired();
        int overCount = deleteOverCount();
        int captures = trimCaptures();
        if (expired + overCount + captures > 0) {
            log.info("Retention: {} jobs past {} deleted, {} beyond {} jobs deleted, {} captures removed to stay under {}",
                    expired, props.maxAge(), overCount, props.maxJobs(), captures, props.maxCaptureDisk());
        }
        return new Result(expired, overCount, captures);
    }

    private void runQuietly() {
        try {
            run();
        } catch (RuntimeException e) {
            log.warn("Retention could not run: {}", e.getMessage());
        }
    }

    private int deleteExpired() {
        Instant cutoff = Instant.now().minus(props.maxAge());
        int deleted = 0;
        while (true) {
            List<JobStatus> oldest = jobs.ended(0, BATCH).jobs();
            List<JobStatus> old = oldest.stream().filter(j -> j.createdAt().isBefore(cutoff)).toList();
            old.forEach(this::delete);
            deleted += old.size();
            if (old.size() < BATCH) {
                return deleted;
            }
        }
    }

    private int deleteOverCount() {
        int deleted = 0;
        long excess = jobs.ended(0, 1).total() - props.maxJobs();
        while (excess > 0) {
            List<JobStatus> oldest = jobs.ended(0, (int) Math.min(BATCH, excess)).jobs();
            if (oldest.isEmpty()) {
                break;
            }
            oldest.forEach(this::delete);
            deleted += oldest.size();
            excess -= oldest.size();
        }
        return deleted;
    }

    /** Deletes one job's data; one that another instance deleted first is no error. */
    private void delete(JobStatus job) {
        try {
            jobs.deleteData(job.id());
        } catch (JobExceptions.NotFound e) {
            log.debug("Job {} was already deleted", job.id());
        }
    }

    private int trimCaptures() {
        long budget = props.maxCaptureDisk().toBytes();
        long used = store.usedBytes();
        int removed = 0;
        for (int from = 0; used > budget; from += BATCH) {
            List<JobStatus> oldest = jobs.ended(from, BATCH).jobs();
            if (oldest.isEmpty()) {
                break;
            }
            for (JobStatus j : oldest) {
                if (used <= budget) {
                    break;
                }
                Path file = store.find(j.id()).orElse(null);
                if (file != null) {
                    used -= store.sizeOf(file);
                    store.delete(file);
                    removed++;
                }
            }
        }
        return removed;
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
    }
}
