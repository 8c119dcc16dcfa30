package dev.tusk.server.rufh;

import dev.tusk.server.protocol.Ttl;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Upload-Limit} dictionary (-04 on) of this server: {@code max-size} when a maximum
 * size is configured, and the remaining lifetime ({@code expires} in -04/-05, {@code max-age}
 * from -06 on). tusk enforces no per-request size, so it announces no {@code max-append-size} or
 * {@code min-append-size}, and resumability is offered for every size, so no {@code min-size}
 * except as the placeholder the drafts ask for: "If the server does not apply any limits, it
 * MUST use min-size=0 instead of an empty header value."
 */
public final class UploadLimits {
  private UploadLimits() {}

  /**
   * @param maxSize the server's maximum upload size, 0 for none
   * @param lifetime the remaining lifetime of the upload (or, before creation, the default time
   *     to live); rounded down to whole seconds, never negative
   */
  public static String header(InteropVersion v, long maxSize, Duration lifetime) {
    Map<String, Long> limits = new LinkedHashMap<>();
    if (maxSize > 0) {
      limits.put("max-size", maxSize);
    }
    if (lifetime != null && !Ttl.isNever(lifetime)) {
      limits.put(v.lifetimeKey(), Math.max(0, lifetime.getSeconds()));
    }
    if (limits.isEmpty()) {
      limits.put("min-size", 0L);
    }
    return StructuredFields.serializeDictionary(limits);
  }

  /**
   * The limits of an upload that expires at {@code expiresAt} (empty: kept, no lifetime limit), as
   * seen at {@code now}.
   */
  public static String header(
      InteropVersion v, long maxSize, Instant now, Optional<Instant> expiresAt) {
    return header(v, maxSize, expiresAt.map(at -> Duration.between(now, at)).orElse(null));
  }
}
