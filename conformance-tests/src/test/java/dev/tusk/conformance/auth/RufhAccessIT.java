package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Access control for Resumable Uploads for HTTP is the same as for tus: credentials are required
 * to create, the owner alone reaches an upload, and a non-owner gets exactly the answer about an
 * unknown upload, with the upload left as it was.
 */
class RufhAccessIT {
  static final String UNKNOWN = "/files/0123456789abcdef0123456789abcdef";
  AuthFixture tusk;

  @BeforeEach
  void start() throws Exception {
    tusk = AuthFixture.start(AuthFixture.keysWithLinks());
  }

  @AfterEach
  void stop() throws Exception {
    tusk.close();
  }

  RequestSpecification draft(String key) {
    RequestSpecification r = tusk.http().header("Upload-Draft-Interop-Version", 8);
    return key == null ? r : r.header("Authorization", "Bearer " + key);
  }

  @Test
  @DisplayName("A draft creation without credentials is refused like a tus one (401)")
  void creation_anonymous_401() {
    Response r = draft(null).header("Upload-Complete", "?1").body(new byte[] {1, 2}).post("/files/");
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName(
      "Another owner's draft upload: offset retrieval, append and cancellation answer as for an"
          + " unknown upload, and the upload is left as it was")
  void anotherOwnersUpload_answersAsUnknown() {
    Response created =
        draft(AuthFixture.ALICE).header("Upload-Complete", "?0").body(new byte[] {1, 2, 3}).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String path = URI.create(created.header("Location")).getPath();

    for (String target : new String[] {path, UNKNOWN}) {
      assertThat(draft(AuthFixture.BOB).head(target).statusCode()).isEqualTo(404);
    }
    Response theirs = append(AuthFixture.BOB, path);
    Response unknown = append(AuthFixture.BOB, UNKNOWN);
    assertThat(theirs.statusCode()).isEqualTo(404).isEqualTo(unknown.statusCode());
    assertThat(theirs.jsonPath().getString("code")).isEqualTo(unknown.jsonPath().getString("code"));
    assertThat(draft(AuthFixture.BOB).delete(path).statusCode()).isEqualTo(404);

    Response head = draft(AuthFixture.ALICE).head(path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.header("Upload-Offset")).isEqualTo("3");
    assertThat(head.header("Upload-Complete")).isEqualTo("?0");
  }

  @Test
  @DisplayName("An expired draft upload is gone for its owner, as a tus one is (410)")
  void expiredUpload_410() {
    Response created =
        draft(AuthFixture.ALICE).header("Upload-Complete", "?0").body(new byte[] {1}).post("/files/");
    String path = URI.create(created.header("Location")).getPath();
    tusk.clock().advance(Duration.ofHours(25));
    assertThat(draft(AuthFixture.ALICE).head(path).statusCode()).isEqualTo(410);
  }

  @Test
  @DisplayName(
      "A draft creation by PUT counts as a write for the rate limits, as a POST does: after the"
          + " burst, 429")
  void putCreations_countAsWrites() throws Exception {
    tusk.close();
    tusk = AuthFixture.start(AuthFixture.keysWithLinks()
        .withTiers(java.util.Map.of("default", new dev.tusk.server.limits.Tier(8, 3))));
    tusk.clock().advance(Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      Response r = draft(AuthFixture.ALICE).header("Upload-Complete", "?1").body(new byte[] {1}).put("/files/");
      assertThat(r.statusCode()).isEqualTo(201);
    }
    Response limited = draft(AuthFixture.ALICE).header("Upload-Complete", "?1").body(new byte[] {1}).put("/files/");
    assertThat(limited.statusCode()).isEqualTo(429);
  }

  private Response append(String key, String path) {
    return draft(key).header("Upload-Complete", "?1").header("Upload-Offset", 3)
        .contentType("application/partial-upload").body(new byte[] {4}).patch(path);
  }
}
