package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.protocol.Ttl;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An upload kept until deleted: no {@code Upload-Expires}, {@code "expiresAt": null} in its details,
 * and no clock jump or sweep removes it. A fresh server per test because tests move its clock.
 */
class KeptUploadIT {
  TuskFixture tusk;

  @BeforeEach
  void start() throws Exception {
    tusk = TuskFixture.start(c -> c.withTtl(Duration.ofHours(24), Duration.ofDays(7)));
  }

  @AfterEach
  void stop() throws Exception {
    tusk.close();
  }

  /** Creates an upload of {@code length} bytes and keeps it through the store, as a backend would. */
  private String keptUpload(int length) throws Exception {
    Response created = tusk.tus().header("Upload-Length", length).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String upload = Uploads.path(created.header("Location"));
    UploadId id = new UploadId(upload.substring(upload.lastIndexOf('/') + 1));
    UploadInfo info = tusk.store().find(id).orElseThrow();
    tusk.store().update(info.withExpiresAt(Optional.empty()));
    return upload;
  }

  @Test
  @DisplayName(
      "The Upload-Expires response header indicates the time after which the unfinished upload"
          + " expires (tusk: a kept upload does not expire, so no response carries the header).")
  void keptUpload_headPatchGet_haveNoUploadExpires() throws Exception {
    String upload = keptUpload(4);

    Response head = tusk.tus().head(upload);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.header("Upload-Expires")).isNull();
    Response patched = Uploads.patch(tusk, upload, 0, new byte[] {1, 2, 3, 4});
    assertThat(patched.statusCode()).isEqualTo(204);
    assertThat(patched.header("Upload-Expires")).isNull();
    Response got = tusk.http().get(upload);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.header("Upload-Expires")).isNull();
  }

  @Test
  @DisplayName("The details of a kept upload say \"expiresAt\": null and \"ttlSeconds\": null")
  void keptUpload_details_expiresAtNull() throws Exception {
    String upload = keptUpload(4);

    Response details = tusk.http().get(upload + "/details");
    assertThat(details.statusCode()).isEqualTo(200);
    JsonPath json = details.jsonPath();
    assertThat(json.getMap("").containsKey("expiresAt")).isTrue();
    assertThat(json.getString("expiresAt")).isNull();
    assertThat(json.getString("ttlSeconds")).isNull();
    assertThat(details.header("Upload-Expires")).isNull();
  }

  @Test
  @DisplayName(
      "A Server MAY wish to remove incomplete uploads after a given period of time (tusk: never a"
          + " kept one, whatever the clock says)")
  void keptUpload_clockJumpAndSweep_survives() throws Exception {
    String kept = keptUpload(4);
    Response other = tusk.tus().header("Upload-Length", 4).post("/files/");
    String expiring = Uploads.path(other.header("Location"));

    tusk.clock().advance(Duration.ofDays(3650));
    assertThat(tusk.server().sweepExpired()).isEqualTo(1);

    assertThat(tusk.tus().head(expiring).statusCode()).isIn(404, 410);
    Response head = tusk.tus().head(kept);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.header("Upload-Offset")).isEqualTo("0");
    assertThat(Uploads.patch(tusk, kept, 0, new byte[] {1, 2, 3, 4}).statusCode()).isEqualTo(204);
    assertThat(tusk.server().sweepExpired()).isZero();
    assertThat(tusk.http().get(kept).asByteArray()).containsExactly(1, 2, 3, 4);
  }

  @Test
  @DisplayName(
      "If the expiration is known at the creation, the Upload-Expires header MUST be included in"
          + " the response to the initial POST request (tusk: with --ttl never it is not known, and"
          + " uploads stay until deleted)")
  void ttlNever_uploadsHaveNoExpiryAndSurviveSweeps() throws Exception {
    tusk.close();
    tusk = TuskFixture.start(c -> c.withTtl(Ttl.NEVER, Ttl.NEVER));
    Response created = tusk.tus().header("Upload-Length", 2).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Upload-Expires")).isNull();
    String upload = Uploads.path(created.header("Location"));
    assertThat(tusk.http().get(upload + "/details").jsonPath().getString("expiresAt")).isNull();

    tusk.clock().advance(Duration.ofDays(36_500));
    assertThat(tusk.server().sweepExpired()).isZero();
    Response head = tusk.tus().head(upload);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.header("Upload-Expires")).isNull();
  }

  @Test
  @DisplayName(
      "The Upload-Expires response header indicates the time after which the unfinished upload"
          + " expires (tusk: under --ttl never a client's shorter ttl still applies)")
  void ttlNever_askedTtl_expiresAndIsSwept() throws Exception {
    tusk.close();
    tusk = TuskFixture.start(c -> c.withTtl(Ttl.NEVER, Ttl.NEVER));
    Response created =
        tusk.tus()
            .header("Upload-Length", 2)
            .header("Upload-Metadata", "ttl " + Uploads.base64("3600"))
            .post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Upload-Expires")).isNotNull();
    String upload = Uploads.path(created.header("Location"));

    tusk.clock().advance(Duration.ofHours(1));
    assertThat(tusk.server().sweepExpired()).isEqualTo(1);
    assertThat(tusk.tus().head(upload).statusCode()).isIn(404, 410);
  }

  @Test
  @DisplayName("A ttl of never is refused under a finite max-ttl")
  void ttlNeverUnderFiniteMax_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TuskFixture.start(c -> c.withTtl(Ttl.NEVER, Duration.ofDays(7))))
        .hasMessageContaining("longer than max TTL");
  }
}
