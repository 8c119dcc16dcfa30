package dev.tusk.server.limits;

/**
 * A rate-limit tier: two token buckets per caller, each holding up to a minute's worth of tokens
 * and refilling continuously. 0 means unlimited.
 *
 * @param readsPerMinute requests that create nothing: HEAD, GET, PATCH, OPTIONS
 * @param writesPerMinute requests that create or delete: POST (creation, single-request upload,
 *     link issuance) and DELETE
 */
public record Tier(long readsPerMinute, long writesPerMinute) {
  /** In the spirit of the upload APIs tusk replaces: 1,000 reads and 100 creations a minute. */
  public static final Tier DEFAULT = new Tier(1_000, 100);

  public Tier {
    if (readsPerMinute < 0 || writesPerMinute < 0) {
      throw new IllegalArgumentException("rates must be >= 0 (0 = unlimited)");
    }
  }
}
