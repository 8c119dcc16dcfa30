package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tus termination. */
class TerminationIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName(
      "If this extension is supported by the Server, it MUST be announced by adding termination to"
          + " the Tus-Extension header.")
  void options_always_advertisesTermination() {
    assertThat(tusk.http().options("/files/").header("Tus-Extension").split(","))
        .contains("termination");
  }

  @Test
  @DisplayName(
      "When receiving a DELETE request for an existing upload the Server SHOULD free associated"
          + " resources and MUST respond with the 204 No Content status confirming that the upload"
          + " was terminated.")
  void delete_unfinishedUpload_returns204() {
    String upload = Uploads.create(tusk, 10);
    Uploads.append(tusk, upload, 0, "hello".getBytes());

    Response r = tusk.tus().delete(upload);

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.header("Tus-Resumable")).isEqualTo("1.0.0");
  }

  @Test
  @DisplayName(
      "This extension defines a way for the Client to terminate completed and unfinished uploads"
          + " [...] MUST respond with the 204 No Content status.")
  void delete_completedUpload_returns204AndDownloadIsGone() {
    String upload = Uploads.create(tusk, 5);
    Uploads.append(tusk, upload, 0, "hello".getBytes());

    assertThat(tusk.tus().delete(upload).statusCode()).isEqualTo(204);

    assertThat(tusk.http().get(upload).statusCode()).isIn(404, 410);
  }

  @Test
  @DisplayName(
      "For all future requests to this URL, the Server SHOULD respond with the 404 Not Found or 410"
          + " Gone status. (An upload downloaded just before: a server that keeps complete uploads'"
          + " files open must not serve them after termination.)")
  void downloads_afterDeleteOfAJustDownloadedUpload_return404Or410() {
    String upload = Uploads.create(tusk, 5);
    Uploads.append(tusk, upload, 0, "hello".getBytes());
    assertThat(tusk.http().get(upload).asString()).isEqualTo("hello");
    assertThat(tusk.http().header("Range", "bytes=1-2").get(upload).asString()).isEqualTo("el");

    assertThat(tusk.tus().delete(upload).statusCode()).isEqualTo(204);

    assertThat(tusk.http().get(upload).statusCode()).isIn(404, 410);
    assertThat(tusk.http().header("Range", "bytes=1-2").get(upload).statusCode()).isIn(404, 410);
    assertThat(tusk.tus().head(upload).statusCode()).isIn(404, 410);
  }

  @Test
  @DisplayName(
      "For all future requests to this URL, the Server SHOULD respond with the 404 Not Found or 410"
          + " Gone status.")
  void requests_afterDelete_return404Or410() {
    String upload = Uploads.create(tusk, 10);
    Uploads.append(tusk, upload, 0, "hello".getBytes());
    assertThat(tusk.tus().delete(upload).statusCode()).isEqualTo(204);

    assertThat(tusk.tus().head(upload).statusCode()).isIn(404, 410);
    assertThat(tusk.tus().head(upload).header("Upload-Offset")).isNull();
    assertThat(Uploads.patch(tusk, upload, 5, "world".getBytes()).statusCode()).isIn(404, 410);
    assertThat(tusk.tus().delete(upload).statusCode()).isIn(404, 410);
  }

  @Test
  @DisplayName(
      "When receiving a DELETE request for an existing upload [...] (an upload that does not exist"
          + " is 404 Not Found).")
  void delete_unknownUpload_returns404() {
    ProblemAssert.assertProblem(tusk.tus().delete("/files/0123456789abcdef0123456789abcdef"), 404);
  }

  @Test
  @DisplayName("Termination of a deferred-length upload: DELETE 204, then 404 or 410.")
  void delete_deferredUpload_returns204() {
    String upload =
        Uploads.path(
            tusk.tus().header("Upload-Defer-Length", 1).post("/files/").header("Location"));

    assertThat(tusk.tus().delete(upload).statusCode()).isEqualTo(204);
    assertThat(tusk.tus().head(upload).statusCode()).isIn(404, 410);
  }
}
