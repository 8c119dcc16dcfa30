package dev.tusk.server.protocol;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A client's requested time to live: the {@code ttl} query parameter of a single-request upload
 * or the {@code ttl} key of {@code Upload-Metadata}, in whole seconds from creation.
 */
public final class Ttl {
  private Ttl() {}

  /** The TTL to use: {@code defaultTtl} when nothing was asked, else the asked value if in 1..max. */
  public static Duration resolve(String requested, Duration defaultTtl, Duration maxTtl) {
    if (requested == null) {
      return defaultTtl;
    }
    OptionalLong seconds = Numbers.nonNegative(requested.trim());
    long max = maxTtl.toSeconds();
    if (seconds.isEmpty() || seconds.getAsLong() < 1 || seconds.getAsLong() > max) {
      throw new TusException(
          ErrorCode.INVALID_TTL,
          "ttl must be a whole number of seconds from 1 to " + max);
    }
    return Duration.ofSeconds(seconds.getAsLong());
  }
}
