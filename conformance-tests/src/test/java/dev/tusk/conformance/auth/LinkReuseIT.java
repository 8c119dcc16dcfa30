package dev.tusk.conformance.auth;

import static dev.tusk.conformance.auth.LinksIT.b64;
import static dev.tusk.conformance.auth.LinksIT.local;
import static dev.tusk.conformance.auth.LinksIT.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A signed upload link creates at most one upload, ever: once used it answers 403 ERR_LINK_USED
 * whatever became of that upload (deleted by its holder, discarded after a checksum mismatch) and
 * whichever server instance on the same store is asked.
 */
class LinkReuseIT {
  static final byte[] FILE = "%PDF-1.7 the invoice".getBytes(StandardCharsets.UTF_8);
  @RegisterExtension
  final AuthFixture tusk = AuthFixture.extension(AuthFixture.keysWithLinks());

  @Test
  @DisplayName("the link's upload deleted by its holder: the link again → 403 ERR_LINK_USED, nothing created")
  void link_afterItsUploadWasDeleted_isUsed() {
    String url = signedUrl();
    String location = uploadThrough(url);
    assertThat(tusk.anonymousTus().delete(local(location)).statusCode()).isEqualTo(204);

    assertUsed(url);
    assertNothingCreated(url);
  }

  @Test
  @DisplayName("the link's upload discarded by a 460 checksum mismatch: the link again → 403 ERR_LINK_USED")
  void link_afterAChecksumMismatch_isUsed() {
    String url = signedUrl();
    Response created = create(url);
    assertThat(created.statusCode()).isEqualTo(201);
    byte[] other = FILE.clone();
    other[0] ^= 1;
    assertThat(patch(created.header("Location"), other).statusCode()).isEqualTo(460);

    assertUsed(url);
    assertNothingCreated(url);
  }

  @Test
  @DisplayName("a restarted server on the same store still knows the link was used, its upload deleted or not")
  void link_afterARestart_isUsed() throws Exception {
    String deleted = signedUrl();
    assertThat(tusk.anonymousTus().delete(local(uploadThrough(deleted))).statusCode()).isEqualTo(204);
    String kept = signedUrl();
    uploadThrough(kept);

    tusk.restart();

    assertUsed(deleted);
    assertNothingCreated(deleted);
    assertUsed(kept);
    String path = local(kept).replaceFirst("\\?.*", "") + uploadId(kept);
    assertThat(tusk.tus(AuthFixture.ALICE).get(path).asByteArray()).as("the first upload is kept").isEqualTo(FILE);
  }

  @Test
  @DisplayName("two instances on one store: the link used and deleted on one is used on the other; sent to both at once, exactly one creates")
  void link_onTwoInstancesOfAFleet_createsOneUpload() throws Exception {
    try (AuthFixture other = tusk.sibling()) {
      String url = signedUrl();
      String location = uploadThrough(url);
      assertThat(tusk.anonymousTus().delete(local(location)).statusCode()).isEqualTo(204);
      Response again = create(other, url);
      assertThat(again.statusCode()).as(again.asString()).isEqualTo(403);
      assertThat(again.jsonPath().getString("code")).isEqualTo("ERR_LINK_USED");

      String raced = signedUrl();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var first = pool.submit(() -> create(tusk, raced).statusCode());
        var second = pool.submit(() -> create(other, raced).statusCode());
        assertThat(java.util.List.of(first.get(), second.get())).containsExactlyInAnyOrder(201, 403);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  @DisplayName("a link refused before it created anything (wrong size) may still be used")
  void link_refusedAttempt_doesNotUseIt() {
    String url = signedUrl();
    Response wrong =
        tusk.anonymousTus()
            .header("Upload-Length", FILE.length - 1)
            .header("Upload-Metadata", "filetype " + b64("application/pdf"))
            .post(local(url));
    assertThat(wrong.statusCode()).isEqualTo(400);
    uploadThrough(url);
  }

  private void assertUsed(String url) {
    Response again = create(url);
    assertThat(again.statusCode()).as(again.asString()).isEqualTo(403);
    assertThat(again.jsonPath().getString("code")).isEqualTo("ERR_LINK_USED");
    Response single = tusk.http().contentType("application/pdf").body(FILE).post(local(url));
    assertThat(single.statusCode()).as(single.asString()).isEqualTo(403);
    assertThat(single.jsonPath().getString("code")).isEqualTo("ERR_LINK_USED");
  }

  /** The owner finds no upload of the link's id: the refused attempts created nothing. */
  private void assertNothingCreated(String url) {
    String path = local(url).replaceFirst("\\?.*", "");
    assertThat(tusk.tus(AuthFixture.ALICE).head(path + uploadId(url)).statusCode()).isEqualTo(404);
  }

  /** The upload id a link names, from the link's issuance answer kept by {@link #signedUrl}. */
  private String uploadId(String url) {
    return ids.get(url);
  }

  private final java.util.Map<String, String> ids = new java.util.HashMap<>();

  private String signedUrl() {
    Response r =
        tusk.http().header("Authorization", "Bearer " + AuthFixture.ALICE)
            .contentType("application/json")
            .body("{\"size\":" + FILE.length + ",\"content_types\":[\"application/pdf\"],\"sha256\":\""
                + sha256(FILE) + "\",\"ttl\":600,\"file_ttl\":3600}")
            .post("/files/links");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    String url = r.jsonPath().getString("signed_url");
    ids.put(url, r.jsonPath().getString("upload_id"));
    return url;
  }

  private String uploadThrough(String url) {
    Response created = create(url);
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    assertThat(patch(created.header("Location"), FILE).statusCode()).isEqualTo(204);
    return created.header("Location");
  }

  private Response create(String url) {
    return create(tusk, url);
  }

  private static Response create(AuthFixture server, String url) {
    return server.anonymousTus()
        .header("Upload-Length", FILE.length)
        .header("Upload-Metadata", "filetype " + b64("application/pdf"))
        .post(local(url));
  }

  private Response patch(String location, byte[] body) {
    return tusk.anonymousTus().header("Upload-Offset", 0).contentType("application/offset+octet-stream")
        .body(body).patch(local(location));
  }
}
