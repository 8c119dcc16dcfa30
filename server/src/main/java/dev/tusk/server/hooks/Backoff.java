package dev.tusk.server.hooks;

import java.time.Duration;

/**
 * Exponential backoff with jitter for notification retries: attempt {@code n} (0-based) waits
 * between half and all of {@code min * 2^n}, capped at {@code max}, never less than {@code min}.
 * Pure.
 */
record Backoff(Duration min, Duration max) {

  /**
   * @param jitter a number in [0, 1) (random in production, fixed in tests)
   */
  Duration delay(int attempt, double jitter) {
    long minMs = min.toMillis();
    long maxMs = max.toMillis();
    long base = attempt >= 30 ? maxMs : Math.min(maxMs, minMs << Math.max(0, attempt));
    long d = base / 2 + (long) (base / 2.0 * Math.max(0, Math.min(1, jitter)));
    return Duration.ofMillis(Math.max(minMs, Math.min(maxMs, d)));
  }
}
