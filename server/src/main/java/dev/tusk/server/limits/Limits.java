package dev.tusk.server.limits;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a credential or a link allows an upload to be. Empty fields impose nothing beyond the
 * server's own limits.
 *
 * @param maxSize the largest upload, in bytes
 * @param allowedTypes media types ({@code image/png}) or type wildcards ({@code image/*}) the
 *     declared {@code filetype} must match; empty allows any
 * @param maxTtl the longest time to live an upload may have
 */
public record Limits(OptionalLong maxSize, List<String> allowedTypes, Optional<Duration> maxTtl) {
  public static final Limits NONE = new Limits(OptionalLong.empty(), List.of(), Optional.empty());

  /** The answer to an upload of {@code length} bytes where at most {@code max} are allowed. */
  public static TusException tooLarge(long length, long max) {
    return new TusException(
        ErrorCode.MAX_SIZE_EXCEEDED,
        "an upload of " + length + " bytes exceeds the allowed maximum of " + max + " bytes");
  }

  static final String MAX_SIZE = "maxSize";
  static final String ALLOWED_TYPES = "allowedTypes";
  static final String MAX_TTL = "maxTtl";

  public Limits {
    allowedTypes = allowedTypes.stream().map(Limits::normalize).toList();
    if (maxSize.isPresent() && maxSize.getAsLong() < 0) {
      throw new IllegalArgumentException("max size must be >= 0, was " + maxSize.getAsLong());
    }
    if (maxTtl.isPresent() && (maxTtl.get().isNegative() || maxTtl.get().isZero())) {
      throw new IllegalArgumentException("max TTL must be positive, was " + maxTtl.get());
    }
    for (String t : allowedTypes) {
      if (!t.matches("[a-z0-9!#$&^_.+-]+/([a-z0-9!#$&^_.+-]+|\\*)")) {
        throw new IllegalArgumentException("not a media type or type/*: " + t);
      }
    }
  }

  /** True if the declared media type (parameters ignored) is allowed. */
  public boolean allowsType(Optional<String> declared) {
    if (allowedTypes.isEmpty()) {
      return true;
    }
    if (declared.isEmpty()) {
      return false;
    }
    String type = normalize(declared.get().split(";", 2)[0]);
    for (String allowed : allowedTypes) {
      if (allowed.equals(type)
          || (allowed.endsWith("/*")
              && type.startsWith(allowed.substring(0, allowed.length() - 1))
              && type.length() > allowed.length() - 1
              && type.indexOf('/') == allowed.length() - 2)) {
        return true;
      }
    }
    return false;
  }

  /** The limits as principal claims (what hooks may see). */
  public Map<String, String> toClaims() {
    Map<String, String> claims = new LinkedHashMap<>();
    maxSize.ifPresent(v -> claims.put(MAX_SIZE, Long.toString(v)));
    if (!allowedTypes.isEmpty()) {
      claims.put(ALLOWED_TYPES, String.join(",", allowedTypes));
    }
    maxTtl.ifPresent(v -> claims.put(MAX_TTL, Long.toString(v.toSeconds())));
    return claims;
  }

  /** The limits a principal's claims carry (see {@link #toClaims}). */
  public static Limits fromClaims(Map<String, String> claims) {
    String size = claims.get(MAX_SIZE);
    String types = claims.get(ALLOWED_TYPES);
    String ttl = claims.get(MAX_TTL);
    return new Limits(
        size == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(size)),
        types == null || types.isEmpty() ? List.of() : List.of(types.split(",")),
        ttl == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(ttl))));
  }

  private static String normalize(String type) {
    return type.strip().toLowerCase(Locale.ROOT);
  }
}
