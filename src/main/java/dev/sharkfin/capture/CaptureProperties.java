package dev.sharkfin.capture;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Uploads.
 *
 * @param dir                   where uploaded captures are kept while their job runs
 * @param maxSize               the largest upload accepted, as sent (compressed or not); larger ones get 413
 * @param maxUncompressedSize   the largest a gzip-compressed upload may grow to when decompressed
 * @param keepFiles             keep the capture file after its job ends (for re-runs and audits)
 */
@ConfigurationProperties("sharkfin.capture")
public record CaptureProperties(
        @DefaultValue("data/captures") Path dir,
        @DefaultValue("4GB") DataSize maxSize,
        @DefaultValue("32GB") DataSize maxUncompressedSize,
        @DefaultValue("false") boolean keepFiles) {
}
