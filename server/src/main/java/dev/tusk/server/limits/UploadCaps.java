package dev.tusk.server.limits;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Body-carrying requests in flight per caller: how many, and the sum of their announced
 * Content-Lengths (a chunked body counts as 0 bytes but still as one request). Thread-safe.
 */
public final class UploadCaps {
  private record Load(int requests, long bytes) {}

  private final int maxRequests;
  private final long maxBytes;
  private final Map<String, Load> loads = new ConcurrentHashMap<>();

  /** @param maxRequests 0 = unlimited; @param maxBytes 0 = unlimited */
  public UploadCaps(int maxRequests, long maxBytes) {
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
  }

  /**
   * Counts a request of {@code bytes} for {@code caller}, or throws {@link ErrorCode#RATE_LIMITED}
   * if that would exceed a cap. Every successful call must be matched by {@link #release}.
   */
  public void acquire(String caller, long bytes) {
    long counted = Math.max(0, bytes);
    String[] refusal = new String[1];
    loads.compute(
        caller,
        (k, load) -> {
          Load current = load == null ? new Load(0, 0) : load;
          if (maxRequests > 0 && current.requests() + 1 > maxRequests) {
            refusal[0] = "at most " + maxRequests + " uploads may be in flight at once";
            return load;
          }
          // counted > maxBytes - bytes, not bytes + counted > maxBytes: a Content-Length near
          // 2^63 would overflow the sum and slip under the cap
          if (maxBytes > 0 && counted > maxBytes - current.bytes()) {
            refusal[0] = "at most " + maxBytes + " bytes may be in flight at once";
            return load;
          }
          return new Load(current.requests() + 1, current.bytes() + counted);
        });
    if (refusal[0] != null) {
      throw new TusException(
          ErrorCode.RATE_LIMITED, refusal[0] + "; retry when one has finished",
          Map.of("Retry-After", "1"), null);
    }
  }

  public void release(String caller, long bytes) {
    long counted = Math.max(0, bytes);
    loads.computeIfPresent(
        caller,
        (k, load) ->
            load.requests() <= 1 ? null : new Load(load.requests() - 1, load.bytes() - counted));
  }

  /** Requests in flight for {@code caller} (for tests). */
  int requests(String caller) {
    Load load = loads.get(caller);
    return load == null ? 0 : load.requests();
  }
}
