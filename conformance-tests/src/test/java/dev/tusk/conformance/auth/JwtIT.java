package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.JwtConfig;
import io.restassured.response.Response;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mode jwt: HS256 with a shared secret, RS256 from a JWKS file, ES256 from a JWKS URL. */
class JwtIT {
  static final String SECRET = "jwt-secret-0123456789abcdef0123456789abcdef";
  static final String ISSUER = "https://idp.example.com";
  static final String AUDIENCE = "tusk";

  /** Claims valid at the fixture's start for {@code sub}, adjusted by {@code change}. */
  static JWTClaimsSet claims(String sub, UnaryOperator<JWTClaimsSet.Builder> change) {
    Instant now = AuthFixture.START;
    return change
        .apply(
            new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("scope", "upload download"))
        .build();
  }

  static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  static String hs256(JWTClaimsSet claims) throws Exception {
    return sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)),
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
  }

  static int create(AuthFixture tusk, String token) {
    return tusk.tus(token).header("Upload-Length", 1).post("/files/").statusCode();
  }

  @Nested
  class Hs256 {
    AuthFixture start() throws Exception {
      return AuthFixture.start(
          AuthConfig.defaults()
              .withJwt(JwtConfig.hs256(SECRET, Optional.of(ISSUER), Optional.of(AUDIENCE))));
    }

    @Test
    @DisplayName("a valid token creates; its sub owns the upload (another sub gets 404)")
    void validToken_createsAsItsSubject() throws Exception {
      try (AuthFixture tusk = start()) {
        String alice = hs256(claims("alice", b -> b));
        Response r = tusk.tus(alice).header("Upload-Length", 1).post("/files/");
        assertThat(r.statusCode()).isEqualTo(201);
        String path = URI.create(r.header("Location")).getPath();
        assertThat(tusk.tus(alice).head(path).statusCode()).isEqualTo(200);
        assertThat(tusk.tus(hs256(claims("bob", b -> b))).head(path).statusCode()).isEqualTo(404);
      }
    }

    @Test
    @DisplayName("expired → 401; expired within the clock skew → accepted; the clock moving past exp → 401")
    void expiry_isCheckedAgainstTheServersClockWithSkew() throws Exception {
      try (AuthFixture tusk = start()) {
        Instant now = AuthFixture.START;
        String expired = hs256(claims("alice", b -> b.expirationTime(Date.from(now.minusSeconds(120)))));
        Response r = tusk.tus(expired).header("Upload-Length", 1).post("/files/");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.jsonPath().getString("detail")).containsIgnoringCase("expired");
        assertThat(r.header("WWW-Authenticate")).contains("invalid_token");

        String justExpired = hs256(claims("alice", b -> b.expirationTime(Date.from(now.minusSeconds(30)))));
        assertThat(create(tusk, justExpired)).isEqualTo(201);

        String valid = hs256(claims("alice", b -> b));
        assertThat(create(tusk, valid)).isEqualTo(201);
        tusk.clock().advance(Duration.ofMinutes(7));
        assertThat(create(tusk, valid)).isEqualTo(401);
      }
    }

    @Test
    @DisplayName("future-dated (nbf or iat beyond the skew) → 401")
    void futureDated_is401() throws Exception {
      try (AuthFixture tusk = start()) {
        Instant later = AuthFixture.START.plus(Duration.ofMinutes(3));
        assertThat(create(tusk, hs256(claims("alice", b -> b.notBeforeTime(Date.from(later)))))).isEqualTo(401);
        assertThat(create(tusk, hs256(claims("alice", b -> b.issueTime(Date.from(later)))))).isEqualTo(401);
        tusk.clock().advance(Duration.ofMinutes(3));
        assertThat(create(tusk, hs256(claims("alice", b -> b.notBeforeTime(Date.from(later)))))).isEqualTo(201);
      }
    }

    @Test
    @DisplayName("wrong issuer, wrong audience, no exp, no sub, another secret, alg none → 401")
    void badTokens_are401() throws Exception {
      try (AuthFixture tusk = start()) {
        assertThat(create(tusk, hs256(claims("alice", b -> b.issuer("https://evil.example.com"))))).isEqualTo(401);
        assertThat(create(tusk, hs256(claims("alice", b -> b.audience("other"))))).isEqualTo(401);
        assertThat(create(tusk, hs256(claims("alice", b -> b.expirationTime(null))))).isEqualTo(401);
        assertThat(create(tusk, hs256(claims("alice", b -> b.subject(null))))).isEqualTo(401);
        String otherSecret =
            sign(new MACSigner(("x" + SECRET).getBytes(StandardCharsets.UTF_8)),
                new JWSHeader(JWSAlgorithm.HS256), claims("alice", b -> b));
        assertThat(create(tusk, otherSecret)).isEqualTo(401);
        assertThat(create(tusk, new PlainJWT(claims("alice", b -> b)).serialize())).isEqualTo(401);
        assertThat(create(tusk, "not.a.jwt")).isEqualTo(401);
      }
    }

    @Test
    @DisplayName("the scope claim decides: download only → creation 403")
    void scopes_fromTheScopeClaim() throws Exception {
      try (AuthFixture tusk = start()) {
        assertThat(create(tusk, hs256(claims("alice", b -> b.claim("scope", "download"))))).isEqualTo(403);
        assertThat(create(tusk, hs256(claims("alice", b -> b.claim("scope", null).claim("scp", java.util.List.of("upload")))))).isEqualTo(201);
      }
    }

    @Test
    @DisplayName("limits from claims: max_size 10 → an 11-byte upload is 413")
    void limits_fromClaims() throws Exception {
      try (AuthFixture tusk = start()) {
        String token = hs256(claims("alice", b -> b.claim("max_size", 10)));
        assertThat(tusk.tus(token).header("Upload-Length", 11).post("/files/").statusCode()).isEqualTo(413);
        assertThat(tusk.tus(token).header("Upload-Length", 10).post("/files/").statusCode()).isEqualTo(201);
      }
    }
  }

  @Test
  @DisplayName("RS256 with a key from a JWKS file; a key not in the set → 401")
  void rs256_fromJwksFile(@TempDir Path dir) throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    AuthConfig config =
        AuthConfig.defaults().withJwt(JwtConfig.jwksFile(jwks, Optional.of(ISSUER), Optional.empty()));
    try (AuthFixture tusk = AuthFixture.start(config)) {
      JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build();
      assertThat(create(tusk, sign(new RSASSASigner(key), header, claims("alice", b -> b)))).isEqualTo(201);
      assertThat(create(tusk, sign(new RSASSASigner(stranger), header, claims("alice", b -> b)))).isEqualTo(401);
      // the public key of the set used as an HMAC secret (algorithm confusion) → 401
      String confused =
          sign(new MACSigner(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)),
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims("alice", b -> b));
      assertThat(create(tusk, confused)).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("ES256 with a key from a JWKS URL")
  void es256_fromJwksUrl() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    idp.createContext("/jwks", ex -> {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, jwks.length);
      ex.getResponseBody().write(jwks);
      ex.close();
    });
    idp.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks");
      AuthConfig config =
          AuthConfig.defaults().withJwt(JwtConfig.jwksUrl(url, Optional.empty(), Optional.of(AUDIENCE)));
      try (AuthFixture tusk = AuthFixture.start(config)) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec1").build();
        assertThat(create(tusk, sign(new ECDSASigner(key), header, claims("alice", b -> b)))).isEqualTo(201);
        assertThat(create(tusk, sign(new ECDSASigner(key), header, claims("alice", b -> b.audience("x"))))).isEqualTo(401);
      }
    } finally {
      idp.stop(0);
    }
  }
}
