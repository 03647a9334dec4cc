/**
 * The HTTP face of Sharkfin: the REST endpoints, the pages, Swagger's description and every error as
 * {@code application/problem+json}. Uploads are read here as they stream in (bounded by {@link
 * dev.sharkfin.api.UploadGate} and {@link dev.sharkfin.api.UploadStream}) and handed to the job package; the TCP
 * endpoints read what {@code index} aggregates. Entry classes: {@link dev.sharkfin.api.CaptureController} (uploads),
 * {@link dev.sharkfin.api.JobController} (jobs), {@link dev.sharkfin.api.ProblemHandler} (errors).
 *
 * <p>May depend on {@code job}, {@code capture}, {@code index} and {@code kibana}. Nothing depends on it: it is the
 * top of the data path ({@code ArchitectureTest}).
 */
package dev.sharkfin.api;
