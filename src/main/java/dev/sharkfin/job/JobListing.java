package dev.sharkfin.job;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pages of jobs, newest first, optionally only those in given states: the shared records, with this instance's
 * running jobs as they are now. While the records cannot be read, the first page shows this instance's jobs (and the
 * outage is logged once). A page out of bounds or an unknown state is a {@link JobExceptions.BadPage} (400).
 */
final class JobListing {
    /** The deepest a page may reach: Elasticsearch's default result window. */
    static final int MAX_LISTED = 10_000;

    private final Map<String, Job> jobs;
    private final JobRecordKeeper keeper;
    private final int listLimit;

    JobListing(Map<String, Job> jobs, JobRecordKeeper keeper, int listLimit) {
        this.jobs = jobs;
        this.keeper = keeper;
        this.listLimit = listLimit;
    }

    JobService.Page page(int page, int size, List<String> states) {
        checkBounds(page, size, listLimit);
        List<String> wanted = states.stream().map(JobListing::state).toList();
        JobRecords.Page found;
        try {
            found = keeper.records().page(page * size, size, wanted, false);
        } catch (RuntimeException e) {
            // Elasticsearch out of reach: what this instance runs is still worth showing.
            keeper.failing("list job records from Elasticsearch", e);
            List<JobStatus> here = page > 0 ? List.of() : jobs.values().stream().map(Job::snapshot)
                    .filter(j -> wanted.isEmpty() || wanted.contains(j.state()))
                    .sorted(Comparator.comparing(JobStatus::createdAt).reversed()).limit(size).toList();
            return new JobService.Page(here, here.size());
        }
        List<JobStatus> out = found.jobs().stream().map(j -> {
            Job local = jobs.get(j.id());
            return local != null ? local.snapshot() : j;
        }).filter(j -> wanted.isEmpty() || wanted.contains(j.state())).toList();
        return new JobService.Page(out, found.total());
    }

    /** Refuses a page before the first, a size out of 1..{@code listLimit}, or a page beyond {@value #MAX_LISTED} jobs. */
    static void checkBounds(int page, int size, int listLimit) {
        if (page < 0 || size < 1 || size > listLimit) {
            throw new JobExceptions.BadPage("'page' must be 0 or more and 'size' between 1 and " + listLimit
                    + " (sharkfin.jobs.list-limit).");
        }
        if ((long) page * size + size > MAX_LISTED) {
            throw new JobExceptions.BadPage("Pages reach the " + MAX_LISTED + " newest jobs only: filter by state, or "
                    + "let retention (sharkfin.retention.*) remove old jobs.");
        }
    }

    /** A state as the API names it ({@code running}), from a name in any case and with blanks around it. */
    static String state(String name) {
        try {
            return JobState.valueOf(name.strip().toUpperCase(Locale.ROOT)).json();
        } catch (IllegalArgumentException e) {
            throw new JobExceptions.BadPage("'" + name + "' is not a job state: queued, running, succeeded, failed or cancelled.");
        }
    }
}
