package dev.sharkfin.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.sharkfin.capture.CaptureFormat;
import dev.sharkfin.capture.CaptureStore;
import dev.sharkfin.capture.StoredCapture;

/**
 * At start-up, resumes the jobs a stopped Sharkfin instance left queued or running, on a thread of its own (start-up
 * never waits; the thread waits for Elasticsearch).
 *
 * <p>A record is resumed when it is unfinished, was last saved before this instance started, has been stale for
 * {@code sharkfin.jobs.stale-after} (its instance stopped beating), and names this instance's capture folder (or no
 * folder: older records). Records not stale yet are looked at again when they would be: the instance may be alive.
 *
 * <p>Claiming: the record is replaced with {@code if_seq_no}/{@code if_primary_term} of the version read. The write
 * succeeds only if nobody wrote the record since: not another instance claiming it at the same moment, nor its own
 * instance, alive after all, saving a heartbeat. So exactly one instance resumes a job, and the check that the record
 * is stale and the claim are one atomic step on the one document that is the job's truth (a separate claim document
 * would need its own clean-up and could disagree with the record). An instance that was only slow, and finds at its
 * next heartbeat that another instance owns the record, stops its run ({@link JobService}).
 *
 * <p>What resuming means: an upload is indexed again from its kept capture into the same index; document ids are
 * {@code <job>-<frame>}, so frames indexed before the stop are overwritten, not duplicated, and the counts end exact.
 * A live capture cannot go on capturing; its spool holds what was captured up to the stop, and is indexed to its end:
 * the job ends {@code succeeded} (its index is complete for what was captured, and usable), with
 * {@code live.endReason} {@code interrupted} and a warning saying where the capture stopped. A job whose capture file
 * is gone is recorded {@code failed} with that reason; one cancelled while no instance ran it, {@code cancelled}.
 */
@Component
class JobResumer {
    private static final Logger log = LoggerFactory.getLogger(JobResumer.class);
    private static final Duration WAIT_FOR_ELASTICSEARCH = Duration.ofMinutes(30);

    private final JobService service;
    private final JobProperties props;
    private final CaptureStore store;
    private volatile Thread thread;

    JobResumer(JobService service, JobProperties props, CaptureStore store) {
        this.service = service;
        this.props = props;
        this.store = store;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!props.resume()) {
            return;
        }
        Thread t = new Thread(this::run, "sharkfin-job-resume");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Waits for the thread to end, for tests; true when it has. */
    boolean awaitDone(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(timeout.toMillis());
            return !t.isAlive();
        }
        return true;
    }

    private void run() {
        JobRecords records = service.records();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<JobRecords.Unfinished> left = unfinished(records);
                if (left == null) {
                    return;
                }
                Instant next = null;
                for (JobRecords.Unfinished u : left) {
                    if (!records.stale(u.updatedAt())) {
                        Instant staleAt = u.updatedAt().plus(records.staleAfter());
                        next = next == null || staleAt.isBefore(next) ? staleAt : next;
                    } else {
                        resume(records, u);
                    }
                }
                if (next == null) {
                    return;
                }
                sleep(Duration.between(Instant.now(), next).plusMillis(200));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Resuming interrupted jobs stopped", e);
        }
    }

    /** The records this instance may resume, waiting for Elasticsearch; null when it did not answer in time. */
    private List<JobRecords.Unfinished> unfinished(JobRecords records) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT_FOR_ELASTICSEARCH);
        Duration pause = Duration.ofSeconds(1);
        boolean logged = false;
        while (true) {
            try {
                return records.unfinished(props.listLimit()).stream()
                        .filter(u -> u.updatedAt().isBefore(service.startedAt()))
                        .filter(u -> u.store() == null || u.store().equals(records.storeId()))
                        .filter(u -> !service.runs(u.job().id()))
                        .toList();
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    log.error("Jobs left unfinished by a stopped instance are not resumed: Elasticsearch did not answer "
                            + "within {} ({})", WAIT_FOR_ELASTICSEARCH, e.getMessage());
                    return null;
                }
                if (!logged) {
                    log.info("Waiting for Elasticsearch to look for jobs to resume: {}", e.getMessage());
                    logged = true;
                }
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : pause.multipliedBy(2);
            }
        }
    }

    private void resume(JobRecords records, JobRecords.Unfinished u) throws InterruptedException {
        while (!service.hasRoom()) {
            sleep(Duration.ofSeconds(1));
        }
        JobStatus left = u.job();
        if (u.cancelRequested()) {
            if (records.claim(u, left.cancelled())) {
                log.info("Job {} was cancelled while no instance ran it; recorded cancelled, not resumed", left.id());
            }
            return;
        }
        boolean live = Job.LIVE.equals(left.kind());
        Optional<Path> capture = live ? spool(left.id()) : store.find(left.id());
        if (capture.isEmpty()) {
            String where = store.dir().resolve(left.id() + (live ? ".pcapng" : ".pcap")).toString();
            JobStatus failed = left.failed("The Sharkfin instance that ran this job stopped before it ended (last seen "
                    + u.updatedAt() + "), and its capture file (" + where + ") is gone, so it cannot be resumed"
                    + (live ? "." : "; upload the capture again."));
            if (records.claim(u, failed)) {
                log.warn("Job {} cannot be resumed: its capture {} is gone; recorded failed", left.id(), where);
            }
            return;
        }
        Job job = new Job(left, stored(capture.get()), live
                ? "the live capture was interrupted when the Sharkfin instance running it stopped (last seen " + u.updatedAt()
                        + "); what it had captured up to then (its spool) was indexed after a restart"
                : "resumed after the Sharkfin instance running it stopped (last seen " + u.updatedAt() + "): indexed "
                        + "again from the stored capture; documents indexed before were overwritten, not duplicated");
        if (!records.claim(u, job.snapshot())) {
            log.info("Job {} was claimed by another instance (or its own is alive); not resumed here", left.id());
            return;
        }
        log.info("Resuming job {} ({}, {}) left by instance {} (last seen {})", left.id(), left.kind(), left.source(),
                u.owner(), u.updatedAt());
        service.adopt(job);
    }

    private Optional<Path> spool(String id) {
        Path p = store.pathFor(id, CaptureFormat.PCAPNG);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    private static StoredCapture stored(Path path) {
        CaptureFormat format = path.getFileName().toString().endsWith(".pcapng") ? CaptureFormat.PCAPNG : CaptureFormat.PCAP;
        long size;
        try {
            size = Files.size(path);
        } catch (java.io.IOException e) {
            size = 0;
        }
        return new StoredCapture(path, format, false, size, size, null);
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d);
        }
    }
}
