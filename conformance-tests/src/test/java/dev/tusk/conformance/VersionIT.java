package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tusk.core.UploadLister;
import io.restassured.response.Response;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** tus core: Tus-Resumable, Tus-Version and the 412 for an unsupported version. */
class VersionIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension(c -> c.withMaxSize(1 << 20));

  static Stream<Arguments> responses() {
    return Stream.of(
        response("OPTIONS 204", t -> t.http().options("/files/")),
        response("POST 201", t -> t.tus().header("Upload-Length", 3).post("/files/")),
        response("HEAD 200", t -> t.tus().head(Uploads.create(t, 3))),
        response("PATCH 204", t -> Uploads.patch(t, Uploads.create(t, 3), 0, new byte[3])),
        response("DELETE 204", t -> t.tus().delete(Uploads.create(t, 3))),
        response("HEAD 404", t -> t.tus().head("/files/0123456789abcdef0123456789abcdef")),
        response("PATCH 409", t -> Uploads.patch(t, Uploads.create(t, 3), 1, new byte[1])),
        response(
            "PATCH 415",
            t ->
                t.tus()
                    .contentType("text/plain")
                    .body("x")
                    .header("Upload-Offset", 0)
                    .patch(Uploads.create(t, 3))),
        response("POST 400", t -> t.tus().post("/files/")),
        response("POST 413", t -> t.tus().header("Upload-Length", 2 << 20).post("/files/")),
        response(
            "POST 412",
            t ->
                t.http()
                    .header("Tus-Resumable", "0.2.2")
                    .header("Upload-Length", 3)
                    .post("/files/")));
  }

  private static Arguments response(String name, Function<TuskFixture, Response> request) {
    return Arguments.of(Named.of(name, request));
  }

  @ParameterizedTest
  @MethodSource("responses")
  @DisplayName(
      "The Tus-Resumable header MUST be included in every request and response except for OPTIONS"
          + " requests.")
  void anyResponse_successOrError_carriesTusResumable(Function<TuskFixture, Response> request) {
    Response r = request.apply(tusk);

    assertThat(r.header("Tus-Resumable")).isEqualTo("1.0.0");
  }

  @Test
  @DisplayName(
      "If the version specified by the Client is not supported by the Server, it MUST respond with"
          + " the 412 Precondition Failed status and MUST include the Tus-Version header into the"
          + " response. In addition, the Server MUST NOT process the request.")
  void post_unsupportedVersion_returns412WithTusVersionAndCreatesNothing() throws Exception {
    long before = storedUploads();

    Response r =
        tusk.http().header("Tus-Resumable", "0.2.2").header("Upload-Length", 10).post("/files/");

    assertThat(r.statusCode()).isEqualTo(412);
    assertThat(r.header("Tus-Version")).isEqualTo("1.0.0");
    assertThat(r.header("Location")).isNull();
    assertThat(storedUploads()).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "If the version specified by the Client is not supported by the Server, it MUST respond with"
          + " the 412 Precondition Failed status [...] In addition, the Server MUST NOT process the"
          + " request.")
  void patch_unsupportedVersion_returns412AndStoresNothing() {
    String upload = Uploads.create(tusk, 5);

    Response r =
        tusk.http()
            .header("Tus-Resumable", "2.0.0")
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .body("hello".getBytes())
            .patch(upload);

    assertThat(r.statusCode()).isEqualTo(412);
    assertThat(r.header("Tus-Version")).isEqualTo("1.0.0");
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName(
      "If the version specified by the Client is not supported by the Server, it MUST respond with"
          + " the 412 Precondition Failed status [...] In addition, the Server MUST NOT process the"
          + " request.")
  void delete_unsupportedVersion_returns412AndKeepsUpload() {
    String upload = Uploads.create(tusk, 5);

    Response r = tusk.http().header("Tus-Resumable", "0.1.0").delete(upload);

    assertThat(r.statusCode()).isEqualTo(412);
    assertThat(tusk.tus().head(upload).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "The Client SHOULD NOT include the Tus-Resumable header in the request and the Server MUST"
          + " ignore the header.")
  void options_unsupportedTusResumable_isIgnored() {
    Response r = tusk.http().header("Tus-Resumable", "0.2.2").options("/files/");

    assertThat(r.statusCode()).isIn(200, 204);
    assertThat(r.header("Tus-Version")).isEqualTo("1.0.0");
  }

  @Test
  @DisplayName(
      "The Tus-Version response header MUST be a comma-separated list of protocol versions"
          + " supported by the Server.")
  void options_always_listsVersion100() {
    Response r = tusk.http().options("/files/");

    assertThat(r.header("Tus-Version").split(",")).contains("1.0.0");
  }

  private static long storedUploads() throws Exception {
    assumeTrue(tusk.store() instanceof UploadLister, "the store cannot list its uploads");
    try (Stream<?> ids = ((UploadLister) tusk.store()).list()) {
      return ids.count();
    }
  }
}
