package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/securing.md: "anyone else gets the same 404 as for an upload that does not exist". Whatever
 * state another owner's upload is in, and whichever route a non-owner takes to it, the answer is
 * exactly the answer about an unknown id (status, code, detail but for the id), and the upload is
 * left as it was: the access decision comes before every other check and every side effect.
 */
class NonOwnerIT {
  static final String UNKNOWN = "/files/0123456789abcdef0123456789abcdef";
  static final long MAX_SIZE = 100;
  @RegisterExtension
  final AuthFixture tusk =
      AuthFixture.extension(AuthFixture.keysWithLinks(), c -> c.withMaxSize(MAX_SIZE));

  /** The states another owner's upload can be in. */
  enum State { COMPLETE, INCOMPLETE, DEFERRED, PARTIAL, UNSETTLED_FINAL, EXPIRED, SWEPT }

  /** Every route that names an existing upload. */
  enum Route {
    HEAD, GET, DETAILS, HEAD_DETAILS, PATCH, DELETE, CONCATENATE, CONCATENATE_TWICE, KEEP, BAD_EXPIRY
  }

  @ParameterizedTest(name = "another owner''s {0} upload: every route answers as for an unknown id, nothing changes")
  @EnumSource(State.class)
  void anotherOwnersUpload_everyRoute_answersAsForAnUnknownId(State state) throws Exception {
    String path = alices(state);
    if (state == State.EXPIRED || state == State.SWEPT) {
      tusk.clock().advance(Duration.ofHours(25));
      if (state == State.SWEPT) {
        assertThat(tusk.sweep()).isPositive();
      }
      assertThat(request(AuthFixture.ALICE, Route.HEAD, path).statusCode())
          .as("the owner is told it expired").isEqualTo(410);
    }
    Optional<UploadInfo> before = stored(path);
    for (Route route : Route.values()) {
      Response theirs = request(AuthFixture.BOB, route, path);
      Response unknown = request(AuthFixture.BOB, route, UNKNOWN);
      assertSameAnswer(route, theirs, unknown, path);
      assertThat(summary(stored(path))).as("%s left the upload as it was", route).isEqualTo(summary(before));
    }
  }

  @Test
  @DisplayName("Upload-Concat: final over another owner's upload that is not a partial → 404 like an unknown one, not 400")
  void final_overAnotherOwnersNonPartial_is404() {
    String alices = tusk.upload(AuthFixture.ALICE, "abc".getBytes(StandardCharsets.UTF_8));
    String bobs = partial(AuthFixture.BOB, "def");
    Response theirs = concat(AuthFixture.BOB, bobs + " " + alices);
    Response unknown = concat(AuthFixture.BOB, bobs + " " + UNKNOWN);
    assertSameAnswer(Route.CONCATENATE, theirs, unknown, alices);
  }

  @Test
  @DisplayName("another owner's partial named twice beyond the maximum size → 404 like an unknown one, not 413 with its size")
  void final_overAnotherOwnersPartialTwice_is404AndTellsNoSize() {
    String alices = partial(AuthFixture.ALICE, "x".repeat(60));
    Response theirs = concat(AuthFixture.BOB, alices + " " + alices);
    Response unknown = concat(AuthFixture.BOB, UNKNOWN + " " + UNKNOWN);
    assertSameAnswer(Route.CONCATENATE_TWICE, theirs, unknown, alices);
    // whole numbers only: a random upload or trace id may hold these digits by chance
    assertThat(theirs.asString()).doesNotContainPattern("\\b(60|120)\\b");
  }

  @Test
  @DisplayName("a non-owner's GET of another owner's unfinished concatenation → 404 and the concatenation is not done")
  void get_ofAnotherOwnersUnsettledFinal_doesNotSettleIt() throws Exception {
    String fin = alices(State.UNSETTLED_FINAL);
    for (Route route : new Route[] {Route.GET, Route.HEAD, Route.DETAILS}) {
      assertThat(request(AuthFixture.BOB, route, fin).statusCode()).isEqualTo(404);
      assertThat(stored(fin).orElseThrow().isComplete()).as("after %s", route).isFalse();
    }
    assertThat(tusk.tus(AuthFixture.ALICE).get(fin).asString()).as("the owner's GET concatenates").isEqualTo("abc");
  }

  @Test
  @DisplayName("a non-owner's HEAD, PATCH and DELETE do not interrupt the owner's PATCH in flight (no release request)")
  void nonOwner_doesNotInterruptTheOwnersPatchInFlight() throws Exception {
    String path = create(AuthFixture.ALICE, "Upload-Length", "10", "");
    byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", tusk.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
          + "Authorization: Bearer " + AuthFixture.ALICE + "\r\n"
          + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
          + "Content-Length: 10\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 5);
      out.flush();
      Thread.sleep(300); // the owner's PATCH takes the upload's lock as its headers arrive

      for (Route route : new Route[] {Route.HEAD, Route.PATCH, Route.DELETE, Route.GET}) {
        assertThat(request(AuthFixture.BOB, route, path).statusCode()).as("%s", route).isEqualTo(404);
      }

      out.write(body, 5, 5);
      out.flush();
      String status = new java.io.BufferedReader(
          new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      assertThat(status).as("the owner's PATCH went through").startsWith("HTTP/1.1 204");
    }
    assertThat(stored(path).orElseThrow().offset()).isEqualTo(10);
  }

  private void assertSameAnswer(Route route, Response theirs, Response unknown, String path) {
    assertThat(unknown.statusCode()).as("%s of an unknown id", route).isEqualTo(404);
    assertThat(theirs.statusCode()).as("%s: %s", route, theirs.asString()).isEqualTo(unknown.statusCode());
    if (route == Route.HEAD || route == Route.HEAD_DETAILS) {
      assertThat(theirs.header("Upload-Offset")).as("%s", route).isNull();
      assertThat(theirs.header("Upload-Length")).as("%s", route).isNull();
      return;
    }
    assertThat(theirs.jsonPath().getString("code")).as("%s", route).isEqualTo(unknown.jsonPath().getString("code"));
    assertThat(theirs.jsonPath().getString("detail")).as("%s", route)
        .isEqualTo(unknown.jsonPath().getString("detail").replace(id(UNKNOWN), id(path)));
  }

  /** Creates an upload of Alice's in {@code state}; returns its path. */
  private String alices(State state) throws IOException {
    return switch (state) {
      case COMPLETE, EXPIRED, SWEPT -> tusk.upload(AuthFixture.ALICE, "abc".getBytes(StandardCharsets.UTF_8));
      case INCOMPLETE -> create(AuthFixture.ALICE, "Upload-Length", "10", "abc");
      case DEFERRED -> create(AuthFixture.ALICE, "Upload-Defer-Length", "1", "abc");
      case PARTIAL -> partial(AuthFixture.ALICE, "abc");
      case UNSETTLED_FINAL -> {
        String p = tusk.tus(AuthFixture.ALICE).header("Upload-Length", 3).header("Upload-Concat", "partial")
            .post("/files/").then().statusCode(201).extract().header("Location");
        Response fin = concat(AuthFixture.ALICE, URI.create(p).getPath());
        assertThat(fin.statusCode()).as(fin.asString()).isEqualTo(201);
        assertThat(tusk.tus(AuthFixture.ALICE).header("Upload-Offset", 0)
            .contentType("application/offset+octet-stream").body("abc".getBytes(StandardCharsets.UTF_8))
            .patch(URI.create(p).getPath()).statusCode()).isEqualTo(204);
        String path = URI.create(fin.header("Location")).getPath();
        assertThat(stored(path).orElseThrow().isComplete()).as("not concatenated yet").isFalse();
        yield path;
      }
    };
  }

  private String create(String key, String lengthHeader, String lengthValue, String body) {
    Response r = tusk.tus(key).header(lengthHeader, lengthValue)
        .contentType("application/offset+octet-stream").body(body.getBytes(StandardCharsets.UTF_8))
        .post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  private String partial(String key, String content) {
    Response r = tusk.tus(key).header("Upload-Length", content.length()).header("Upload-Concat", "partial")
        .contentType("application/offset+octet-stream").body(content.getBytes(StandardCharsets.UTF_8))
        .post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  private Response concat(String key, String partials) {
    return tusk.tus(key).header("Upload-Concat", "final;" + partials).post("/files/");
  }

  private Response request(String key, Route route, String path) {
    return switch (route) {
      case HEAD -> tusk.tus(key).head(path);
      case GET -> tusk.tus(key).get(path);
      case DETAILS -> tusk.tus(key).get(path + "/details");
      case HEAD_DETAILS -> tusk.tus(key).head(path + "/details");
      case PATCH -> tusk.tus(key).header("Upload-Offset", 3).contentType("application/offset+octet-stream")
          .body("d".getBytes(StandardCharsets.UTF_8)).patch(path);
      case DELETE -> tusk.tus(key).delete(path);
      case CONCATENATE -> concat(key, path);
      case CONCATENATE_TWICE -> concat(key, path + " " + path);
      case KEEP -> tusk.http().header("Authorization", "Bearer " + key).contentType("application/json")
          .body("{\"keep\": true}").patch(path + "/details");
      case BAD_EXPIRY -> tusk.http().header("Authorization", "Bearer " + key).contentType("text/plain")
          .body("{\"expiresAt\": \"yesterday\", \"x\": 1}").patch(path + "/details");
    };
  }

  private Optional<UploadInfo> stored(String path) throws IOException {
    return tusk.store().find(UploadId.parse(id(path)).orElseThrow());
  }

  /** What a non-owner must not change: existence, offset, length, completeness. */
  private static String summary(Optional<UploadInfo> info) {
    return info.map(i -> "offset=" + i.offset() + " length=" + i.length() + " complete=" + i.isComplete()
            + " expiresAt=" + i.expiresAt())
        .orElse("absent");
  }

  private static String id(String path) {
    return path.substring("/files/".length());
  }
}
