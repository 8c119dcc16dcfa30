package dev.tusk.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two token buckets (reads, writes) per caller and tier. Buckets idle for ten minutes are
 * forgotten, which changes nothing: a bucket refills completely within a minute. Thread-safe.
 */
public final class RateLimiter {
  static final String LIMIT = "RateLimit-Limit";
  static final String REMAINING = "RateLimit-Remaining";
  static final String RESET = "RateLimit-Reset";

  private final Map<String, Tier> tiers;
  private final Clock clock;
  private final Cache<String, TokenBucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(1_000_000).build();

  public RateLimiter(Map<String, Tier> tiers, Clock clock) {
    this.tiers = Map.copyOf(tiers);
    this.clock = clock;
  }

  /**
   * Takes a token for {@code caller}; returns the {@code RateLimit-*} headers to send, or throws
   * {@link ErrorCode#RATE_LIMITED} with {@code Retry-After} and those headers.
   *
   * @param tierName the caller's tier; unknown names use {@code default}
   * @param write whether the request creates or deletes (the writes bucket) or not (reads)
   */
  public Map<String, String> take(String caller, String tierName, boolean write) {
    Tier tier = tiers.getOrDefault(tierName, tiers.get("default"));
    long perMinute = write ? tier.writesPerMinute() : tier.readsPerMinute();
    if (perMinute == 0) {
      return Map.of();
    }
    String key = (write ? "w|" : "r|") + tierName + "|" + caller;
    long now = clock.millis();
    TokenBucket.Decision d = buckets.get(key, k -> new TokenBucket(perMinute, now)).take(now);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(LIMIT, Long.toString(d.limit()));
    headers.put(REMAINING, Long.toString(d.remaining()));
    headers.put(RESET, Long.toString(d.resetSeconds()));
    if (!d.allowed()) {
      headers.put("Retry-After", Long.toString(d.retryAfterSeconds()));
      throw new TusException(
          ErrorCode.RATE_LIMITED,
          "too many " + (write ? "creations" : "requests") + ": " + perMinute
              + " a minute allowed; retry in " + d.retryAfterSeconds() + " s",
          headers,
          null);
    }
    return headers;
  }
}
