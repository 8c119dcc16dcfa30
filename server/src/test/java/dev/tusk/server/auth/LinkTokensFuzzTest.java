package dev.tusk.server.auth;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static dev.tusk.server.fuzz.FuzzInput.assertClientError;
import static dev.tusk.server.fuzz.FuzzInput.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.server.links.CallbackHosts;
import dev.tusk.server.links.LinkRequest;
import dev.tusk.server.links.LinkSigner;
import dev.tusk.server.links.UploadLink;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.Scopes;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz tests of signed upload links: the token a link holder presents, the request that issues a
 * link, and the claims a validly signed token may carry. Seeds: {@code
 * src/test/resources/dev/tusk/server/auth/LinkTokensFuzzTestInputs/<method>/}.
 */
class LinkTokensFuzzTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef-link";
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LinkRequest.Bounds BOUNDS =
      new LinkRequest.Bounds(
          1L << 30, Duration.ofHours(24), Duration.ofDays(7), Duration.ofMinutes(15),
          Duration.ofHours(1), 8, 1024);
  private static final CallbackHosts HOSTS = new CallbackHosts(List.of("api.example.com"));
  private static final Principal ADMIN =
      new Principal("alice", Set.of(Scopes.UPLOAD, Scopes.ADMIN), Map.of());
  private final LinkSigner signer = new LinkSigner(KEY);

  /** Any {@code link} parameter: the link it declares if signed by our key, else 403 ERR_LINK_INVALID. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void token(byte[] data) {
    try {
      signer.verify(text(data));
    } catch (TusException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.LINK_INVALID);
    }
  }

  /**
   * The body of {@code POST /files/links}: refused with a 4xx, or a link that survives signing
   * and verification unchanged.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void request(byte[] data) {
    JsonNode body;
    try {
      body = JSON.readTree(data);
    } catch (IOException e) {
      return; // the handler answers 400 before LinkRequest sees the body
    }
    UploadLink link;
    try {
      link = LinkRequest.parse(body, ADMIN, NOW, BOUNDS, HOSTS);
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    assertThat(link.expiresAt()).isAfter(NOW).isBeforeOrEqualTo(NOW.plus(BOUNDS.maxLinkTtl()));
    assertThat(link.fileTtl()).isPositive().isLessThanOrEqualTo(BOUNDS.maxFileTtl());
    assertAsked(body.get("ttl"), Duration.between(NOW, link.expiresAt()).toSeconds());
    assertAsked(body.get("file_ttl"), link.fileTtl().toSeconds());
    assertAsked(body.get("size"), link.size().orElse(-1));
    assertThat(signer.verify(signer.sign(link, NOW))).isEqualTo(link);
  }

  /** A number the request asked for is the number the link holds, not a wrapped or rounded one. */
  private static void assertAsked(JsonNode asked, long held) {
    if (asked != null && asked.isNumber()) {
      assertThat(asked.decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(held));
    }
  }

  /**
   * The claims of a token signed with our key (a JSON object): the link it declares or 403
   * ERR_LINK_INVALID, never another exception — a leaked key or an older server's link must not
   * turn into a 500.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void signedClaims(byte[] data) throws JOSEException {
    JWTClaimsSet claims;
    try {
      claims = JWTClaimsSet.parse(new String(data, StandardCharsets.UTF_8));
    } catch (ParseException | RuntimeException e) {
      return;
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(LinkSigner.TYPE)).build(),
            claims);
    jwt.sign(new MACSigner(KEY.getBytes(StandardCharsets.UTF_8)));
    try {
      signer.verify(jwt.serialize());
    } catch (TusException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.LINK_INVALID);
    }
  }
}
