/**
 * Where packets come from: uploads stored to disk (decompressed, recognised by magic bytes, bounded in size and
 * disk), pcap and pcapng files read in Java (no native library) or, for comparison, through libpcap, and live
 * captures from an interface into a pcapng spool. Everything leaves as {@link dev.sharkfin.capture.Frame}s from a
 * {@link dev.sharkfin.capture.PacketSource}. Entry classes: {@link dev.sharkfin.capture.CaptureStore} (uploads), {@link
 * dev.sharkfin.capture.CaptureFileSource} (reading uploads), {@link dev.sharkfin.capture.LiveCaptures} (live capture).
 *
 * <p>The only package that touches pcap4j ({@code org.pcap4j}). Depends on no other Sharkfin package; it must not
 * reach {@code api}, {@code job}, {@code kibana} or {@code security} ({@code ArchitectureTest}).
 */
package dev.sharkfin.capture;
