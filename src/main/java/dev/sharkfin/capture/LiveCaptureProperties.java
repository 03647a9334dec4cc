package dev.sharkfin.capture;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Live capture from the machine's interfaces. Every limit a request may set has a default (used when the request
 * leaves it out) and a bound (a request over it gets 400, naming the property).
 *
 * @param enabled             off: every live-capture request gets 403
 * @param interfaces          the interfaces that may be captured on (and are listed); empty: all
 * @param maxConcurrent       live captures running at once; one more gets 429 with {@code retryAfter}
 * @param retryAfter          what that 429 tells the client to wait
 * @param defaultDuration     how long a capture runs when the request sets no limit of its own
 * @param maxDuration         the longest duration a request may ask for
 * @param defaultMaxPackets   packets after which a capture ends when the request does not say (0: no limit)
 * @param maxPackets          the most packets a request may ask for
 * @param defaultMaxBytes     spool size after which a capture ends when the request does not say
 * @param maxBytes            the largest spool a request may ask for (bounds the disk a capture can fill)
 * @param defaultSnaplen      bytes kept of each packet when the request does not say
 * @param bufferSize          libpcap's kernel buffer: what absorbs a burst while the capture thread writes
 * @param commitInterval      how often the spool is made visible to its indexer and to downloads
 * @param refreshInterval     the live index's refresh interval: how soon captured packets become searchable
 */
@ConfigurationProperties("sharkfin.capture.live")
public record LiveCaptureProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> interfaces,
        @DefaultValue("2") int maxConcurrent,
        @DefaultValue("10s") Duration retryAfter,
        @DefaultValue("10m") Duration defaultDuration,
        @DefaultValue("24h") Duration maxDuration,
        @DefaultValue("0") long defaultMaxPackets,
        @DefaultValue("100000000") long maxPackets,
        @DefaultValue("1GB") DataSize defaultMaxBytes,
        @DefaultValue("16GB") DataSize maxBytes,
        @DefaultValue("262144") int defaultSnaplen,
        @DefaultValue("32MB") DataSize bufferSize,
        @DefaultValue("200ms") Duration commitInterval,
        @DefaultValue("1s") Duration refreshInterval) {
}
