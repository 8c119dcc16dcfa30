package dev.tusk.server.auth;

import dev.tusk.server.limits.Tier;
import dev.tusk.server.links.LinkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything access control needs, validated on construction with a message that names the bad
 * value. {@link #defaults()} is mode {@code none}: no credentials, no owners, no links, no rate
 * limits (those need an identity) — only the request hygiene limits (headers, metadata, minimum
 * upload speed) apply.
 *
 * @param mode how callers authenticate
 * @param keys the API keys of mode {@code keys}
 * @param jwt how JWTs are verified in mode {@code jwt}
 * @param links signed upload links and callbacks (disabled without a key)
 * @param tiers rate-limit tiers by name; {@code default} applies to credentials without a tier,
 *     {@code link} (else {@code default}) to link uploads, per client IP
 * @param maxConcurrentUploads body-carrying requests (PATCH, creation with a body) one credential
 *     (or one IP using links) may have in flight; 0 = unlimited
 * @param maxBytesInFlight the sum of their announced Content-Lengths; 0 = unlimited
 * @param minBytesPerSecond a body slower than this on average, once {@code minSpeedGrace} has
 *     passed, is ended with 408 (its bytes kept); 0 = no minimum
 * @param minSpeedGrace how long a body may be slow before the minimum applies
 * @param maxHeaderBytes the total size of a request's header fields (431 above it)
 * @param maxMetadataBytes the size of {@code Upload-Metadata} (431 above it)
 * @param maxMetadataKeys the number of {@code Upload-Metadata} pairs (431 above it)
 * @param protectMetrics {@code /metrics} requires an {@code admin} credential or the metrics key
 * @param metricsKeySha256 the SHA-256 (hex) of a bearer key for scrapers; implies protection
 * @param ownerExpiry an upload's owner (with the {@code upload} scope) may change its expiry or
 *     keep it ({@code PATCH <upload URL>/details}); off, only {@code admin} may
 */
public record AuthConfig(
    AuthMode mode,
    List<ApiKey> keys,
    JwtConfig jwt,
    LinkConfig links,
    Map<String, Tier> tiers,
    int maxConcurrentUploads,
    long maxBytesInFlight,
    long minBytesPerSecond,
    Duration minSpeedGrace,
    int maxHeaderBytes,
    int maxMetadataBytes,
    int maxMetadataKeys,
    boolean protectMetrics,
    Optional<String> metricsKeySha256,
    boolean ownerExpiry) {

  public AuthConfig {
    keys = List.copyOf(keys);
    tiers = Map.copyOf(tiers);
    if (mode == AuthMode.KEYS && keys.isEmpty()) {
      throw new IllegalArgumentException("auth mode keys needs at least one API key");
    }
    if (mode == AuthMode.JWT && jwt.keySources() != 1) {
      throw new IllegalArgumentException(
          "auth mode jwt needs exactly one of: HS256 secret, JWKS file, JWKS URL");
    }
    if (links.key().isPresent() && links.key().equals(jwt.hs256Secret())) {
      throw new IllegalArgumentException("the link key must differ from the JWT secret");
    }
    if (!tiers.containsKey("default")) {
      throw new IllegalArgumentException("rate-limit tiers need a 'default' tier");
    }
    for (ApiKey k : keys) {
      if (!tiers.containsKey(k.tier())) {
        throw new IllegalArgumentException(
            "API key of owner " + k.owner() + " names unknown tier '" + k.tier() + "'");
      }
    }
    if (maxConcurrentUploads < 0 || maxBytesInFlight < 0 || minBytesPerSecond < 0) {
      throw new IllegalArgumentException("upload caps and minimum speed must be >= 0 (0 = off)");
    }
    if (minSpeedGrace.isNegative()) {
      throw new IllegalArgumentException("minimum speed grace must be >= 0, was " + minSpeedGrace);
    }
    if (maxHeaderBytes < 1024 || maxMetadataBytes < 1 || maxMetadataKeys < 1) {
      throw new IllegalArgumentException(
          "header limit must be >= 1024 bytes, metadata limits >= 1");
    }
    metricsKeySha256 = metricsKeySha256.map(KeyHashes::normalize);
  }

  /** Mode none with every limit at its default. */
  public static AuthConfig defaults() {
    return new AuthConfig(
        AuthMode.NONE,
        List.of(),
        JwtConfig.NONE,
        LinkConfig.DISABLED,
        Map.of("default", Tier.DEFAULT),
        32,
        0,
        1024,
        Duration.ofSeconds(30),
        64 * 1024,
        16 * 1024,
        64,
        false,
        Optional.empty(),
        false);
  }

  /** Mode keys with {@code keys}. */
  public AuthConfig withKeys(List<ApiKey> v) {
    return new AuthConfig(AuthMode.KEYS, v, jwt, links, tiers, maxConcurrentUploads,
        maxBytesInFlight, minBytesPerSecond, minSpeedGrace, maxHeaderBytes, maxMetadataBytes,
        maxMetadataKeys, protectMetrics, metricsKeySha256, ownerExpiry);
  }

  /** Mode jwt with {@code v}. */
  public AuthConfig withJwt(JwtConfig v) {
    return new AuthConfig(AuthMode.JWT, List.of(), v, links, tiers, maxConcurrentUploads,
        maxBytesInFlight, minBytesPerSecond, minSpeedGrace, maxHeaderBytes, maxMetadataBytes,
        maxMetadataKeys, protectMetrics, metricsKeySha256, ownerExpiry);
  }

  public AuthConfig withLinks(LinkConfig v) {
    return new AuthConfig(mode, keys, jwt, v, tiers, maxConcurrentUploads, maxBytesInFlight,
        minBytesPerSecond, minSpeedGrace, maxHeaderBytes, maxMetadataBytes, maxMetadataKeys,
        protectMetrics, metricsKeySha256, ownerExpiry);
  }

  public AuthConfig withTiers(Map<String, Tier> v) {
    return new AuthConfig(mode, keys, jwt, links, v, maxConcurrentUploads, maxBytesInFlight,
        minBytesPerSecond, minSpeedGrace, maxHeaderBytes, maxMetadataBytes, maxMetadataKeys,
        protectMetrics, metricsKeySha256, ownerExpiry);
  }

  public AuthConfig withUploadCaps(int concurrent, long bytesInFlight) {
    return new AuthConfig(mode, keys, jwt, links, tiers, concurrent, bytesInFlight,
        minBytesPerSecond, minSpeedGrace, maxHeaderBytes, maxMetadataBytes, maxMetadataKeys,
        protectMetrics, metricsKeySha256, ownerExpiry);
  }

  public AuthConfig withMinSpeed(long bytesPerSecond, Duration grace) {
    return new AuthConfig(mode, keys, jwt, links, tiers, maxConcurrentUploads, maxBytesInFlight,
        bytesPerSecond, grace, maxHeaderBytes, maxMetadataBytes, maxMetadataKeys, protectMetrics,
        metricsKeySha256, ownerExpiry);
  }

  public AuthConfig withHeaderLimits(int headerBytes, int metadataBytes, int metadataKeys) {
    return new AuthConfig(mode, keys, jwt, links, tiers, maxConcurrentUploads, maxBytesInFlight,
        minBytesPerSecond, minSpeedGrace, headerBytes, metadataBytes, metadataKeys,
        protectMetrics, metricsKeySha256, ownerExpiry);
  }

  public AuthConfig withMetrics(boolean protect, Optional<String> keySha256) {
    return new AuthConfig(mode, keys, jwt, links, tiers, maxConcurrentUploads, maxBytesInFlight,
        minBytesPerSecond, minSpeedGrace, maxHeaderBytes, maxMetadataBytes, maxMetadataKeys,
        protect, keySha256, ownerExpiry);
  }

  public AuthConfig withOwnerExpiry(boolean v) {
    return new AuthConfig(mode, keys, jwt, links, tiers, maxConcurrentUploads, maxBytesInFlight,
        minBytesPerSecond, minSpeedGrace, maxHeaderBytes, maxMetadataBytes, maxMetadataKeys,
        protectMetrics, metricsKeySha256, v);
  }
}
