package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is the client's fault: always a 4xx with an {@code application/problem+json} body (RFC
 * 9457), never a 5xx, never a stack trace or a path on disk.
 */
class ErrorsIT {
  static final String UNKNOWN = "/files/0123456789abcdef0123456789abcdef";
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension(c -> c.withMaxSize(1 << 20));

  static Stream<Arguments> badRequests() {
    return Stream.of(
        bad("POST without length", 400, t -> t.tus().post("/files/")),
        bad(
            "POST Upload-Length -1",
            400,
            t -> t.tus().header("Upload-Length", "-1").post("/files/")),
        bad(
            "POST Upload-Length 1e3",
            400,
            t -> t.tus().header("Upload-Length", "1e3").post("/files/")),
        bad(
            "POST Upload-Length and Upload-Defer-Length",
            400,
            t ->
                t.tus()
                    .header("Upload-Length", 1)
                    .header("Upload-Defer-Length", 1)
                    .post("/files/")),
        bad(
            "POST Upload-Defer-Length 2",
            400,
            t -> t.tus().header("Upload-Defer-Length", 2).post("/files/")),
        bad(
            "POST over Tus-Max-Size",
            413,
            t -> t.tus().header("Upload-Length", 2 << 20).post("/files/")),
        bad(
            "POST metadata bad base64",
            400,
            t ->
                t.tus()
                    .header("Upload-Length", 1)
                    .header("Upload-Metadata", "k %%%")
                    .post("/files/")),
        bad(
            "POST metadata duplicate key",
            400,
            t ->
                t.tus()
                    .header("Upload-Length", 1)
                    .header("Upload-Metadata", "k YQ==,k Yg==")
                    .post("/files/")),
        bad(
            "POST metadata non-ASCII key",
            400,
            t ->
                t.tus()
                    .header("Upload-Length", 1)
                    .header("Upload-Metadata", "k\u00e9y YQ==")
                    .post("/files/")),
        bad(
            "POST Upload-Concat garbage",
            400,
            t -> t.tus().header("Upload-Concat", "final;::: ://").post("/files/")),
        bad(
            "POST Upload-Concat final of unknown",
            404,
            t -> t.tus().header("Upload-Concat", "final;" + UNKNOWN).post("/files/")),
        bad(
            "POST unsupported version",
            412,
            t ->
                t.http()
                    .header("Tus-Resumable", "9.9.9")
                    .header("Upload-Length", 1)
                    .post("/files/")),
        bad("PUT on the collection", 405, t -> t.tus().put("/files/")),
        bad("PATCH on the collection", 405, t -> Uploads.patch(t, "/files/", 0, new byte[1])),
        bad(
            "PATCH Upload-Offset abc",
            400,
            t ->
                t.tus()
                    .contentType(Uploads.OCTETS)
                    .header("Upload-Offset", "abc")
                    .body(new byte[1])
                    .patch(Uploads.create(t, 1))),
        bad(
            "PATCH without Upload-Offset",
            400,
            t -> t.tus().contentType(Uploads.OCTETS).body(new byte[1]).patch(Uploads.create(t, 1))),
        bad("PATCH wrong offset", 409, t -> Uploads.patch(t, Uploads.create(t, 5), 2, new byte[1])),
        bad(
            "PATCH wrong content type",
            415,
            t ->
                t.tus()
                    .contentType("application/json")
                    .header("Upload-Offset", 0)
                    .body("{}")
                    .patch(Uploads.create(t, 5))),
        bad(
            "PATCH past the length",
            413,
            t -> Uploads.patch(t, Uploads.create(t, 1), 0, new byte[2])),
        bad("PATCH unknown upload", 404, t -> Uploads.patch(t, UNKNOWN, 0, new byte[1])),
        bad(
            "PATCH malformed id",
            404,
            t -> Uploads.patch(t, "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 0, new byte[1])),
        bad(
            "PATCH Upload-Length smaller than offset",
            400,
            t -> {
              String deferred =
                  Uploads.path(
                      t.tus().header("Upload-Defer-Length", 1).post("/files/").header("Location"));
              Uploads.append(t, deferred, 0, new byte[4]);
              return t.tus()
                  .contentType(Uploads.OCTETS)
                  .header("Upload-Offset", 4)
                  .header("Upload-Length", 2)
                  .body(new byte[0])
                  .patch(deferred);
            }),
        bad(
            "PATCH unsupported checksum",
            400,
            t ->
                t.tus()
                    .contentType(Uploads.OCTETS)
                    .header("Upload-Offset", 0)
                    .header("Upload-Checksum", "crc32 AAAA")
                    .body(new byte[1])
                    .patch(Uploads.create(t, 1))),
        bad(
            "PATCH checksum mismatch",
            460,
            t ->
                t.tus()
                    .contentType(Uploads.OCTETS)
                    .header("Upload-Offset", 0)
                    .header("Upload-Checksum", "sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=")
                    .body(new byte[1])
                    .patch(Uploads.create(t, 1))),
        bad(
            "POST override to TRACE",
            400,
            t -> t.tus().header("X-HTTP-Method-Override", "TRACE").post(Uploads.create(t, 1))),
        bad("DELETE unknown upload", 404, t -> t.tus().delete(UNKNOWN)),
        bad("DELETE malformed id", 404, t -> t.tus().delete("/files/abc")),
        bad("GET unknown upload", 404, t -> t.http().get(UNKNOWN)),
        bad("GET malformed id", 404, t -> t.http().get("/files/..%2F..%2Fetc")));
  }

  private static Arguments bad(String name, int status, Function<TuskFixture, Response> request) {
    return Arguments.of(Named.of(name, request), status);
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  @DisplayName(
      "Bad input is a 4xx (never a 5xx) with an application/problem+json body carrying type, title,"
          + " status, detail, code and traceId")
  void badRequest_any_returns4xxProblem(Function<TuskFixture, Response> request, int status) {
    Response r = request.apply(tusk);

    JsonPath problem = ProblemAssert.assertProblem(r, status);
    assertThat(problem.getString("detail"))
        .doesNotContain("Exception", "\tat ", "tusk-conformance-");
  }

  @Test
  @DisplayName("A HEAD error has a status but no body.")
  void head_unknownUpload_returns404WithoutBody() throws Exception {
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head("HEAD " + UNKNOWN + " HTTP/1.1", "Tus-Resumable: 1.0.0");
      RawHttp.Reply reply = raw.read(true);
      raw.head("OPTIONS /files/ HTTP/1.1");
      RawHttp.Reply next = raw.read();

      assertThat(reply.status()).isEqualTo(404);
      assertThat(next.status()).isIn(200, 204);
    }
  }

  @Test
  @DisplayName("Garbage instead of headers never produces a 5xx.")
  void request_withHostileHeaderValues_neverReturns5xx() {
    String longValue = "9".repeat(4000);
    Response[] responses = {
      tusk.tus().header("Upload-Length", longValue).post("/files/"),
      tusk.tus()
          .header("Upload-Length", 1)
          .header("Upload-Metadata", "k " + longValue)
          .post("/files/"),
      tusk.tus().header("Upload-Length", 1).header("Upload-Metadata", ",,,,").post("/files/"),
      tusk.tus().header("Upload-Defer-Length", "").post("/files/"),
      tusk.tus().header("Upload-Concat", "final; " + "/files/x ".repeat(300)).post("/files/"),
      tusk.tus().header("X-HTTP-Method-Override", "").post("/files/"),
      tusk.tus()
          .contentType(Uploads.OCTETS)
          .header("Upload-Offset", longValue)
          .body(new byte[1])
          .patch(Uploads.create(tusk, 1)),
    };

    for (Response r : responses) {
      assertThat(r.statusCode()).as(r.asString()).isLessThan(500);
    }
  }

  @Test
  @DisplayName("Every problem has its own traceId.")
  void problems_twoErrors_haveDistinctTraceIds() {
    String first = tusk.tus().delete(UNKNOWN).jsonPath().getString("traceId");
    String second = tusk.tus().delete(UNKNOWN).jsonPath().getString("traceId");

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  @DisplayName("A raw request with a body the server did not expect still gets a problem body.")
  void post_bodyWithoutContentType_returnsProblem() throws Exception {
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "POST /files/ HTTP/1.1", "Tus-Resumable: 1.0.0", "Upload-Length: 5", "Content-Length: 5");
      raw.send("hello".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply reply = raw.read();

      assertThat(reply.status()).isBetween(400, 499);
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.text()).contains("\"code\":\"ERR_");
    }
  }
}
