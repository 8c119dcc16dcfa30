package dev.tusk.store.s3;

import java.util.Locale;

/**
 * When the AWS SDK adds request checksums and validates response checksums. Since SDK 2.30 the
 * default sends CRC32 trailers (aws-chunked bodies) that some older S3-compatible servers reject;
 * {@link #WHEN_REQUIRED} restores the pre-2.30 behaviour for them.
 */
public enum ChecksumMode {
  /** Checksum every request that supports one (the SDK default; AWS S3, recent MinIO, R2). */
  WHEN_SUPPORTED,
  /** Checksum only requests that require one (older Ceph RGW and other S3-compatible servers). */
  WHEN_REQUIRED;

  /** Parses {@code when_supported} or {@code when_required} (any case, '-' or '_'). */
  public static ChecksumMode parse(String text) {
    String normalized = text == null ? "" : text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (ChecksumMode mode : values()) {
      if (mode.name().equals(normalized)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "checksum mode must be when_supported or when_required, got '" + text + "'");
  }
}
