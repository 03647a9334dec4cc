package dev.sharkfin.capture;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Uploads.
 *
 * @param dir                   where uploaded captures and live captures' spools are kept
 * @param maxSize               the largest upload accepted, as sent (compressed or not); larger ones get 413
 * @param maxUncompressedSize   the largest a capture may be on disk, a gzip-compressed upload once decompressed:
 *                              twice the largest plain upload by default, so a gzip bomb (a megabyte of zeros
 *                              inflating to a gigabyte) stops there, the disk reserve (UploadProperties) aside
 * @param keepFiles             keep an upload's file after its job ends, for GET /api/jobs/{id}/pcap (a live
 *                              capture's spool is always kept: it is the only copy of what was captured)
 */
@ConfigurationProperties("sharkfin.capture")
public record CaptureProperties(
        @DefaultValue("data/captures") Path dir,
        @DefaultValue("4GB") DataSize maxSize,
        @DefaultValue("8GB") DataSize maxUncompressedSize,
        @DefaultValue("true") boolean keepFiles) {
}
