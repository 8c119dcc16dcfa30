package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.JwtConfig;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers in a trusted JWT ({@code max_ttl}, {@code max_size}) of any size never overflow. */
class ClaimNumbersIT {
  static final long MAX = Long.MAX_VALUE;

  AuthFixture jwt() throws Exception {
    return AuthFixture.start(
        AuthConfig.defaults()
            .withJwt(JwtConfig.hs256(JwtIT.SECRET, Optional.of(JwtIT.ISSUER), Optional.of(JwtIT.AUDIENCE))));
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE / 1000, 1L << 40})
  @DisplayName("a JWT max_ttl beyond any instant leaves the server's ttl in place (201), never a 5xx")
  void jwt_hugeMaxTtl_createsWithTheServersTtl(long maxTtl) throws Exception {
    try (AuthFixture tusk = jwt()) {
      String token = JwtIT.hs256(JwtIT.claims("alice", b -> b.claim("max_ttl", maxTtl)));

      Response r = tusk.tus(token).header("Upload-Length", 1).post("/files/");

      assertThat(r.statusCode()).as("body %s", r.asString()).isEqualTo(201);
      Instant expires = ZonedDateTime.parse(r.header("Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      assertThat(expires).isEqualTo(AuthFixture.START.plus(Duration.ofHours(24)));
      String path = URI.create(r.header("Location")).getPath();
      assertThat(tusk.tus(token).head(path).statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a JWT max_ttl shorter than the server's ttl still shortens it")
  void jwt_shortMaxTtl_shortensTheTtl() throws Exception {
    try (AuthFixture tusk = jwt()) {
      String token = JwtIT.hs256(JwtIT.claims("alice", b -> b.claim("max_ttl", 3600)));

      Response r = tusk.tus(token).header("Upload-Length", 1).post("/files/");

      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(ZonedDateTime.parse(r.header("Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
          .isEqualTo(AuthFixture.START.plus(Duration.ofHours(1)));
    }
  }

  @Test
  @DisplayName("a JWT max_size holds for finals: partials within it whose sum is not are refused (413); deferred ones too (400)")
  void jwt_maxSize_holdsForTheSumOfAFinal() throws Exception {
    try (AuthFixture tusk = jwt()) {
      String token = JwtIT.hs256(JwtIT.claims("alice", b -> b.claim("max_size", 1000)));
      String a = partial(tusk, token, "Upload-Length", "600");
      String b = partial(tusk, token, "Upload-Length", "600");

      Response fin = tusk.tus(token).header("Upload-Concat", "final;" + a + " " + b).post("/files/");
      assertThat(fin.statusCode()).as("body %s", fin.asString()).isEqualTo(413);
      assertThat(fin.jsonPath().getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");

      Response deferred = tusk.tus(token).header("Upload-Defer-Length", 1).header("Upload-Concat", "partial")
          .post("/files/");
      assertThat(deferred.statusCode()).isEqualTo(400);
      Response within = tusk.tus(token).header("Upload-Concat", "final;" + a + " " + partial(tusk, token,
          "Upload-Length", "400")).post("/files/");
      assertThat(within.statusCode()).isEqualTo(201);
    }
  }

  private static String partial(AuthFixture tusk, String token, String header, String value) {
    Response r = tusk.tus(token).header(header, value).header("Upload-Concat", "partial").post("/files/");
    assertThat(r.statusCode()).as("body %s", r.asString()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  @Test
  @DisplayName("a JWT max_size of 2^63-1 limits nothing (201), and 2^63-1 bytes declared are never a 5xx")
  void jwt_maxSizeOfLongMax_limitsNothing() throws Exception {
    try (AuthFixture tusk = jwt()) {
      String token = JwtIT.hs256(JwtIT.claims("alice", b -> b.claim("max_size", MAX)));

      Response r = tusk.tus(token).header("Upload-Length", 1000).post("/files/");
      assertThat(r.statusCode()).as("body %s", r.asString()).isEqualTo(201);

      Response huge = tusk.tus(token).header("Upload-Length", MAX).post("/files/");
      assertThat(huge.statusCode()).as("body %s", huge.asString()).isIn(201, 413);
    }
  }
}
