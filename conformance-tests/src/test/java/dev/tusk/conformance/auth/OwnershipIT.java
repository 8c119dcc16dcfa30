package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files belong to the user who uploaded them: only the owner (or admin) may touch an upload, and
 * anyone else is told exactly what they would be told about an upload that does not exist.
 */
class OwnershipIT {
  static final String UNKNOWN = "/files/0123456789abcdef0123456789abcdef";
  @RegisterExtension
  static final AuthFixture tusk = AuthFixture.extension(AuthFixture.keysWithLinks());
  static String alices;

  @BeforeAll
  static void start() throws Exception {
    alices = tusk.upload(AuthFixture.ALICE, "alice's bytes".getBytes());
  }

  @ParameterizedTest(name = "{0} of another owner's upload → 404, as for an unknown upload")
  @ValueSource(strings = {"HEAD", "PATCH", "GET", "DELETE", "DETAILS"})
  void anotherOwnersUpload_is404LikeAnUnknownOne(String method) {
    Response theirs = request(AuthFixture.BOB, method, alices);
    Response unknown = request(AuthFixture.BOB, method, UNKNOWN);
    assertThat(theirs.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    if (!method.equals("HEAD")) {
      assertThat(theirs.jsonPath().getString("code")).isEqualTo(unknown.jsonPath().getString("code"));
      assertThat(theirs.jsonPath().getString("detail"))
          .isEqualTo(unknown.jsonPath().getString("detail").replace(UNKNOWN.substring(7), alices.substring(7)));
    }
    assertThat(request(AuthFixture.ALICE, "HEAD", alices).statusCode())
        .as("the upload is untouched").isEqualTo(200);
  }

  @ParameterizedTest(name = "the owner may {0}")
  @ValueSource(strings = {"HEAD", "GET", "DETAILS"})
  void owner_mayAccess(String method) {
    assertThat(request(AuthFixture.ALICE, method, alices).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "admin may {0} anyone's upload")
  @ValueSource(strings = {"HEAD", "GET", "DETAILS"})
  void admin_mayAccessAnyUpload(String method) {
    assertThat(request(AuthFixture.ADMIN, method, alices).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the owner may terminate; the upload is gone afterwards")
  void owner_mayDelete() {
    String path = tusk.upload(AuthFixture.ALICE, "x".getBytes());
    assertThat(request(AuthFixture.BOB, "DELETE", path).statusCode()).isEqualTo(404);
    assertThat(request(AuthFixture.ALICE, "DELETE", path).statusCode()).isEqualTo(204);
    assertThat(request(AuthFixture.ALICE, "HEAD", path).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("concatenation only of one's own partials; another owner's partial is a 404, exactly like an unknown one")
  void concatenation_ofAnotherOwnersPartial_isRefusedLikeAnUnknownOne() {
    String alicePartial = partial(AuthFixture.ALICE, "abc");
    String bobPartial = partial(AuthFixture.BOB, "def");

    Response theirs = concat(AuthFixture.BOB, bobPartial + " " + alicePartial);
    Response unknown = concat(AuthFixture.BOB, bobPartial + " " + UNKNOWN);
    assertThat(theirs.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(404);
    assertThat(theirs.jsonPath().getString("code")).isEqualTo(unknown.jsonPath().getString("code"));
    assertThat(theirs.jsonPath().getString("detail"))
        .isEqualTo(unknown.jsonPath().getString("detail").replace(UNKNOWN.substring(7), alicePartial.substring(7)));

    Response own = concat(AuthFixture.BOB, bobPartial + " " + partial(AuthFixture.BOB, "ghi"));
    assertThat(own.statusCode()).isEqualTo(201);
    String fin = URI.create(own.header("Location")).getPath();
    assertThat(tusk.tus(AuthFixture.BOB).get(fin).asString()).isEqualTo("defghi");
    assertThat(request(AuthFixture.ALICE, "GET", fin).statusCode()).isEqualTo(404);
  }

  private static String partial(String key, String content) {
    Response r =
        tusk.tus(key)
            .header("Upload-Length", content.length())
            .header("Upload-Concat", "partial")
            .contentType("application/offset+octet-stream")
            .body(content.getBytes())
            .post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  private static Response concat(String key, String partials) {
    return tusk.tus(key).header("Upload-Concat", "final;" + partials).post("/files/");
  }

  private static Response request(String key, String method, String path) {
    return switch (method) {
      case "DETAILS" -> tusk.tus(key).get(path + "/details");
      case "PATCH" ->
          tusk.tus(key).header("Upload-Offset", 0).contentType("application/offset+octet-stream")
              .body(new byte[0]).patch(path);
      default -> tusk.tus(key).request(method, path);
    };
  }
}
