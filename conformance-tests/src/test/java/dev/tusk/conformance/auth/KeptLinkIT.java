package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadId;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** docs/securing.md: a link request's {@code "keep": true} makes an upload kept until deleted. */
class KeptLinkIT {
  AuthFixture tusk;

  @BeforeEach
  void start() throws Exception {
    tusk = AuthFixture.start(AuthFixture.keysWithLinks());
  }

  @AfterEach
  void stop() throws Exception {
    tusk.close();
  }

  private Response issue(String key, String body) {
    return tusk.http().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
        .post("/files/links");
  }

  private static String local(String url) {
    URI u = URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  @Test
  @DisplayName("an admin's link with keep: its upload has no expiry, no Upload-Expires, and outlives every sweep")
  void adminLinkWithKeep_uploadIsKept() throws Exception {
    Response issued = issue(AuthFixture.ADMIN, "{\"keep\": true, \"owner\": \"alice\", \"size\": 3}");
    assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
    JsonPath link = issued.jsonPath();
    assertThat(link.getBoolean("file_limits.keep")).isTrue();
    assertThat(link.getMap("file_limits")).containsEntry("ttl_seconds", null);

    Response created = tusk.anonymousTus().header("Upload-Length", 3)
        .contentType("application/offset+octet-stream").body("abc".getBytes())
        .post(local(link.getString("signed_url")));
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    assertThat(created.header("Upload-Expires")).isNull();
    String path = URI.create(created.header("Location")).getPath();
    assertThat(tusk.store().find(new UploadId(path.substring("/files/".length()))).orElseThrow().isKept()).isTrue();

    tusk.clock().advance(Duration.ofDays(3650));
    assertThat(tusk.sweep()).isZero();
    Response head = tusk.tus(AuthFixture.ALICE).head(path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.header("Upload-Expires")).isNull();
  }

  @Test
  @DisplayName("keep from a non-admin under a finite max-ttl is 400; keep with file_ttl is 400; keep false is the default TTL")
  void keepRules() {
    Response owner = issue(AuthFixture.ALICE, "{\"keep\": true}");
    assertThat(owner.statusCode()).as(owner.asString()).isEqualTo(400);
    assertThat(owner.jsonPath().getString("code")).isEqualTo("ERR_INVALID_TTL");
    Response both = issue(AuthFixture.ADMIN, "{\"keep\": true, \"file_ttl\": 3600}");
    assertThat(both.statusCode()).as(both.asString()).isEqualTo(400);
    assertThat(both.jsonPath().getString("detail")).contains("either file_ttl or keep");
    Response off = issue(AuthFixture.ALICE, "{\"keep\": false}");
    assertThat(off.statusCode()).as(off.asString()).isEqualTo(201);
    assertThat(off.jsonPath().getLong("file_limits.ttl_seconds")).isEqualTo(Duration.ofHours(24).toSeconds());
  }
}
