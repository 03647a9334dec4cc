package dev.sharkfin.capture;

import java.time.Duration;

/**
 * What a live capture was asked to do, with every default applied and every bound checked.
 *
 * @param interfaceName  the libpcap device name
 * @param filter         a BPF expression, or null for everything
 * @param snaplen        bytes kept of each packet
 * @param promiscuous    whether the interface is put in promiscuous mode
 * @param maxPackets     the capture ends after this many packets (0: no packet limit)
 * @param maxDuration    the capture ends after this long
 * @param maxBytes       the capture ends before its spool passes this size
 */
public record LiveCaptureSpec(String interfaceName, String filter, int snaplen, boolean promiscuous, long maxPackets,
        Duration maxDuration, long maxBytes) {
}
