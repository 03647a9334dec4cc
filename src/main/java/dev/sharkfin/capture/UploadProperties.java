package dev.sharkfin.capture;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What keeps uploads from hurting the service: how many at once, how slow, how much disk they may take.
 *
 * @param maxConcurrentUploads  uploads being received at once; one more is answered 429 at once, before its body is
 *                              read, so slow uploads can never hold more than this many server threads
 * @param busyRetryAfter        the Retry-After of that 429
 * @param uploadTimeout         the longest one read of an upload's body may wait for bytes (Tomcat's
 *                              {@code connectionUploadTimeout}); a client silent that long gets 408
 * @param minUploadRate         the least average rate, per second, an upload must keep once {@code minUploadRateGrace}
 *                              has passed; below it the upload is cut with 408 (0B: no minimum)
 * @param minUploadRateGrace    how long an upload may take before its average rate is checked
 * @param minFreeDisk           free space kept on the capture folder's disk: an upload that would not fit with this
 *                              much left over is refused with 507 before it is read (from its Content-Length) and
 *                              while it is written (a gzip stream grows)
 */
@ConfigurationProperties("sharkfin.capture")
public record UploadProperties(
        @DefaultValue("8") int maxConcurrentUploads,
        @DefaultValue("10s") Duration busyRetryAfter,
        @DefaultValue("20s") Duration uploadTimeout,
        @DefaultValue("16KB") DataSize minUploadRate,
        @DefaultValue("30s") Duration minUploadRateGrace,
        @DefaultValue("1GB") DataSize minFreeDisk) {
}
