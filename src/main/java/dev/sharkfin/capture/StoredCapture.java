package dev.sharkfin.capture;

import java.nio.file.Path;

/**
 * An upload saved to disk, decompressed, ready for libpcap.
 *
 * @param path           the capture file
 * @param format         its format, from its magic bytes
 * @param gzip           whether the upload was gzip-compressed
 * @param uploadedBytes  bytes received
 * @param size           bytes on disk (after decompression)
 * @param warning        null, or what was wrong with the upload that did not stop it being read (a cut-short gzip stream)
 */
public record StoredCapture(Path path, CaptureFormat format, boolean gzip, long uploadedBytes, long size, String warning) {
}
