package dev.sharkfin.api;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sharkfin.job.JobService;
import dev.sharkfin.job.JobStatus;
import dev.sharkfin.kibana.JobLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping(path = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Jobs", description = "Poll, list and cancel ingestion jobs")
class JobController {
    private final JobService jobs;
    private final JobLinks links;

    JobController(JobService jobs, JobLinks links) {
        this.jobs = jobs;
        this.links = links;
    }

    @Operation(summary = "All jobs, newest first")
    @GetMapping
    List<JobStatus> list() {
        return jobs.list().stream().map(links::decorate).toList();
    }

    @Operation(summary = "One job", description = "Poll until state is succeeded, failed or cancelled. viewUrl is the built-in "
            + "page of its TCP streams; dashboardUrl, with Kibana configured and the job succeeded, opens the TCP congestion "
            + "control dashboard on this job's index and capture time range.")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @GetMapping("/{id}")
    JobStatus get(@PathVariable String id) {
        return links.decorate(jobs.get(id));
    }

    @Operation(summary = "Cancel a queued or running job",
            description = "A running job stops at the next packet; what it indexed stays in its index and is counted.")
    @ApiResponse(responseCode = "200", description = "Cancellation accepted; the job as it is now")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "The job has already ended", content = @Content(mediaType = "application/problem+json"))
    @DeleteMapping("/{id}")
    JobStatus cancel(@PathVariable String id) {
        return links.decorate(jobs.cancel(id));
    }
}
