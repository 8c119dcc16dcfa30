package dev.tusk.server.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How JWTs are verified (mode {@link AuthMode#JWT}). Exactly one key source: an HS256 shared
 * secret, or a JWKS (RS256/ES256 public keys) from a file or an URL (fetched and cached, refetched
 * on an unknown {@code kid}).
 *
 * @param hs256Secret the shared secret, at least 32 bytes (UTF-8)
 * @param jwksFile a JWK set file
 * @param jwksUrl a JWK set URL (an identity provider's {@code jwks_uri})
 * @param issuer the required {@code iss}, if any
 * @param audience the required {@code aud} (one of the token's audiences), if any
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param ownerClaim the claim that names the owner ({@code sub} by default)
 */
public record JwtConfig(
    Optional<String> hs256Secret,
    Optional<Path> jwksFile,
    Optional<URI> jwksUrl,
    Optional<String> issuer,
    Optional<String> audience,
    Duration clockSkew,
    String ownerClaim) {

  public static final JwtConfig NONE =
      new JwtConfig(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Duration.ofSeconds(60), "sub");

  public JwtConfig {
    hs256Secret.ifPresent(
        s -> {
          if (s.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the JWT HS256 secret must be at least 32 bytes");
          }
        });
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("JWT clock skew must be 0..10 minutes, was " + clockSkew);
    }
    if (ownerClaim == null || ownerClaim.isBlank()) {
      ownerClaim = "sub";
    }
  }

  /** How many key sources are configured (mode jwt needs exactly one). */
  int keySources() {
    return (hs256Secret.isPresent() ? 1 : 0) + (jwksFile.isPresent() ? 1 : 0) + (jwksUrl.isPresent() ? 1 : 0);
  }

  public static JwtConfig hs256(String secret, Optional<String> issuer, Optional<String> audience) {
    return new JwtConfig(
        Optional.of(secret), Optional.empty(), Optional.empty(), issuer, audience,
        NONE.clockSkew(), "sub");
  }

  public static JwtConfig jwksFile(Path file, Optional<String> issuer, Optional<String> audience) {
    return new JwtConfig(
        Optional.empty(), Optional.of(file), Optional.empty(), issuer, audience, NONE.clockSkew(),
        "sub");
  }

  public static JwtConfig jwksUrl(URI url, Optional<String> issuer, Optional<String> audience) {
    return new JwtConfig(
        Optional.empty(), Optional.empty(), Optional.of(url), issuer, audience, NONE.clockSkew(),
        "sub");
  }

  public JwtConfig withClockSkew(Duration v) {
    return new JwtConfig(hs256Secret, jwksFile, jwksUrl, issuer, audience, v, ownerClaim);
  }
}
