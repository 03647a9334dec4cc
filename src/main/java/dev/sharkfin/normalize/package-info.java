/**
 * One dissected, TCP-analysed packet into one Elasticsearch document: typed JSON in the wishpy shape, written into
 * a reused UTF-8 buffer. Entry classes: {@link dev.sharkfin.normalize.PacketDocuments} (a capture's frames into
 * documents, in order, with the per-capture state) and {@link dev.sharkfin.normalize.DocumentWriter}.
 *
 * <p>May depend on {@code dissect} and {@code tcp} only; must not reach {@code api}, {@code job}, {@code
 * capture}, {@code index}, {@code kibana} or {@code security}: documents are bytes, and storing them is
 * {@code index}'s job ({@code ArchitectureTest}).
 */
package dev.sharkfin.normalize;
