package dev.tusk.server.http;

import dev.tusk.core.RecentSeconds;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** IMF-fixdate (RFC 9110 section 5.6.7) formatting and parsing. */
public final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  /**
   * Recently formatted seconds. A download formats the same two instants (its {@code
   * Last-Modified} and {@code Upload-Expires}) on every request, and the formatter cost 3 % of a
   * 64 KiB range's I/O-thread CPU.
   */
  private static final RecentSeconds RECENT =
      new RecentSeconds(second -> IMF_FIXDATE.format(Instant.ofEpochSecond(second)));

  /** The first and last instants an HTTP-date can name and {@link #format} write. */
  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

  private HttpDates() {}

  public static String format(Instant instant) {
    return RECENT.text(instant.getEpochSecond());
  }

  /**
   * The instant of an HTTP-date, empty if {@code value} is none. The JDK's RFC 1123 parser also
   * takes a year of five or more digits, which RFC 9110 does not ({@code year = 4DIGIT}), and
   * year 0, which {@link #format} writes as 1 BC: neither could be written back, so such a date
   * is none.
   */
  public static Optional<Instant> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      Instant instant = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim()));
      return instant.isBefore(FIRST) || instant.isAfter(LAST) ? Optional.empty() : Optional.of(instant);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
