package dev.tusk.server.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkSignerTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef-link";
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LinkSigner signer = new LinkSigner(KEY);

  static UploadLink link() {
    return new UploadLink(
        new UploadId("0123456789abcdef0123456789abcdef"),
        "alice",
        NOW.plusSeconds(900),
        Optional.of("report.pdf"),
        OptionalLong.of(1234),
        OptionalLong.empty(),
        List.of("application/pdf"),
        Optional.of("a".repeat(64)),
        Optional.empty(),
        Duration.ofHours(24),
        Map.of("project", "apollo"),
        Optional.of(URI.create("https://api.example.com/done")));
  }

  @Test
  void verify_signedLink_returnsWhatWasDeclared() {
    assertThat(signer.verify(signer.sign(link(), NOW))).isEqualTo(link());
  }

  @Test
  void sign_tokenIsUrlSafe() {
    assertThat(signer.sign(link(), NOW)).matches("[A-Za-z0-9_.-]+");
  }

  @ParameterizedTest
  @ValueSource(strings = {"uid", "own", "exp", "fn", "size", "types", "sha256", "ttl", "meta", "cb"})
  void verify_anyClaimChanged_isInvalid(String claim) throws Exception {
    String[] parts = signer.sign(link(), NOW).split("\\.");
    ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(payload.has(claim)).as("claim %s is signed", claim).isTrue();
    if (payload.get(claim).isNumber()) {
      payload.put(claim, payload.get(claim).asLong() + 1);
    } else if (payload.get(claim).isTextual()) {
      payload.put(claim, payload.get(claim).asText() + "x");
    } else {
      payload.putArray(claim).add("x/y");
    }
    String tampered =
        parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(payload))
            + "." + parts[2];
    assertInvalid(tampered);
  }

  @Test
  void verify_claimAdded_isInvalid() throws Exception {
    String[] parts = signer.sign(link(), NOW).split("\\.");
    ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    payload.put("max", 1L << 40);
    assertInvalid(parts[0] + "." + b64(JSON.writeValueAsBytes(payload)) + "." + parts[2]);
  }

  @Test
  void verify_otherKey_isInvalid() {
    String token = new LinkSigner(KEY + "-other").sign(link(), NOW);
    assertInvalid(token);
  }

  @Test
  void verify_plainJwtWithTheSameKey_isNotALink() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).build(),
            new JWTClaimsSet.Builder().claim("uid", "0123456789abcdef").claim("own", "mallory")
                .expirationTime(java.util.Date.from(NOW.plusSeconds(60))).claim("ttl", 60).build());
    jwt.sign(new MACSigner(KEY.getBytes(StandardCharsets.UTF_8)));
    assertInvalid(jwt.serialize());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"types\":[null]", "\"meta\":{\"k\":null}", "\"meta\":{\"k\":1}", "\"cb\":\"http://[x\""})
  void verify_signedButMalformedClaims_isInvalid(String extra) throws Exception {
    JWTClaimsSet claims =
        JWTClaimsSet.parse(
            "{\"uid\":\"0123456789abcdef\",\"own\":\"a\",\"exp\":1795000000,\"ttl\":60," + extra + "}");
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(LinkSigner.TYPE)).build(),
            claims);
    jwt.sign(new MACSigner(KEY.getBytes(StandardCharsets.UTF_8)));
    assertInvalid(jwt.serialize());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.eyJ1aWQiOiJ4In0."})
  void verify_garbage_isInvalid(String token) {
    assertInvalid(token);
  }

  private void assertInvalid(String token) {
    assertThatThrownBy(() -> signer.verify(token))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LINK_INVALID));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
