/**
 * Elasticsearch: the embedded node Sharkfin starts when none is configured, the per-job packet indices and their
 * template, the bulk sink with its retries, the job records every instance shares, and the TCP aggregations behind
 * the streams and timeline endpoints. Entry classes: {@link dev.sharkfin.index.PacketIndex} (indices and the bulk
 * {@link dev.sharkfin.index.PacketSink}), {@link dev.sharkfin.index.PacketStats} (aggregations), {@link
 * dev.sharkfin.index.JobDocuments} (records), {@link dev.sharkfin.index.EmbeddedElasticsearch} (the embedded node).
 * Behind the entry classes, a class per job: the aggregations' query text ({@code StatsQueries}), the reading of their
 * answers ({@code StatsResults}) and the timeline's interval arithmetic ({@code TimelineInterval}); for the node, its
 * distribution ({@code NodeDistribution}), Java ({@code NodeJava}), work folder and config copy ({@code NodeWorkDir}),
 * privilege drop as root ({@code PrivilegeDrop}, {@code RootIdentity}), command line ({@code NodeCommand}), health
 * wait ({@code NodeHealth}), console log ({@code ConsoleLog}), restart budget ({@code RestartBudget}), ports ({@code
 * LoopbackPorts}) and stopping its processes ({@code NodeProcesses}, {@code LeftoverNode}).
 *
 * <p>The only package that touches the Elasticsearch client ({@code co.elastic.clients}). It takes documents as
 * bytes; of the other Sharkfin packages it reads only {@code dissect}'s field catalog (the template's mappings and the
 * aggregations' field names come from it). It must not reach {@code api}, {@code job}, {@code kibana} or
 * {@code security} ({@code ArchitectureTest}).
 */
package dev.sharkfin.index;
