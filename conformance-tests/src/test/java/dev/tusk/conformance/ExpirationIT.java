package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tus expiration; a fresh server per test because tests move its clock. */
class ExpirationIT {
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  @RegisterExtension
  final TuskFixture tusk =
      TuskFixture.extension(c -> c.withTtl(Duration.ofHours(24), Duration.ofDays(7)));

  @Test
  @DisplayName(
      "In order to indicate this behavior to the Client, the Server MUST add expiration to the"
          + " Tus-Extension header.")
  void options_always_advertisesExpiration() {
    assertThat(tusk.http().options("/files/").header("Tus-Extension").split(","))
        .contains("expiration");
  }

  @Test
  @DisplayName(
      "If the expiration is known at the creation, the Upload-Expires header MUST be included in"
          + " the response to the initial POST request (tusk: 24 hours after creation by default).")
  void post_default_expires24HoursAfterCreation() {
    Response created = tusk.tus().header("Upload-Length", 10).post("/files/");

    String expected = HTTP_DATE.format(TuskFixture.START.plus(Duration.ofHours(24)));
    assertThat(created.header("Upload-Expires")).isEqualTo(expected);
    String upload = Uploads.path(created.header("Location"));
    assertThat(tusk.tus().head(upload).header("Upload-Expires")).isEqualTo(expected);
    assertThat(Uploads.patch(tusk, upload, 0, new byte[1]).header("Upload-Expires"))
        .isEqualTo(expected);
  }

  @Test
  @DisplayName(
      "The Upload-Expires response header indicates the time after which the unfinished upload"
          + " expires (tusk: a ttl key in Upload-Metadata asks for a shorter time, in seconds).")
  void post_ttlInMetadata_shortensExpiry() {
    Response created =
        tusk.tus()
            .header("Upload-Length", 10)
            .header("Upload-Metadata", "ttl " + Uploads.base64("3600"))
            .post("/files/");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Upload-Expires"))
        .isEqualTo(HTTP_DATE.format(TuskFixture.START.plus(Duration.ofHours(1))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "604801", "-5", "1h", ""})
  @DisplayName(
      "The Server MAY decide to ignore or use this information to further process the request or to"
          + " reject it (tusk: a ttl of 0, above the maximum or not a number is a 400).")
  void post_invalidTtl_returns400(String ttl) {
    Response r =
        tusk.tus()
            .header("Upload-Length", 10)
            .header("Upload-Metadata", "ttl " + Uploads.base64(ttl))
            .post("/files/");

    ProblemAssert.assertProblem(r, 400);
    assertThat(r.header("Location")).isNull();
  }

  @Test
  @DisplayName("ttl equal to the maximum time to live is accepted.")
  void post_ttlEqualToMax_returns201() {
    Response r =
        tusk.tus()
            .header("Upload-Length", 10)
            .header("Upload-Metadata", "ttl " + Uploads.base64("604800"))
            .post("/files/");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("Upload-Expires"))
        .isEqualTo(HTTP_DATE.format(TuskFixture.START.plus(Duration.ofDays(7))));
  }

  @Test
  @DisplayName(
      "If a Client does attempt to resume an upload which has since been removed by the Server, the"
          + " Server SHOULD respond with the 404 Not Found or 410 Gone status. The latter one"
          + " SHOULD be used if the Server is keeping track of expired uploads.")
  void expiredUpload_beforeAndAfterSweep_answers410() throws Exception {
    String upload = Uploads.create(tusk, 10);
    Uploads.append(tusk, upload, 0, "hello".getBytes());
    Instant expires = parse(tusk.tus().head(upload).header("Upload-Expires"));

    tusk.clock().set(expires.plusSeconds(1));

    assertThat(tusk.tus().head(upload).statusCode()).isEqualTo(410);
    assertThat(tusk.tus().head(upload).header("Upload-Offset")).isNull();
    ProblemAssert.assertProblem(Uploads.patch(tusk, upload, 5, "world".getBytes()), 410);
    assertThat(tusk.server().sweepExpired()).isGreaterThanOrEqualTo(1);
    assertThat(tusk.tus().head(upload).statusCode()).isEqualTo(410);
    ProblemAssert.assertProblem(Uploads.patch(tusk, upload, 5, "world".getBytes()), 410);
    ProblemAssert.assertProblem(tusk.tus().delete("/files/0123456789abcdef0123456789abcdef"), 404);
    assertThat(tusk.tus().head("/files/0123456789abcdef0123456789abcdef").statusCode())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("The unfinished upload is available until the time specified in Upload-Expires.")
  void patch_justBeforeExpiry_succeeds() throws Exception {
    String upload = Uploads.create(tusk, 10);

    tusk.clock().advance(Duration.ofHours(24).minusSeconds(1));
    tusk.server().sweepExpired();

    Uploads.append(tusk, upload, 0, "0123456789".getBytes());
    assertThat(new String(Uploads.download(tusk, upload))).isEqualTo("0123456789");
  }

  @Test
  @DisplayName(
      "A Server MAY wish to remove incomplete uploads after a given period of time: the sweep"
          + " removes expired uploads only.")
  void sweep_removesOnlyExpiredUploads() throws Exception {
    String shortLived = Uploads.create(tusk, 10, "ttl " + Uploads.base64("60"));
    String longLived = Uploads.create(tusk, 10);

    tusk.clock().advance(Duration.ofMinutes(2));
    tusk.server().sweepExpired();

    assertThat(tusk.tus().head(shortLived).statusCode()).isEqualTo(410);
    assertThat(tusk.tus().head(longLived).statusCode()).isEqualTo(200);
    Uploads.append(tusk, longLived, 0, new byte[10]);
  }

  @Test
  @DisplayName(
      "If a Client does attempt to resume an upload which has since been removed by the Server, the"
          + " Server SHOULD respond with the 404 Not Found or 410 Gone status (GET and DELETE of an"
          + " expired upload too).")
  void getAndDelete_ofExpiredUpload_answer410() throws Exception {
    String upload = Uploads.create(tusk, 1);
    Uploads.append(tusk, upload, 0, new byte[1]);

    tusk.clock().advance(Duration.ofDays(2));

    assertThat(tusk.http().get(upload).statusCode()).isIn(404, 410);
    assertThat(tusk.tus().delete(upload).statusCode()).isIn(404, 410);
  }

  private static Instant parse(String httpDate) {
    return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(httpDate));
  }
}
