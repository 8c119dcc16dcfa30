package dev.tusk.core;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, the fraction in groups of three digits), with the
 * date and time of recent seconds remembered. Every upload info a store writes carries three
 * instants, and {@code Instant.toString} runs a general {@code DateTimeFormatter}: about 2 % of a
 * storage thread's CPU in the {@code small} benchmark. Only the seconds go through the
 * JDK's formatter, so the text is the JDK's for every year; the fraction is appended here the way
 * {@code DateTimeFormatter.ISO_INSTANT} writes it. Thread-safe.
 */
final class IsoInstants {
  /** Seconds' texts without their zone: {@code 2026-11-24T06:00:00}. */
  private static final RecentSeconds SECONDS =
      new RecentSeconds(
          second -> {
            String whole = Instant.ofEpochSecond(second).toString();
            return whole.substring(0, whole.length() - 1);
          });

  private IsoInstants() {}

  static String format(Instant instant) {
    String seconds = SECONDS.text(instant.getEpochSecond());
    int nanos = instant.getNano();
    if (nanos == 0) {
      return seconds.concat("Z");
    }
    StringBuilder text = new StringBuilder(seconds.length() + 11).append(seconds).append('.');
    // digits in groups of three, until the rest of the fraction is zero
    int div = 100_000_000;
    for (int i = 0; nanos > 0 || i % 3 != 0; i++) {
      int digit = nanos / div;
      text.append((char) ('0' + digit));
      nanos -= digit * div;
      div /= 10;
    }
    return text.append('Z').toString();
  }
}
