package dev.tusk.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.Scopes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mode jwt, verified by Nimbus JOSE+JWT: the signature (HS256 with the shared secret, or RS256 /
 * ES256 with a key of the JWKS; no other algorithm, never {@code none}), {@code typ} absent,
 * {@code JWT} or {@code at+jwt} (so an upload link is never taken for a credential), {@code exp}
 * required, {@code exp}/{@code nbf}/{@code iat} against the injected clock with the configured
 * skew, {@code iss} and {@code aud} when configured.
 *
 * <p>Claims read: the owner claim ({@code sub}), {@code scope} (space-separated, OAuth 2) or
 * {@code scp} (array), and optionally {@code max_size} (bytes), {@code allowed_types} (array or
 * space-separated), {@code max_ttl} (seconds) and {@code tier}.
 */
final class JwtAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String ownerClaim;

  JwtAuthenticator(JwtConfig config, Clock clock) throws IOException {
    JWKSource<SecurityContext> source;
    Set<JWSAlgorithm> algorithms;
    if (config.hs256Secret().isPresent()) {
      source = new ImmutableSecret<>(config.hs256Secret().get().getBytes(StandardCharsets.UTF_8));
      algorithms = Set.of(JWSAlgorithm.HS256);
    } else if (config.jwksFile().isPresent()) {
      try {
        source = new ImmutableJWKSet<>(JWKSet.load(config.jwksFile().get().toFile()));
      } catch (ParseException e) {
        throw new IOException("the JWKS file " + config.jwksFile().get() + " is not a JWK set", e);
      }
      algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    } else {
      // cached, refreshed ahead of expiry in the background, refetched (rate-limited) on an
      // unknown kid; an outage keeps the last keys for a while
      source =
          JWKSourceBuilder.<SecurityContext>create(config.jwksUrl().orElseThrow().toURL())
              .refreshAheadCache(true)
              .retrying(true)
              .outageTolerant(true)
              .build();
      algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    }
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, source));
    processor.setJWTClaimsSetVerifier(new ClockedVerifier(config, clock));
    this.ownerClaim = config.ownerClaim();
  }

  @Override
  public Result authenticate(String bearerToken) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(bearerToken, null);
    } catch (ParseException e) {
      return Result.invalid("the bearer token is not a JWT");
    } catch (BadJOSEException e) {
      return Result.invalid("JWT rejected: " + e.getMessage());
    } catch (JOSEException e) {
      LOG.warn("event=jwt_verification_failed error={}", e.toString());
      return Result.invalid("JWT could not be verified");
    }
    try {
      return principal(claims);
    } catch (ParseException | RuntimeException e) {
      return Result.invalid("JWT claims malformed: " + e.getMessage());
    }
  }

  private Result principal(JWTClaimsSet claims) throws ParseException {
    String owner = claims.getStringClaim(ownerClaim);
    if (owner == null || owner.isBlank() || owner.length() > 256) {
      return Result.invalid("JWT has no usable '" + ownerClaim + "' claim");
    }
    Set<String> scopes = new HashSet<>(words(claims, "scope"));
    scopes.addAll(words(claims, "scp"));
    scopes.retainAll(Scopes.ALL);
    Long maxSize = claims.getLongClaim("max_size");
    Long maxTtl = claims.getLongClaim("max_ttl");
    Limits limits =
        new Limits(
            maxSize == null ? OptionalLong.empty() : OptionalLong.of(maxSize),
            words(claims, "allowed_types"),
            maxTtl == null ? Optional.empty() : Optional.of(Duration.ofSeconds(maxTtl)));
    Map<String, String> facts = new LinkedHashMap<>(limits.toClaims());
    String tier = claims.getStringClaim("tier");
    facts.put(Principal.TIER_CLAIM, tier == null ? "default" : tier);
    return Result.ok(new Principal(owner, scopes, facts));
  }

  /** A claim that is a space-separated string or an array of strings. */
  private static List<String> words(JWTClaimsSet claims, String name) throws ParseException {
    Object value = claims.getClaim(name);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
    List<String> list = claims.getStringListClaim(name);
    return list == null ? List.of() : new ArrayList<>(list);
  }

  /** Nimbus's claims checks, timed by the injected clock, plus: {@code iat} not in the future. */
  private static final class ClockedVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final Clock clock;
    private final long skewSeconds;

    ClockedVerifier(JwtConfig config, Clock clock) {
      super(
          config.audience().map(Set::of).orElse(null),
          config.issuer().map(iss -> new JWTClaimsSet.Builder().issuer(iss).build()).orElse(null),
          Set.of("exp", config.ownerClaim()),
          null);
      this.clock = clock;
      this.skewSeconds = config.clockSkew().toSeconds();
      setMaxClockSkew((int) skewSeconds);
    }

    @Override
    protected Date currentTime() {
      return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      super.verify(claims, context);
      Date issued = claims.getIssueTime();
      if (issued != null && issued.toInstant().isAfter(clock.instant().plusSeconds(skewSeconds))) {
        throw new BadJWTException("JWT issued in the future");
      }
    }
  }
}
