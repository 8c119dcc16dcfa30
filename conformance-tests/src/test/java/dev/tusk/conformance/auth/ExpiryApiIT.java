package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadId;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.protocol.Ttl;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/downloads.md "Keeping an upload": {@code PATCH <upload URL>/details} with {@code
 * {"expiresAt": ...}} or {@code {"keep": true}} by an admin, or by the owner where
 * auth.owner-expiry allows it. A fresh server per test because tests move its clock.
 */
class ExpiryApiIT {
  static final byte[] ABC = "abc".getBytes(StandardCharsets.UTF_8);
  AuthFixture tusk;

  private void start(AuthConfig auth, UnaryOperator<dev.tusk.server.config.ServerConfig> customize) throws Exception {
    tusk = AuthFixture.start(auth, c -> customize.apply(c.withTtl(Duration.ofHours(24), Duration.ofDays(7))));
  }

  @AfterEach
  void stop() throws Exception {
    if (tusk != null) {
      tusk.close();
    }
  }

  private Response change(String key, String path, String contentType, String body) {
    return tusk.http().header("Authorization", "Bearer " + key).contentType(contentType).body(body)
        .patch(path + "/details");
  }

  private Response change(String key, String path, String body) {
    return change(key, path, "application/json", body);
  }

  private static JsonPath problem(Response r, int status, String code) {
    assertThat(r.statusCode()).as("status, body %s", r.asString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonPath body = r.jsonPath();
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("detail")).isNotBlank();
    return body;
  }

  @Test
  @DisplayName("an admin keeps an upload: 200 with \"expiresAt\": null, no Upload-Expires, no clock or sweep removes it")
  void admin_keep_uploadSurvivesEverySweep() throws Exception {
    start(AuthFixture.keysWithLinks(), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);

    Response kept = change(AuthFixture.ADMIN, path, "{\"keep\": true}");
    assertThat(kept.statusCode()).as(kept.asString()).isEqualTo(200);
    assertThat(kept.contentType()).startsWith("application/json");
    assertThat(kept.jsonPath().getMap("")).containsEntry("expiresAt", null).containsEntry("ttlSeconds", null);
    assertThat(kept.jsonPath().getString("id")).isEqualTo(path.substring("/files/".length()));
    assertThat(kept.header("Upload-Expires")).isNull();

    tusk.clock().advance(Duration.ofDays(3650));
    assertThat(tusk.sweep()).isZero();
    Response head = tusk.tus(AuthFixture.ALICE).head(path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.header("Upload-Expires")).isNull();
    assertThat(tusk.tus(AuthFixture.ALICE).get(path).asString()).isEqualTo("abc");
    assertThat(tusk.tus(AuthFixture.ALICE).get(path + "/details").jsonPath().getString("expiresAt")).isNull();
  }

  @Test
  @DisplayName("an admin sets an expiry beyond max-ttl, and a kept upload expires again at the instant given")
  void admin_expiresAt_movesTheExpiry() throws Exception {
    start(AuthFixture.keysWithLinks(), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    assertThat(change(AuthFixture.ADMIN, path, "{\"keep\": true}").statusCode()).isEqualTo(200);
    Instant at = AuthFixture.START.plus(Duration.ofDays(30));

    Response moved = change(AuthFixture.ADMIN, path, "{\"expiresAt\": \"" + at + "\"}");
    assertThat(moved.statusCode()).as(moved.asString()).isEqualTo(200);
    assertThat(Instant.parse(moved.jsonPath().getString("expiresAt"))).isEqualTo(at);
    assertThat(moved.jsonPath().getLong("ttlSeconds")).isEqualTo(Duration.ofDays(30).toSeconds());
    assertThat(moved.header("Upload-Expires")).isEqualTo("Wed, 23 Dec 2026 10:00:00 GMT");

    tusk.clock().advance(Duration.ofDays(29));
    assertThat(tusk.sweep()).isZero();
    assertThat(tusk.tus(AuthFixture.ALICE).head(path).statusCode()).isEqualTo(200);
    tusk.clock().advance(Duration.ofDays(1));
    assertThat(tusk.sweep()).isEqualTo(1);
    assertThat(tusk.tus(AuthFixture.ALICE).head(path).statusCode()).isEqualTo(410);
  }

  @Test
  @DisplayName("the owner may not change the expiry unless auth.owner-expiry allows it (403)")
  void owner_withoutOwnerExpiry_is403() throws Exception {
    start(AuthFixture.keysWithLinks(), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    problem(change(AuthFixture.ALICE, path, "{\"keep\": true}"), 403, "ERR_FORBIDDEN");
    Instant later = AuthFixture.START.plus(Duration.ofDays(2));
    problem(change(AuthFixture.ALICE, path, "{\"expiresAt\": \"" + later + "\"}"), 403, "ERR_FORBIDDEN");
    assertThat(tusk.store().find(id(path)).orElseThrow().expiresAt())
        .contains(AuthFixture.START.plus(Duration.ofHours(24)));
  }

  @Test
  @DisplayName("with auth.owner-expiry the owner extends within max-ttl; beyond it, or keeping under a finite max-ttl, is 400")
  void owner_withOwnerExpiry_extendsWithinMaxTtl() throws Exception {
    start(AuthFixture.keysWithLinks().withOwnerExpiry(true), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    Instant within = AuthFixture.START.plus(Duration.ofDays(7));

    Response ok = change(AuthFixture.ALICE, path, "{\"expiresAt\": \"" + within + "\"}");
    assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
    assertThat(Instant.parse(ok.jsonPath().getString("expiresAt"))).isEqualTo(within);
    problem(change(AuthFixture.ALICE, path, "{\"expiresAt\": \"" + within.plusSeconds(1) + "\"}"), 400,
        "ERR_INVALID_TTL");
    problem(change(AuthFixture.ALICE, path, "{\"keep\": true}"), 400, "ERR_INVALID_TTL");
    assertThat(tusk.store().find(id(path)).orElseThrow().expiresAt()).contains(within);
  }

  @Test
  @DisplayName("with auth.owner-expiry and max-ttl never the owner keeps its upload")
  void owner_withOwnerExpiryAndMaxTtlNever_keeps() throws Exception {
    tusk = AuthFixture.start(AuthFixture.keysWithLinks().withOwnerExpiry(true),
        c -> c.withTtl(Duration.ofHours(24), Ttl.NEVER));
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    Response kept = change(AuthFixture.ALICE, path, "{\"keep\": true}");
    assertThat(kept.statusCode()).as(kept.asString()).isEqualTo(200);
    assertThat(tusk.store().find(id(path)).orElseThrow().isKept()).isTrue();
  }

  @ParameterizedTest(name = "{0} → {1} {2}")
  @CsvSource(delimiter = '|', value = {
    "not json|400|ERR_MALFORMED_BODY",
    "[]|400|ERR_MALFORMED_BODY",
    "{}|400|ERR_MALFORMED_BODY",
    "{\"keep\": true, \"expiresAt\": \"2027-01-01T00:00:00Z\"}|400|ERR_MALFORMED_BODY",
    "{\"keep\": true, \"owner\": \"x\"}|400|ERR_MALFORMED_BODY",
    "{\"keep\": false}|400|ERR_MALFORMED_BODY",
    "{\"keep\": \"yes\"}|400|ERR_MALFORMED_BODY",
    "{\"expiresAt\": 1767225600}|400|ERR_MALFORMED_BODY",
    "{\"expiresAt\": \"next week\"}|400|ERR_MALFORMED_BODY",
    "{\"expiresAt\": \"2026-11-23T09:59:59Z\"}|400|ERR_INVALID_TTL",
    "{\"expiresAt\": \"2026-11-23T10:00:00Z\"}|400|ERR_INVALID_TTL",
    "{\"expiresAt\": \"2226-11-23T10:00:00Z\"}|400|ERR_INVALID_TTL",
  })
  @DisplayName("a bad body is a 4xx problem naming what was wrong, and the expiry stays")
  void admin_badBody_is400(String body, int status, String code) throws Exception {
    start(AuthFixture.keysWithLinks(), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    problem(change(AuthFixture.ADMIN, path, body), status, code);
    assertThat(tusk.store().find(id(path)).orElseThrow().expiresAt())
        .contains(AuthFixture.START.plus(Duration.ofHours(24)));
  }

  @Test
  @DisplayName("a body that is not application/json is 415; one over 4 KiB is 413")
  void admin_wrongTypeOrTooLarge_is4xx() throws Exception {
    start(AuthFixture.keysWithLinks(), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    problem(change(AuthFixture.ADMIN, path, "text/plain", "{\"keep\": true}"), 415, "ERR_INVALID_CONTENT_TYPE");
    problem(change(AuthFixture.ADMIN, path, "{\"keep\": true, \"x\": \"" + "y".repeat(5000) + "\"}"), 413,
        "ERR_MAX_SIZE_EXCEEDED");
    assertThat(tusk.store().find(id(path)).orElseThrow().isKept()).isFalse();
  }

  @Test
  @DisplayName("an expired upload cannot be kept: 410")
  void admin_expiredUpload_is410() throws Exception {
    start(AuthFixture.keysWithLinks(), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    tusk.clock().advance(Duration.ofHours(24));
    problem(change(AuthFixture.ADMIN, path, "{\"keep\": true}"), 410, "ERR_UPLOAD_EXPIRED");
    assertThat(tusk.sweep()).isEqualTo(1);
    problem(change(AuthFixture.ADMIN, path, "{\"keep\": true}"), 410, "ERR_UPLOAD_EXPIRED");
  }

  @Test
  @DisplayName("an unknown id is 404; without credentials 401")
  void unknownOrAnonymous() throws Exception {
    start(AuthFixture.keysWithLinks(), c -> c);
    String path = tusk.upload(AuthFixture.ALICE, ABC);
    problem(change(AuthFixture.ADMIN, "/files/0123456789abcdef0123456789abcdef", "{\"keep\": true}"), 404,
        "ERR_UPLOAD_NOT_FOUND");
    Response anonymous = tusk.http().contentType("application/json").body("{\"keep\": true}").patch(path + "/details");
    problem(anonymous, 401, "ERR_UNAUTHORIZED");
  }

  @Test
  @DisplayName("without authentication (auth mode none) the API is refused: 403")
  void modeNone_is403() throws Exception {
    start(AuthConfig.defaults(), c -> c);
    Response created = tusk.anonymousTus().header("Upload-Length", 3).post("/files/");
    String path = java.net.URI.create(created.header("Location")).getPath();
    Response r = tusk.http().contentType("application/json").body("{\"keep\": true}").patch(path + "/details");
    problem(r, 403, "ERR_FORBIDDEN");
    assertThat(tusk.store().find(id(path)).orElseThrow().isKept()).isFalse();
  }

  private static UploadId id(String path) {
    return new UploadId(path.substring("/files/".length()));
  }
}
