package dev.tusk.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * Sizes of every scenario. {@code full} is the published benchmark's size; {@code quick} is for
 * development runs on a shared machine; {@code tiny} is for BenchSmokeIT. {@code settle} is the
 * pause after a scenario's clean-up and {@code sync}, before the next server starts.
 *
 * <p>Warm-ups are long enough at {@code full} for a JVM server's C2 compiler to finish with the
 * request path before the measured phase (on 2 cores, tusk's head rate rose from about 16,000 req/s
 * in its first 13 s to 26,000 and 31,000 in the next two 13 s runs; big8m from 512 to 765 and 1,116
 * MB/s over three 2 GiB uploads; 64 KiB ranges from 2,300 to 5,900 per second over four runs of
 * 10,000): every target gets the same warm-up, and the cold rates are reported beside the warm
 * ones. {@code warmupBytes} is the s3 scenario's warm-up object; {@code bigWarmupBytes} is big's
 * and big8m's, sent as uploads of {@code bigWarmupUploadBytes}; {@code rangeWarmup} counts the
 * ranges requested before the measured {@code ranges}.
 */
record Settings(
    String size,
    long bigBytes,
    long chunkBytes,
    long warmupBytes,
    long bigWarmupBytes,
    long bigWarmupUploadBytes,
    int smallUploads,
    int smallBytes,
    int smallConnections,
    int smallWarmup,
    int dirtyFiles,
    int headConnections,
    Duration headWarmup,
    Duration headDuration,
    int idleUploads,
    Duration idleSettle,
    long downloadBytes,
    int ranges,
    int rangeWarmup,
    int rangeBytes,
    int rangeConnections,
    long s3Bytes,
    Duration settle) {

  static final long MIB = 1L << 20;

  static Settings of(String size) {
    return switch (size.toLowerCase(Locale.ROOT)) {
      case "full" -> new Settings("full", 2048 * MIB, 8 * MIB, 512 * MIB, 4096 * MIB, 512 * MIB,
          20_000, 16 * 1024, 64, 10_000, 20_000, 64, Duration.ofSeconds(30),
          Duration.ofSeconds(10), 10_000,
          Duration.ofSeconds(2), 2048 * MIB, 10_000, 50_000, 64 * 1024, 4, 1024 * MIB,
          Duration.ofSeconds(2));
      case "quick" -> new Settings("quick", 256 * MIB, 8 * MIB, 32 * MIB, 512 * MIB, 128 * MIB,
          2_000, 16 * 1024, 64, 1_000, 5_000, 64, Duration.ofSeconds(5), Duration.ofSeconds(3),
          1_000,
          Duration.ofSeconds(1), 256 * MIB, 1_000, 2_000, 64 * 1024, 4, 256 * MIB,
          Duration.ofSeconds(1));
      case "tiny" -> new Settings("tiny", 8 * MIB, 1 * MIB, 1 * MIB, 2 * MIB, 1 * MIB, 200,
          16 * 1024, 8, 20, 200, 8,
          Duration.ofMillis(200), Duration.ofMillis(500), 50, Duration.ofMillis(200), 8 * MIB, 100,
          100, 64 * 1024, 2, 24 * MIB, Duration.ZERO);
      default -> throw new IllegalArgumentException("size must be full, quick or tiny: " + size);
    };
  }
}
