package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadLister;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.rufh.InteropVersion;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resumable Uploads for HTTP beside tus 1.0: interrupted transfers resumed byte-exact, the two
 * dialects on the same uploads, how a request's dialect is decided, and {@code rufh: false}.
 */
class RufhDialectIT {
  static final int LENGTH = 1 << 20;
  static final int SENT = 300 * 1024;
  static final Duration PROMPT = Duration.ofSeconds(2);
  static TuskFixture tusk;

  @BeforeAll
  static void start() throws Exception {
    tusk = TuskFixture.start();
    tusk.http().options("/files/"); // warm up the HTTP client before timing anything
  }

  @AfterAll
  static void stop() throws Exception {
    tusk.close();
  }

  /** An append whose first {@code sent} bytes of {@code length} are on the wire, no more. */
  private static RawHttp partialAppend(InteropVersion v, String path, long offset, byte[] data, int sent)
      throws Exception {
    Rufh rufh = new Rufh(tusk, v);
    RawHttp raw = RawHttp.connect(tusk);
    raw.head(
        "PATCH " + path + " HTTP/1.1",
        "Upload-Draft-Interop-Version: " + v.number(),
        rufh.completeField() + ": " + rufh.completeValue(true),
        "Upload-Offset: " + offset,
        "Content-Type: " + Rufh.PARTIAL,
        "Content-Length: " + (data.length - offset));
    raw.send(data, (int) offset, sent);
    Thread.sleep(300); // let the server store what arrived
    return raw;
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "If the server does not receive the entire request content, for example because of canceled"
          + " requests or dropped connections, it SHOULD append as much of the request content"
          + " starting at its beginning and without discontinuities as possible. [...] the upload"
          + " MUST NOT be considered complete: a dropped append, then HEAD and resume, byte-exact")
  void append_droppedMidBody_headThenResume_byteExact(InteropVersion v) throws Exception {
    Rufh rufh = new Rufh(tusk, v);
    byte[] data = Uploads.bytes(LENGTH, 30 + v.number());
    String path = rufh.started(Arrays.copyOfRange(data, 0, 1000));

    partialAppend(v, path, 1000, data, SENT).close();
    Thread.sleep(300);

    Response head = rufh.head(path);
    assertThat(head.header("Upload-Offset")).isEqualTo(String.valueOf(SENT));
    rufh.assertComplete(head, false);
    Response rest = rufh.append(path, SENT, true, Arrays.copyOfRange(data, SENT, LENGTH));
    assertThat(rest.statusCode()).as(rest.asString()).isEqualTo(201);
    assertThat(Uploads.sha256(Uploads.download(tusk, path))).isEqualTo(Uploads.sha256(data));
  }

  @ParameterizedTest
  @EnumSource(value = InteropVersion.class, names = {"V3", "V7", "V9"})
  @DisplayName(
      "If a server receives a new request to retrieve the offset [...] while a previous request"
          + " for [...] appending representation data to the same upload resource is still"
          + " ongoing, the server SHOULD [...] terminate the previous request before processing the"
          + " new request.")
  void offsetRetrieval_duringStalledAppend_answersPromptlyThenResumes(InteropVersion v) throws Exception {
    Rufh rufh = new Rufh(tusk, v);
    byte[] data = Uploads.bytes(LENGTH, 40 + v.number());
    String path = rufh.started(Arrays.copyOfRange(data, 0, 10));
    try (RawHttp stalled = partialAppend(v, path, 10, data, SENT)) {
      long started = System.nanoTime();
      Response head = rufh.head(path);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took).isLessThan(PROMPT);
      assertThat(head.header("Upload-Offset")).isEqualTo(String.valueOf(SENT));
      // the stalled request ends without success: an error answer or a closed connection
      stalled.readOrClosed().ifPresent(reply -> assertThat(reply.status()).isGreaterThanOrEqualTo(400));
    }
    Response rest = rufh.append(path, SENT, true, Arrays.copyOfRange(data, SENT, LENGTH));
    assertThat(rest.statusCode()).isEqualTo(201);
    assertThat(Uploads.sha256(Uploads.download(tusk, path))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "A complete upload in one request (Upload-Complete: ?1 with Content-Length) cut off: the"
          + " length is recorded, the bytes received are kept, the upload is incomplete and resumes")
  void creation_completeRequestDropped_resumes() throws Exception {
    Rufh rufh = new Rufh(tusk, InteropVersion.V8);
    byte[] data = Uploads.bytes(LENGTH, 50);
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head("POST /files/ HTTP/1.1", "Upload-Draft-Interop-Version: 8", "Upload-Complete: ?1",
          "Content-Type: application/octet-stream", "Content-Length: " + LENGTH);
      raw.send(data, 0, SENT);
      Thread.sleep(300);
    }
    Thread.sleep(300);
    // the client learns the URL from the 104; here it is looked up in the store
    String path = null;
    try (Stream<UploadId> ids = ((UploadLister) tusk.store()).list()) {
      for (UploadId id : (Iterable<UploadId>) ids::iterator) {
        Optional<UploadInfo> info = tusk.store().find(id);
        if (info.isPresent() && info.get().length().orElse(-1) == LENGTH) {
          path = "/files/" + id.value();
        }
      }
    }
    assertThat(path).as("the cut-off upload with its recorded length").isNotNull();
    Response head = rufh.head(path);
    assertThat(head.header("Upload-Offset")).isEqualTo(String.valueOf(SENT));
    assertThat(head.header("Upload-Length")).isEqualTo(String.valueOf(LENGTH));
    assertThat(head.header("Upload-Complete")).isEqualTo("?0");
    assertThat(rufh.append(path, SENT, true, Arrays.copyOfRange(data, SENT, LENGTH)).statusCode()).isEqualTo(201);
    assertThat(Uploads.sha256(Uploads.download(tusk, path))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "One collection URL, both protocols: a draft upload continued with tus PATCH, and a tus"
          + " upload continued with a draft append, each seen by the other dialect's HEAD")
  void dialects_continueEachOthersUploads() {
    Rufh rufh = new Rufh(tusk, InteropVersion.V7);
    byte[] data = Uploads.bytes(200, 60);
    String draft = Uploads.path(rufh.withComplete(false).header("Upload-Length", 200)
        .body(Arrays.copyOfRange(data, 0, 50)).post("/files/").header("Location"));
    Uploads.append(tusk, draft, 50, Arrays.copyOfRange(data, 50, 200));
    assertThat(rufh.head(draft).header("Upload-Complete")).isEqualTo("?1");
    assertThat(Uploads.download(tusk, draft)).isEqualTo(data);

    String tus = Uploads.create(tusk, 200);
    Uploads.append(tusk, tus, 0, Arrays.copyOfRange(data, 0, 120));
    assertThat(rufh.offset(tus)).isEqualTo(120);
    assertThat(rufh.head(tus).header("Upload-Length")).isEqualTo("200");
    assertThat(rufh.append(tus, 120, true, Arrays.copyOfRange(data, 120, 200)).statusCode()).isEqualTo(201);
    assertThat(Uploads.offset(tusk, tus)).isEqualTo(200);
    assertThat(Uploads.download(tusk, tus)).isEqualTo(data);
  }

  @Test
  @DisplayName(
      "A request with Upload-Complete and neither Upload-Draft-Interop-Version nor Tus-Resumable"
          + " speaks the newest draft; a tus request without Tus-Resumable still gets 412")
  void dialect_uploadCompleteWithoutVersion_newestDraft() {
    Response r = tusk.http().header("Upload-Complete", "?1").body(new byte[] {1, 2, 3}).post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("Upload-Complete")).isEqualTo("?1");
    String path = Uploads.path(r.header("Location"));
    assertThat(tusk.http().header("Upload-Offset", 0).contentType(Uploads.OCTETS)
        .body(new byte[] {1}).patch(path).statusCode()).isEqualTo(412);
  }

  @Test
  @DisplayName(
      "Server implementations of draft versions of the protocol [...] an interop version this"
          + " server does not speak is a 400 naming the versions it speaks")
  void dialect_unknownInteropVersion_400() {
    Response r = tusk.http().header("Upload-Draft-Interop-Version", 2).header("Upload-Complete", "?1")
        .body(new byte[] {1}).post("/files/");
    ProblemAssert.assertProblem(r, 400);
    assertThat(r.jsonPath().getString("detail")).contains("3, 4, 5, 6, 7, 8, 9");
  }

  @Test
  @DisplayName(
      "A successful response to a HEAD or GET request against an upload resource MUST include the"
          + " offset in the Upload-Offset header field (interop 9: offset retrieval by GET; earlier"
          + " versions download)")
  void offsetRetrieval_getFromVersion9_downloadBefore() {
    byte[] data = Uploads.bytes(30, 61);
    String path = Uploads.path(new Rufh(tusk, InteropVersion.V9).create(true, data).header("Location"));

    Response v9 = tusk.http().header("Upload-Draft-Interop-Version", 9).get(path);
    Response v8 = tusk.http().header("Upload-Draft-Interop-Version", 8).get(path);

    assertThat(v9.statusCode()).isEqualTo(200);
    assertThat(v9.header("Upload-Offset")).isEqualTo("30");
    assertThat(v9.header("Upload-Complete")).isEqualTo("?1");
    assertThat(v9.asByteArray()).isEmpty();
    assertThat(v8.asByteArray()).isEqualTo(data);
  }

  @Test
  @DisplayName(
      "rufh: false: the server speaks tus 1.0 only; OPTIONS announces no Upload-Limit and a draft"
          + " HEAD is a tus request without Tus-Resumable (412)")
  void rufhOff_tusOnly() throws Exception {
    try (TuskFixture off = TuskFixture.start(c -> c.withRufh(new ServerConfig.Rufh(false, Duration.ZERO)))) {
      String tus = Uploads.create(off, 10);
      assertThat(off.http().options("/files/").header("Upload-Limit")).isNull();
      assertThat(off.http().header("Upload-Draft-Interop-Version", 6).head(tus).statusCode()).isEqualTo(412);
      Response draftPatch = off.http().header("Upload-Draft-Interop-Version", 6)
          .header("Upload-Complete", "?1").header("Upload-Offset", 0).contentType(Rufh.PARTIAL)
          .body(new byte[10]).patch(tus);
      assertThat(draftPatch.statusCode()).isEqualTo(412);
    }
  }

  @Test
  @DisplayName(
      "CORS: a browser may send the draft's fields (preflight allows Upload-Complete,"
          + " Upload-Incomplete, Upload-Draft-Interop-Version and PUT) and read them"
          + " (Upload-Complete, Upload-Limit exposed)")
  void cors_draftFieldsAllowedAndExposed() {
    Response preflight = tusk.http().header("Origin", "https://app.example")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "upload-complete, upload-draft-interop-version, upload-incomplete")
        .options("/files/");
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("PUT");
    assertThat(preflight.header("Access-Control-Allow-Headers").toLowerCase(java.util.Locale.ROOT))
        .contains("upload-complete", "upload-draft-interop-version", "upload-incomplete");
    Response created = new Rufh(tusk, InteropVersion.V8).withComplete(false)
        .header("Origin", "https://app.example").post("/files/");
    assertThat(created.header("Access-Control-Expose-Headers"))
        .contains("Upload-Complete", "Upload-Limit", "Location", "Upload-Offset");
  }
}
