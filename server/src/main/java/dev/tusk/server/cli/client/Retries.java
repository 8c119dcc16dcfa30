package dev.tusk.server.cli.client;

import dev.tusk.server.options.Values;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When to try a failed request again, as tus-js-client's {@code retryDelays} does: one delay per
 * attempt (0, 1 s, 3 s, 5 s by default), the count starting over once the upload has made progress
 * since the last failure. A {@code Retry-After} longer than the delay wins.
 */
final class Retries {
  static final String DEFAULT = "0,1s,3s,5s";
  /**
   * tusk's problem code for a PATCH ended because another request for the upload (a HEAD, a newer
   * PATCH) took it over; the bytes received are kept, so asking the offset and going on is right.
   */
  static final String INTERRUPTED = "ERR_UPLOAD_INTERRUPTED";

  /** Waits; tests pass one that records instead. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final List<Duration> delays;
  private final Sleeper sleeper;
  private final Clock clock;

  Retries(List<Duration> delays, Sleeper sleeper, Clock clock) {
    this.delays = List.copyOf(delays);
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** {@code 0,1s,3s,5s}; {@code none} (or empty) for no retries; a bare number is milliseconds. */
  static Retries parse(String text, Clock clock) {
    List<Duration> delays = new ArrayList<>();
    String t = text.trim();
    if (!t.isEmpty() && !t.equalsIgnoreCase("none")) {
      for (String part : t.split(",")) {
        String p = part.trim();
        delays.add(p.matches("\\d+") ? Duration.ofMillis(Long.parseLong(p)) : Values.duration(p));
      }
    }
    return new Retries(delays, Retries::sleep, clock);
  }

  /** The same delays, waited with {@code other} (tests record instead of sleeping). */
  Retries sleepingWith(Sleeper other) {
    return new Retries(delays, other, clock);
  }

  int attempts() {
    return delays.size();
  }

  /** The wait before retry number {@code attempt} (0-based), or empty when none is left. */
  Optional<Duration> delay(int attempt, RequestFailure failure) {
    if (!failure.retryable() || attempt >= delays.size()) {
      return Optional.empty();
    }
    Duration d = delays.get(attempt);
    Optional<Duration> asked = retryAfter(failure.retryAfter(), clock);
    return Optional.of(asked.isPresent() && asked.get().compareTo(d) > 0 ? asked.get() : d);
  }

  /**
   * Statuses worth another try: the upload is busy (423), the server asks to slow down (429), is
   * briefly unavailable (502, 503, 504), or the offset moved under the client (409: the client asks
   * the offset again before the next PATCH).
   */
  static boolean retryable(int status) {
    return status == 409 || status == 423 || status == 429 || status == 502 || status == 503
        || status == 504;
  }

  /** {@code Retry-After} as seconds or an HTTP date; empty when absent or unreadable. */
  static Optional<Duration> retryAfter(Optional<String> header, Clock clock) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().trim();
    try {
      if (v.matches("\\d{1,9}")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      }
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** Waits {@code d} (the wait before a retry). */
  void pause(Duration d) throws InterruptedException {
    sleeper.sleep(d);
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      Thread.sleep(d.toMillis());
    }
  }
}
