/**
 * Kibana, when one is configured: the saved objects of the congestion-window dashboards, imported on request
 * ({@code POST /api/kibana/import}) or at start-up, and the links a job carries (its built-in page, its
 * dashboard). Entry classes: {@link dev.sharkfin.kibana.KibanaController}, {@link dev.sharkfin.kibana.JobLinks},
 * {@link dev.sharkfin.kibana.KibanaProvisioner}.
 *
 * <p>May depend on {@code job} (a job's state for its links); must not reach {@code api}, and no package below
 * {@code api} depends on it ({@code ArchitectureTest}: no cycles).
 */
package dev.sharkfin.kibana;
