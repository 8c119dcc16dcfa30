package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CORS, which browser clients (tus-js-client, Uppy) need: without exposed headers a browser hides
 * Location and Upload-Offset from the client. One server allows any origin, one only
 * https://a.example.
 */
class CorsIT {
  static final String ORIGIN = "https://app.example";
  @RegisterExtension
  static final TuskFixture any = TuskFixture.extension();

  @RegisterExtension
  static final TuskFixture restricted =
      TuskFixture.extension(c -> c.withCorsOrigins(List.of("https://a.example")));

  @Test
  @DisplayName(
      "CORS preflight: answered with the allowed methods, the tus request headers and a max age")
  void preflight_fromAllowedOrigin_isAnswered() {
    Response r =
        any.http()
            .header("Origin", ORIGIN)
            .header("Access-Control-Request-Method", "PATCH")
            .header(
                "Access-Control-Request-Headers",
                "tus-resumable,upload-offset,content-type,x-custom")
            .options("/files/0123456789abcdef0123456789abcdef");

    assertThat(r.statusCode()).isIn(200, 204);
    assertThat(r.header("Access-Control-Allow-Origin")).isIn(ORIGIN, "*");
    assertThat(list(r, "Access-Control-Allow-Methods"))
        .contains("POST", "HEAD", "PATCH", "DELETE", "OPTIONS", "GET");
    assertThat(lower(list(r, "Access-Control-Allow-Headers")))
        .contains(
            "tus-resumable",
            "upload-offset",
            "upload-length",
            "upload-metadata",
            "upload-defer-length",
            "upload-concat",
            "upload-checksum",
            "content-type",
            "x-http-method-override",
            "x-custom");
    assertThat(Long.parseLong(r.header("Access-Control-Max-Age"))).isPositive();
  }

  @Test
  @DisplayName(
      "CORS: Access-Control-Expose-Headers lists Location, Upload-Offset, Upload-Length,"
          + " Upload-Metadata, Upload-Expires, Upload-Concat and the Tus-* headers")
  void creation_fromAllowedOrigin_exposesTusHeaders() {
    Response r = any.tus().header("Origin", ORIGIN).header("Upload-Length", 3).post("/files/");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("Access-Control-Allow-Origin")).isIn(ORIGIN, "*");
    assertThat(lower(list(r, "Access-Control-Expose-Headers")))
        .contains(
            "location",
            "upload-offset",
            "upload-length",
            "upload-metadata",
            "upload-expires",
            "upload-concat",
            "tus-resumable",
            "tus-version",
            "tus-extension",
            "tus-max-size",
            "tus-checksum-algorithm");
  }

  @Test
  @DisplayName("CORS: HEAD and PATCH responses carry the CORS headers too")
  void headAndPatch_fromAllowedOrigin_carryCorsHeaders() {
    String upload = Uploads.create(any, 3);

    Response head = any.tus().header("Origin", ORIGIN).head(upload);
    Response patch =
        any.tus()
            .header("Origin", ORIGIN)
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .body(new byte[3])
            .patch(upload);

    for (Response r : List.of(head, patch)) {
      assertThat(r.header("Access-Control-Allow-Origin")).isIn(ORIGIN, "*");
      assertThat(lower(list(r, "Access-Control-Expose-Headers"))).contains("upload-offset");
    }
  }

  @Test
  @DisplayName(
      "CORS: error responses (404, 409, 412) carry the CORS headers, so a browser client can read"
          + " the error")
  void errors_fromAllowedOrigin_carryCorsHeaders() {
    String upload = Uploads.create(any, 3);
    List<Response> errors =
        List.of(
            any.tus().header("Origin", ORIGIN).head("/files/0123456789abcdef0123456789abcdef"),
            any.tus()
                .header("Origin", ORIGIN)
                .contentType(Uploads.OCTETS)
                .header("Upload-Offset", 2)
                .body(new byte[1])
                .patch(upload),
            any.http()
                .header("Origin", ORIGIN)
                .header("Tus-Resumable", "0.0.1")
                .header("Upload-Length", 1)
                .post("/files/"));

    assertThat(errors).extracting(Response::statusCode).containsExactly(404, 409, 412);
    for (Response r : errors) {
      assertThat(r.header("Access-Control-Allow-Origin")).isIn(ORIGIN, "*");
      assertThat(lower(list(r, "Access-Control-Expose-Headers"))).contains("tus-resumable");
    }
  }

  @Test
  @DisplayName("CORS with configured origins: a listed origin is allowed")
  void restricted_listedOrigin_isAllowed() {
    Response r =
        restricted
            .tus()
            .header("Origin", "https://a.example")
            .header("Upload-Length", 1)
            .post("/files/");
    Response preflight =
        restricted
            .http()
            .header("Origin", "https://a.example")
            .header("Access-Control-Request-Method", "POST")
            .options("/files/");

    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://a.example");
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://a.example");
  }

  @Test
  @DisplayName("CORS with configured origins: any other origin gets no Access-Control-Allow-Origin")
  void restricted_otherOrigin_getsNoAllowOrigin() {
    Response r =
        restricted
            .tus()
            .header("Origin", "https://b.example")
            .header("Upload-Length", 1)
            .post("/files/");
    Response preflight =
        restricted
            .http()
            .header("Origin", "https://evil.a.example")
            .header("Access-Control-Request-Method", "PATCH")
            .options("/files/");

    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();
  }

  @Test
  @DisplayName("CORS: a request without Origin gets no CORS headers")
  void request_withoutOrigin_getsNoCorsHeaders() {
    Response r = any.tus().header("Upload-Length", 1).post("/files/");

    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
  }

  private static List<String> list(Response r, String header) {
    String value = r.header(header);
    assertThat(value).as(header).isNotNull();
    return Arrays.stream(value.split(",")).map(String::trim).toList();
  }

  private static List<String> lower(List<String> values) {
    return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
  }
}
