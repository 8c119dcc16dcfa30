package dev.tusk.core;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, the fraction in groups of three digits), with the
 * date and time of recent seconds remembered. Every upload info a store writes carries three
 * instants, and {@code Instant.toString} runs a general {@code DateTimeFormatter}: about 2 % of a
 * storage thread's CPU in the {@code small} benchmark (session 12). Only the seconds go through the
 * JDK's formatter, so the text is the JDK's for every year; the fraction is appended here the way
 * {@code DateTimeFormatter.ISO_INSTANT} writes it. Entries are immutable, so a racing reader sees
 * a whole entry or another one; a collision only costs a format. Thread-safe.
 */
final class IsoInstants {
  private static final Second[] RECENT = new Second[64];

  /** One second's text without its zone: {@code 2026-11-24T06:00:00}. */
  private record Second(long second, String text) {}

  private IsoInstants() {}

  static String format(Instant instant) {
    long second = instant.getEpochSecond();
    int slot = (int) (second ^ (second >>> 32)) & (RECENT.length - 1);
    Second recent = RECENT[slot];
    if (recent == null || recent.second() != second) {
      String whole = Instant.ofEpochSecond(second).toString();
      recent = new Second(second, whole.substring(0, whole.length() - 1));
      RECENT[slot] = recent;
    }
    int nanos = instant.getNano();
    if (nanos == 0) {
      return recent.text().concat("Z");
    }
    StringBuilder text = new StringBuilder(recent.text().length() + 11).append(recent.text()).append('.');
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
