/**
 * Elasticsearch: the embedded node Sharkfin starts when none is configured, the per-job packet indices and their
 * template, the bulk sink with its retries, the job records every instance shares, and the TCP aggregations behind
 * the streams and timeline endpoints. Entry classes: {@link dev.sharkfin.index.PacketIndex} (indices and the bulk
 * {@link dev.sharkfin.index.PacketSink}), {@link dev.sharkfin.index.PacketStats} (aggregations), {@link
 * dev.sharkfin.index.JobDocuments} (records), {@link dev.sharkfin.index.EmbeddedElasticsearch} (the embedded node).
 *
 * <p>The only package that touches the Elasticsearch client ({@code co.elastic.clients}). It takes documents as
 * bytes and depends on no other Sharkfin package; it must not reach {@code api}, {@code job}, {@code kibana} or
 * {@code security} ({@code ArchitectureTest}).
 */
package dev.sharkfin.index;
