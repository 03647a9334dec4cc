/**
 * Sharkfin: packet captures into Elasticsearch, one index per upload or live capture. {@link
 * dev.sharkfin.SharkfinApplication} starts the service; the feature packages follow the data path, each depending
 * only on those after it: {@code api} → {@code job} → {@code capture} → {@code dissect} → {@code tcp} → {@code
 * normalize} → {@code index}, with {@code kibana} (dashboards and links) and {@code security} (keys, login,
 * headers) beside it. {@code ArchitectureTest} keeps these rules; the README's "Code map" lists the entry classes.
 */
package dev.sharkfin;
