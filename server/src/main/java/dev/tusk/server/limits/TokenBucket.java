package dev.tusk.server.limits;

/**
 * A token bucket holding up to {@code capacity} tokens that refills continuously at {@code
 * capacity} per minute. Time is passed in (milliseconds of the injected clock), so tests move it.
 * Thread-safe.
 */
final class TokenBucket {
  /**
   * The outcome of one take.
   *
   * @param allowed a token was taken
   * @param limit the bucket's capacity
   * @param remaining whole tokens left
   * @param resetSeconds seconds until the bucket is full again
   * @param retryAfterSeconds seconds until the next token (0 if allowed)
   */
  record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  private static final double MILLIS_PER_MINUTE = 60_000.0;
  private final long capacity;
  private double tokens;
  private long last;

  TokenBucket(long capacity, long nowMillis) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    this.tokens = capacity;
    this.last = nowMillis;
  }

  synchronized Decision take(long nowMillis) {
    double perMilli = capacity / MILLIS_PER_MINUTE;
    if (nowMillis > last) {
      tokens = Math.min(capacity, tokens + (nowMillis - last) * perMilli);
      last = nowMillis;
    }
    boolean allowed = tokens >= 1;
    if (allowed) {
      tokens -= 1;
    }
    long reset = (long) Math.ceil((capacity - tokens) / perMilli / 1000.0);
    long retry = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000.0));
    return new Decision(allowed, capacity, (long) Math.floor(tokens), reset, retry);
  }
}
