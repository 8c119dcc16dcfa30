package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tus core: HEAD. */
class HeadIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName(
      "The Server MUST always include the Upload-Offset header in the response for a HEAD request,"
          + " even if the offset is 0 [...] If the size of the upload is known, the Server MUST"
          + " include the Upload-Length header in the response.")
  void head_newUpload_returnsOffsetZeroAndLength() {
    String upload = Uploads.create(tusk, 42);

    Response r = tusk.tus().head(upload);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("Upload-Offset")).isEqualTo("0");
    assertThat(r.header("Upload-Length")).isEqualTo("42");
    assertThat(r.header("Upload-Defer-Length")).isNull();
  }

  @Test
  @DisplayName(
      "The Server MUST always include the Upload-Offset header in the response for a HEAD request,"
          + " even if [...] the upload is already considered completed.")
  void head_afterPatches_returnsCurrentOffsetUntilComplete() {
    String upload = Uploads.create(tusk, 6);
    Uploads.append(tusk, upload, 0, "abc".getBytes());
    assertThat(Uploads.offset(tusk, upload)).isEqualTo(3);

    Uploads.append(tusk, upload, 3, "def".getBytes());

    Response r = tusk.tus().head(upload);
    assertThat(r.header("Upload-Offset")).isEqualTo("6");
    assertThat(r.header("Upload-Length")).isEqualTo("6");
  }

  @Test
  @DisplayName(
      "As long as the length of the upload is not known, the Server MUST set Upload-Defer-Length: 1"
          + " in all responses to HEAD requests.")
  void head_deferredLength_returnsDeferLengthAndNoLength() {
    String upload =
        Uploads.path(
            tusk.tus().header("Upload-Defer-Length", 1).post("/files/").header("Location"));

    Response r = tusk.tus().head(upload);

    assertThat(r.header("Upload-Defer-Length")).isEqualTo("1");
    assertThat(r.header("Upload-Length")).isNull();
    assertThat(r.header("Upload-Offset")).isEqualTo("0");
  }

  @Test
  @DisplayName(
      "If an upload contains additional metadata, responses to HEAD requests MUST include the"
          + " Upload-Metadata header and its value as specified by the Client during the creation.")
  void head_withMetadata_echoesMetadata() {
    String metadata =
        "filename "
            + Uploads.base64("résumé.pdf")
            + ",empty,type "
            + Uploads.base64("application/pdf");
    String upload = Uploads.create(tusk, 1, metadata);

    assertThat(tusk.tus().head(upload).header("Upload-Metadata")).isEqualTo(metadata);
  }

  @Test
  @DisplayName(
      "If an upload contains additional metadata, responses to HEAD requests MUST include the"
          + " Upload-Metadata header (none when the upload has none).")
  void head_withoutMetadata_hasNoMetadataHeader() {
    assertThat(tusk.tus().head(Uploads.create(tusk, 1)).header("Upload-Metadata")).isNull();
  }

  @Test
  @DisplayName(
      "Response to HEAD request against partial or final upload MUST include the Upload-Concat"
          + " header and its value as received in the upload creation request.")
  void head_partialUpload_returnsUploadConcatPartial() {
    Response created =
        tusk.tus().header("Upload-Length", 5).header("Upload-Concat", "partial").post("/files/");

    Response r = tusk.tus().head(Uploads.path(created.header("Location")));

    assertThat(r.header("Upload-Concat")).isEqualTo("partial");
    assertThat(r.header("Upload-Offset")).isEqualTo("0");
  }

  @Test
  @DisplayName(
      "The Server MUST prevent the client and/or proxies from caching the response by adding the"
          + " Cache-Control: no-store header to the response.")
  void head_always_returnsCacheControlNoStore() {
    Response r = tusk.tus().head(Uploads.create(tusk, 1));

    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  @DisplayName("A response to HEAD has no body.")
  void head_always_hasNoBody() throws Exception {
    String upload = Uploads.create(tusk, 7);
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head("HEAD " + upload + " HTTP/1.1", "Tus-Resumable: 1.0.0");
      RawHttp.Reply first = raw.read(true);
      raw.head("HEAD /files/0123456789abcdef0123456789abcdef HTTP/1.1", "Tus-Resumable: 1.0.0");
      RawHttp.Reply second = raw.read(true);
      raw.head("OPTIONS /files/ HTTP/1.1");
      RawHttp.Reply third = raw.read();

      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(404);
      // a body after either HEAD would have been read as the next status line
      assertThat(third.status()).isIn(200, 204);
    }
  }

  @Test
  @DisplayName(
      "If the resource is not found, the Server SHOULD return either the 404 Not Found, 410 Gone or"
          + " 403 Forbidden status without the Upload-Offset header.")
  void head_unknownId_returns404WithoutOffset() {
    Response r = tusk.tus().head("/files/0123456789abcdef0123456789abcdef");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.header("Upload-Offset")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"abc", "..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fetc", "%00", "a%20b%20c%20d%20e"})
  @DisplayName(
      "If the resource is not found, the Server SHOULD return either the 404 Not Found [...]"
          + " without the Upload-Offset header (a malformed id never reaches the disk).")
  void head_malformedId_returns404WithoutOffset(String id) {
    Response r = tusk.tus().head("/files/" + id);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.header("Upload-Offset")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"abc", "..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fetc", "%2e%2e%2f%2e%2e%2fetc"})
  @DisplayName(
      "If the server receives a PATCH request against a non-existent resource it SHOULD return a"
          + " 404 Not Found status (a problem+json that names no path on disk).")
  void patch_malformedId_returns404ProblemWithoutPath(String id) {
    Response r = Uploads.patch(tusk, "/files/" + id, 0, new byte[1]);

    ProblemAssert.assertProblem(r, 404);
    assertThat(r.asString()).doesNotContain("tusk-conformance-", "/tmp", "/uploads");
  }

  @Test
  @DisplayName(
      "tus core: a request for an upload that does not exist is answered 404 Not Found, with an"
          + " error body.")
  void delete_unknownId_returns404Problem() {
    ProblemAssert.assertProblem(tusk.tus().delete("/files/0123456789abcdef0123456789abcdef"), 404);
  }
}
