package dev.tusk.server.protocol;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A client's requested time to live: the {@code ttl} query parameter of a single-request upload
 * or the {@code ttl} key of {@code Upload-Metadata}, in whole seconds from creation. A server TTL
 * may be {@link #NEVER}: uploads are then kept until deleted.
 */
public final class Ttl {
  /** The TTL of an upload kept until deleted ({@code ttl: never}, {@code max-ttl: never}). */
  public static final Duration NEVER = ChronoUnit.FOREVER.getDuration();

  /**
   * The longest finite TTL a client may ask for when {@code max-ttl} is {@link #NEVER}: 100 years,
   * so that every expiry stays a representable instant.
   */
  public static final Duration LONGEST_FINITE = Duration.ofDays(36_525);

  private Ttl() {}

  public static boolean isNever(Duration ttl) {
    return NEVER.equals(ttl);
  }

  /** The expiry of an upload created at {@code now} with {@code ttl}; empty for {@link #NEVER}. */
  public static Optional<Instant> expiry(Instant now, Duration ttl) {
    return isNever(ttl) ? Optional.empty() : Optional.of(now.plus(ttl));
  }

  /** {@code "never"} for {@link #NEVER}, else the duration in whole seconds and a unit. */
  public static String describe(Duration ttl) {
    return isNever(ttl) ? "never" : ttl.toSeconds() + " s";
  }

  /**
   * The TTL to use: {@code defaultTtl} when nothing was asked, else the asked value if in 1..max
   * (1..{@link #LONGEST_FINITE} when {@code maxTtl} is {@link #NEVER}). A client cannot ask for
   * {@link #NEVER}: keeping an upload is the server's or a backend's decision.
   */
  public static Duration resolve(String requested, Duration defaultTtl, Duration maxTtl) {
    if (requested == null) {
      return defaultTtl;
    }
    OptionalLong seconds = Numbers.nonNegative(requested.trim());
    long max = finiteCeiling(maxTtl).toSeconds();
    if (seconds.isEmpty() || seconds.getAsLong() < 1 || seconds.getAsLong() > max) {
      throw new TusException(
          ErrorCode.INVALID_TTL,
          "ttl must be a whole number of seconds from 1 to " + max);
    }
    return Duration.ofSeconds(seconds.getAsLong());
  }

  /** {@code maxTtl}, or {@link #LONGEST_FINITE} when it is {@link #NEVER}. */
  public static Duration finiteCeiling(Duration maxTtl) {
    return isNever(maxTtl) ? LONGEST_FINITE : maxTtl;
  }
}
