package dev.tusk.server.links;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Signed upload links ({@code POST <base path>links}) and their completion callbacks.
 *
 * @param key the HMAC key links are signed with (HS256), at least 32 bytes; links are disabled
 *     without it. Also signs callbacks ({@code Tusk-Signature}). Rotating it voids every link.
 * @param defaultTtl how long a link is valid when the request names no {@code ttl}
 * @param maxTtl the longest validity a link may ask for
 * @param publicBaseUrl the collection URL browsers reach ({@code https://up.example.com/files/});
 *     by default the URL the link request itself was sent to
 * @param callbackHosts hosts callbacks may go to: {@code host}, {@code host:port} or
 *     {@code *.example.com}; empty refuses every callback URL
 * @param callbackAttempts how many times a callback is tried before it is given up
 * @param callbackBackoff the wait before the first retry; doubled for each further one
 */
public record LinkConfig(
    Optional<String> key,
    Duration defaultTtl,
    Duration maxTtl,
    Optional<URI> publicBaseUrl,
    List<String> callbackHosts,
    int callbackAttempts,
    Duration callbackBackoff) {

  public static final LinkConfig DISABLED =
      new LinkConfig(
          Optional.empty(), Duration.ofMinutes(15), Duration.ofHours(24), Optional.empty(),
          List.of(), 5, Duration.ofSeconds(1));

  public LinkConfig {
    key.ifPresent(
        k -> {
          if (k.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the link key must be at least 32 bytes");
          }
        });
    callbackHosts = List.copyOf(callbackHosts);
    requirePositive("link default TTL", defaultTtl);
    requirePositive("link max TTL", maxTtl);
    if (defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException(
          "link default TTL " + defaultTtl + " is longer than link max TTL " + maxTtl);
    }
    if (callbackAttempts < 1 || callbackAttempts > 20) {
      throw new IllegalArgumentException("callback attempts must be 1..20, was " + callbackAttempts);
    }
    requirePositive("callback backoff", callbackBackoff);
    publicBaseUrl.ifPresent(
        u -> {
          if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new IllegalArgumentException("the public base URL must be http(s): " + u);
          }
        });
  }

  /** Links enabled with {@code key} and the defaults. */
  public static LinkConfig withKey(String key) {
    return DISABLED.withKeyValue(key);
  }

  public LinkConfig withKeyValue(String v) {
    return new LinkConfig(Optional.of(v), defaultTtl, maxTtl, publicBaseUrl, callbackHosts,
        callbackAttempts, callbackBackoff);
  }

  public LinkConfig withCallbacks(List<String> hosts, int attempts, Duration backoff) {
    return new LinkConfig(key, defaultTtl, maxTtl, publicBaseUrl, hosts, attempts, backoff);
  }

  public LinkConfig withTtl(Duration defaultTtl, Duration maxTtl) {
    return new LinkConfig(key, defaultTtl, maxTtl, publicBaseUrl, callbackHosts, callbackAttempts,
        callbackBackoff);
  }

  public LinkConfig withPublicBaseUrl(URI v) {
    return new LinkConfig(key, defaultTtl, maxTtl, Optional.of(v), callbackHosts, callbackAttempts,
        callbackBackoff);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
