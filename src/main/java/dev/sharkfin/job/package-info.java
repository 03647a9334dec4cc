/**
 * Jobs: one upload or live capture turned into one index. {@link dev.sharkfin.job.JobService} accepts, runs,
 * stops, cancels and lists jobs; {@link dev.sharkfin.job.IngestPipeline} is the whole data path in one place
 * (capture → dissect → TCP analysis → document → bulk index); {@link dev.sharkfin.job.JobRecords}, {@link
 * dev.sharkfin.job.JobResumer} and {@link dev.sharkfin.job.JobRetention} keep, resume and delete jobs across
 * instances. Entry class: {@link dev.sharkfin.job.JobService}, which takes submissions and hands the rest to a class
 * per job: {@code JobIds}, {@code JobExecutors} (threads), {@code JobExecution} (running and ending a job), {@code
 * JobHeartbeat}, {@code JobRecordKeeper} (saving records through an outage), {@code JobListing}, {@code JobRequests}
 * (cancel and stop) and {@code CaptureFileNames}.
 *
 * <p>May depend on {@code capture}, {@code dissect}, {@code tcp}, {@code normalize} and {@code index}; must not
 * reach {@code api}, {@code kibana} or {@code security}: jobs run without HTTP ({@code ArchitectureTest}).
 */
package dev.sharkfin.job;
