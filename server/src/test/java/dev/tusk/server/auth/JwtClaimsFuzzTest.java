package dev.tusk.server.auth;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz tests of JWT claim handling in mode jwt. A bearer token is either a principal or a reason
 * for 401; nothing escapes {@link JwtAuthenticator#authenticate}. The claims of a token signed
 * with the configured secret are fuzzed too (a trusted issuer can still send odd claims), and the
 * limits they grant must read back from the principal's facts as hooks and links see them.
 * Seeds: {@code src/test/resources/dev/tusk/server/auth/JwtClaimsFuzzTestInputs/<method>/}.
 */
class JwtClaimsFuzzTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-jwt";
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private final JwtAuthenticator authenticator;

  JwtClaimsFuzzTest() throws IOException {
    authenticator =
        new JwtAuthenticator(
            JwtConfig.hs256(SECRET, Optional.empty(), Optional.empty()),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Any bearer token: a principal or a 401 reason. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void bearer(byte[] data) {
    Authenticator.Result result = authenticator.authenticate(new String(data, StandardCharsets.ISO_8859_1));
    assertThat(result.principal().isPresent() || !result.reason().isEmpty()).isTrue();
  }

  /**
   * The claims of a validly signed token (a JSON object; {@code exp} is added when missing so the
   * claim handling is reached): a principal whose limits read back from its facts, or a 401.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void signedClaims(byte[] data) throws JOSEException {
    JWTClaimsSet parsed;
    try {
      parsed = JWTClaimsSet.parse(new String(data, StandardCharsets.UTF_8));
    } catch (ParseException | RuntimeException e) {
      return;
    }
    JWTClaimsSet claims =
        parsed.getClaim("exp") == null
            ? new JWTClaimsSet.Builder(parsed).expirationTime(java.util.Date.from(NOW.plusSeconds(60))).build()
            : parsed;
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    Authenticator.Result result = authenticator.authenticate(jwt.serialize());
    if (result.principal().isEmpty()) {
      assertThat(result.reason()).isNotEmpty();
      return;
    }
    Map<String, String> facts = result.principal().get().claims();
    Limits limits = Limits.fromClaims(facts);
    assertThat(limits.toClaims()).isEqualTo(withoutTier(facts));
  }

  private static Map<String, String> withoutTier(Map<String, String> facts) {
    Map<String, String> copy = new java.util.LinkedHashMap<>(facts);
    copy.remove(Principal.TIER_CLAIM);
    return copy;
  }
}
