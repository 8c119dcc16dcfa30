package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.rufh.InteropVersion;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resumable Uploads for HTTP, every interop version (3, 4, 5, 6, 7, 8, 9) against the same rules
 * where the drafts agree, and each version's own where they differ. Sentences are quoted from
 * the draft that first states them.
 */
class RufhVersionsIT {
  static final long MAX_SIZE = 1 << 20;
  static TuskFixture tusk;

  @BeforeAll
  static void start() throws Exception {
    tusk = TuskFixture.start(c -> c.withMaxSize(MAX_SIZE).withTtl(Duration.ofHours(1), Duration.ofHours(2)));
  }

  @AfterAll
  static void stop() throws Exception {
    tusk.close();
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If the request is valid, the server SHOULD create an upload resource. Then, the server MUST"
          + " include the Location header field in the response [...] If the request completes"
          + " successfully and the entire upload is complete, the server MUST acknowledge it by"
          + " responding with a 2xx (Successful) status code [...] The response MUST NOT include"
          + " the Upload-Complete header field with the value of false.")
  void creation_completeInOneRequest_201WithLocationAndBytes(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    byte[] data = Uploads.bytes(1000, v.number());

    Response r = rufh.create(true, data);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("Location")).contains("/files/");
    assertThat(r.header("Upload-Offset")).isEqualTo("1000");
    rufh.assertComplete(r, true);
    assertThat(Uploads.download(tusk, Uploads.path(r.header("Location")))).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If the request completes successfully but the entire upload is not yet complete [...] the"
          + " server MUST acknowledge it by responding with the 201 (Created) status code and an"
          + " Upload-Complete header value set to false. [...] The server MUST send the"
          + " Upload-Offset header field in the response if it considers the upload active")
  void creation_incomplete_201WithOffsetAndIncomplete(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);

    Response r = rufh.create(false, Uploads.bytes(25, 1));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("Location")).contains("/files/");
    assertThat(r.header("Upload-Offset")).isEqualTo("25");
    rufh.assertComplete(r, false);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "resumable uploads support all HTTP request methods that can carry content, such as POST,"
          + " PUT, and PATCH")
  void creation_byPutAndPatch_createsUploads(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    byte[] data = Uploads.bytes(10, 2);
    Response put = rufh.withComplete(true).contentType("application/octet-stream").body(data).put("/files/");
    Response patch =
        rufh.withComplete(false).contentType("application/octet-stream").body(data).patch("/files/");

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(Uploads.download(tusk, Uploads.path(put.header("Location")))).isEqualTo(data);
    assertThat(patch.statusCode()).isEqualTo(201);
    assertThat(rufh.offset(Uploads.path(patch.header("Location")))).isEqualTo(10);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName("The request MUST NOT include the Upload-Offset header field.")
  void creation_withUploadOffset_400(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    Response r = rufh.withComplete(true).header("Upload-Offset", 0).body(new byte[] {1}).post("/files/");
    ProblemAssert.assertProblem(r, 400);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "The request content MAY be empty. [...] An Upload-Complete header field is set to false is"
          + " also valid. This can be used to create an upload resource URL before transferring"
          + " data")
  void creation_emptyIncomplete_thenAppendsUntilComplete(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    byte[] data = Uploads.bytes(300, 3);
    Response created = rufh.createEmpty(false);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Upload-Offset")).isEqualTo("0");
    String path = Uploads.path(created.header("Location"));

    Response first = rufh.append(path, 0, false, java.util.Arrays.copyOfRange(data, 0, 100));
    Response last = rufh.append(path, 100, true, java.util.Arrays.copyOfRange(data, 100, 300));

    // -01/-03/-05: "the server MUST acknowledge it by responding with the 201 (Created) status
    // code"; -06 on: "a 2xx (Successful) response"
    assertThat(first.statusCode()).isEqualTo(v.number() <= 6 ? 201 : 204);
    assertThat(first.header("Upload-Offset")).isEqualTo("100");
    rufh.assertComplete(first, false);
    assertThat(last.statusCode()).isEqualTo(201);
    assertThat(last.header("Upload-Offset")).isEqualTo("300");
    rufh.assertComplete(last, true);
    assertThat(Uploads.download(tusk, path)).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "The response MUST include the Upload-Offset header field [...] MUST include the"
          + " Upload-Complete header field [...] the response SHOULD include a Cache-Control header"
          + " field with the value no-store. (-01: it MUST send back a 204 (No Content) response;"
          + " -03 on: a 204 (No Content) or 200 (OK) status code)")
  void offsetRetrieval_head_offsetCompletenessNoStore(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    String path = rufh.started(Uploads.bytes(42, 4));

    Response r = rufh.head(path);

    assertThat(r.statusCode()).isEqualTo(v.number() <= 4 ? 204 : 200);
    assertThat(r.header("Upload-Offset")).isEqualTo("42");
    rufh.assertComplete(r, false);
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "The response MUST include the Upload-Length header field set to the upload's final size if"
          + " one was recorded [...] The response MAY include the Upload-Limit header field (-12:"
          + " MUST indicate the limits in the Upload-Limit header field)")
  void offsetRetrieval_lengthAndLimitsFromVersion6(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    Response created =
        rufh.withComplete(false).header("Upload-Length", 500).body(Uploads.bytes(10, 5)).post("/files/");
    Response r = rufh.head(Uploads.path(created.header("Location")));

    if (v.number() >= 6) {
      assertThat(r.header("Upload-Length")).isEqualTo("500");
      assertThat(r.header("Upload-Limit"))
          .contains("max-size=" + MAX_SIZE)
          .contains((v == InteropVersion.V6 ? "expires=" : "max-age=") + "3600");
    } else {
      assertThat(r.header("Upload-Length")).isNull();
      assertThat(r.header("Upload-Limit")).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "The request MUST NOT include an Upload-Offset or Upload-Complete header field. The server"
          + " MUST reject requests with either of these fields by responding with a 400 (Bad"
          + " Request) status code.")
  void offsetRetrievalAndCancellation_withUploadFields_400(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    String path = rufh.started(Uploads.bytes(5, 6));

    assertThat(rufh.request().header("Upload-Offset", 5).head(path).statusCode()).isEqualTo(400);
    assertThat(rufh.withComplete(false).head(path).statusCode()).isEqualTo(400);
    ProblemAssert.assertProblem(rufh.request().header("Upload-Offset", 5).delete(path), 400);
    assertThat(rufh.offset(path)).isEqualTo(5);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If the offset indicated by the Upload-Offset field value does not match the offset [...]"
          + " the server MUST respond with a 409 (Conflict) status code. [...] A response using"
          + " this problem type SHOULD populate both members, with the value of expected-offset"
          + " taken from the upload resource and the value of provided-offset taken from the"
          + " upload append request.")
  void append_mismatchingOffset_409WithOffsets(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    String path = rufh.started(Uploads.bytes(100, 7));

    Response r = rufh.append(path, 200, false, Uploads.bytes(10, 8));

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.header("Upload-Offset")).isEqualTo("100");
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonPath body = r.jsonPath();
    assertThat(body.getLong("expected-offset")).isEqualTo(100);
    assertThat(body.getLong("provided-offset")).isEqualTo(200);
    if (v.number() >= 6) { // the problem type exists from -04 on
      assertThat(body.getString("type"))
          .isEqualTo("https://iana.org/assignments/http-problem-types#mismatching-upload-offset");
    }
    if (v.number() >= 7) {
      assertThat(r.header("Upload-Complete")).isEqualTo("?0");
    }
    assertThat(rufh.offset(path)).isEqualTo(100);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If the upload is already complete, the server MUST NOT modify the upload resource and MUST"
          + " respond with a 400 (Bad Request) status code.")
  void append_toCompletedUpload_400AndUnchanged(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    byte[] data = Uploads.bytes(20, 9);
    String path = Uploads.path(rufh.create(true, data).header("Location"));

    Response r = rufh.append(path, 20, false, Uploads.bytes(5, 10));

    assertThat(r.statusCode()).isEqualTo(400);
    if (v.number() >= 6 && v.number() <= 8) { // defined by -04 to -11
      assertThat(r.jsonPath().getString("type"))
          .isEqualTo("https://iana.org/assignments/http-problem-types#completed-upload");
    }
    assertThat(Uploads.download(tusk, path)).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If the server does have a previous record, that value MUST match the upload's final size."
          + " If they do not match, the server MUST reject the request with a 400 (Bad Request)"
          + " status code.")
  void append_finalSizeDisagreesWithRecord_400(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    // a length recorded at creation (Upload-Length from 6 on), or by a completing append
    String other =
        (v.number() >= 6)
            ? Uploads.path(rufh.withComplete(false).header("Upload-Length", 30).body(Uploads.bytes(10, 13))
                .post("/files/").header("Location"))
            : rufh.started(Uploads.bytes(10, 12));
    long at = rufh.offset(other);
    if (!(v.number() >= 6)) {
      // record 30 by a completing append cut short: Content-Length 20, only 10 bytes arrive
      try (RawHttp raw = RawHttp.connect(tusk)) {
        raw.head("PATCH " + other + " HTTP/1.1", "Upload-Draft-Interop-Version: " + v.number(),
                rufh.completeField() + ": " + rufh.completeValue(true), "Upload-Offset: " + at,
                "Content-Type: application/octet-stream", "Content-Length: 20")
            .send(Uploads.bytes(10, 14));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      at = rufh.offset(other);
    }

    Response r = rufh.append(other, at, true, Uploads.bytes(5, 15));

    assertThat(r.statusCode()).isEqualTo(400);
    if (v.number() >= 7) {
      assertThat(r.jsonPath().getString("type"))
          .isEqualTo("https://iana.org/assignments/http-problem-types#inconsistent-upload-length");
    }
    assertThat(rufh.offset(other)).isEqualTo(at);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "The request MUST use the PATCH method with the application/partial-upload media type"
          + " (from -04 on; earlier drafts take any media type)")
  void append_mediaType_requiredFromVersion6(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    String path = rufh.started(Uploads.bytes(4, 16));

    Response r =
        rufh.withComplete(false).header("Upload-Offset", 4).contentType("application/octet-stream")
            .body(Uploads.bytes(4, 17)).patch(path);

    if (v.number() >= 6) {
      ProblemAssert.assertProblem(r, 415);
      assertThat(rufh.offset(path)).isEqualTo(4);
    } else {
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(rufh.offset(path)).isEqualTo(8);
    }
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If the server successfully deactivates the upload resource, it MUST respond with a 204 (No"
          + " Content) status code. [...] If the server does not consider the upload resource to"
          + " be active, it MUST respond with a 404 (Not Found) status code.")
  void cancellation_204ThenNotFound(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    String path = rufh.started(Uploads.bytes(7, 18));

    assertThat(rufh.request().delete(path).statusCode()).isEqualTo(204);

    assertThat(rufh.head(path).statusCode()).isEqualTo(404);
    assertThat(rufh.append(path, 7, true, new byte[1]).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "A server that supports the creation of a resumable upload resource [...] MUST include the"
          + " Upload-Limit header field with the corresponding limits in a response to an OPTIONS"
          + " request [...] The value of the Accept-Patch header field MUST include the full"
          + " application/partial-upload media type")
  void options_announcesLimitsAndAcceptPatch(InteropVersion v) {
    Response r = new Rufh(tusk, v).request().options("/files/");

    assertThat(r.statusCode()).isBetween(200, 204);
    assertThat(r.header("Upload-Limit"))
        .contains("max-size=" + MAX_SIZE)
        .contains((v == InteropVersion.V6 ? "expires=" : "max-age=") + "3600");
    assertThat(r.header("Accept-Patch")).contains("application/partial-upload");
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If a final size has been recorded and the upload append request exceeds this value, the"
          + " server MUST stop appending bytes to the upload once the offset reaches the final"
          + " size and reject the request with a 400 (Bad Request) status code.")
  void append_pastRecordedLength_400(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    byte[] data = Uploads.bytes(10, 19);
    String path = Uploads.path(rufh.withComplete(false).header("Upload-Length", 10)
        .post("/files/").header("Location"));
    long length = (v.number() >= 6) ? 10 : -1;

    Response r = rufh.append(path, 0, false, Uploads.bytes(11, 20));

    if (length > 0) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(rufh.offset(path)).isEqualTo(0);
      assertThat(rufh.append(path, 0, true, data).statusCode()).isEqualTo(201);
      assertThat(Uploads.download(tusk, path)).isEqualTo(data);
    } else {
      assertThat(r.statusCode()).isEqualTo(201);
    }
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "The server MAY enforce a maximum size of an upload resource. [...] A server responding with"
          + " a 413 (Content Too Large) status code as a result of its upload limits SHOULD include"
          + " the Upload-Limit header field in this response")
  void creation_overMaximumSize_413WithLimits(InteropVersion v) {
    Rufh rufh = new Rufh(tusk, v);
    Response complete =
        rufh.withComplete(true).contentType("application/octet-stream")
            .body(new byte[(int) MAX_SIZE + 1]).post("/files/");
    ProblemAssert.assertProblem(complete, 413);
    if (v.number() >= 6) {
      assertThat(complete.header("Upload-Limit")).contains("max-size=" + MAX_SIZE);
    }
  }
}
