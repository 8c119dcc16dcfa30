package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tus core: X-HTTP-Method-Override. */
class MethodOverrideIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName(
      "The X-HTTP-Method-Override request header MUST be a string which MUST be interpreted as the"
          + " request's method by the Server, if the header is presented. The actual method of the"
          + " request MUST be ignored.")
  void post_overriddenToPatch_appendsBytes() {
    String upload = Uploads.create(tusk, 11);

    Response r =
        tusk.tus()
            .header("X-HTTP-Method-Override", "PATCH")
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .body("hello world".getBytes())
            .post(upload);

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.header("Upload-Offset")).isEqualTo("11");
    assertThat(new String(Uploads.download(tusk, upload))).isEqualTo("hello world");
  }

  @Test
  @DisplayName(
      "The X-HTTP-Method-Override request header [...] MUST be interpreted as the request's method"
          + " by the Server (an overridden PATCH is checked like a PATCH: 409 on a wrong offset).")
  void post_overriddenToPatchWithWrongOffset_returns409() {
    String upload = Uploads.create(tusk, 11);

    Response r =
        tusk.tus()
            .header("X-HTTP-Method-Override", "PATCH")
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 3)
            .body("lo".getBytes())
            .post(upload);

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName(
      "The Client SHOULD use this header if its environment does not support the PATCH or DELETE"
          + " methods (POST overridden to DELETE terminates).")
  void post_overriddenToDelete_terminates() {
    String upload = Uploads.create(tusk, 5);

    Response r = tusk.tus().header("X-HTTP-Method-Override", "DELETE").post(upload);

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(tusk.tus().head(upload).statusCode()).isIn(404, 410);
  }

  @Test
  @DisplayName(
      "The actual method of the request MUST be ignored (a POST to an upload URL overridden to HEAD"
          + " reports the offset).")
  void post_overriddenToHead_reportsOffset() {
    String upload = Uploads.create(tusk, 5);
    Uploads.append(tusk, upload, 0, "abc".getBytes());

    Response r = tusk.tus().header("X-HTTP-Method-Override", "HEAD").post(upload);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("Upload-Offset")).isEqualTo("3");
  }

  @Test
  @DisplayName(
      "The X-HTTP-Method-Override request header MUST be a string which MUST be interpreted as the"
          + " request's method (a method tus does not know is refused, never a 5xx).")
  void post_overriddenToUnknownMethod_isRefused() {
    String upload = Uploads.create(tusk, 5);

    Response r = tusk.tus().header("X-HTTP-Method-Override", "TRACE").post(upload);

    assertThat(r.statusCode()).isBetween(400, 499);
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName(
      "An X-HTTP-Method-Override that names no method (bytes outside ASCII whose upper case is"
          + " not even Latin-1) is a 400 problem, on every route")
  void anyMethod_overrideOutsideAscii_returns400() throws Exception {
    String upload = Uploads.create(tusk, 5);
    for (String line : new String[] {"HEAD " + upload, "GET " + upload, "POST /files/"}) {
      try (RawHttp raw = RawHttp.connect(tusk)) {
        raw.head(line + " HTTP/1.1", "Tus-Resumable: 1.0.0", "Upload-Length: 1",
            "X-HTTP-Method-Override: \u00e9\u00e8\u00ff");
        RawHttp.Reply reply = raw.read(line.startsWith("HEAD"));

        assertThat(reply.status()).as("%s: %s", line, reply.text()).isEqualTo(400);
      }
    }
  }

  @Test
  @DisplayName(
      "RFC 9110 9.3.2: the server MUST NOT send content in the response to HEAD; an override"
          + " cannot turn a HEAD into a GET whose body the client would read as its next response")
  void head_overriddenToGet_sendsNoBody_andTheConnectionStaysInStep() throws Exception {
    String upload = Uploads.create(tusk, 5);
    Uploads.append(tusk, upload, 0, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head("HEAD " + upload + " HTTP/1.1", "Tus-Resumable: 1.0.0", "X-HTTP-Method-Override: GET");
      RawHttp.Reply first = raw.read(true);
      raw.head("HEAD " + upload + " HTTP/1.1", "Tus-Resumable: 1.0.0");
      RawHttp.Reply second = raw.read(true);

      assertThat(first.status()).isEqualTo(400);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.header("Upload-Offset")).isEqualTo("5");
    }
  }
}
