package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tus core: PATCH, and Expect: 100-continue on it. */
class PatchIT {
  static final String IMF_FIXDATE =
      "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
          + " \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName(
      "The Server MUST acknowledge successful PATCH requests with the 204 No Content status. It"
          + " MUST include the Upload-Offset header containing the new offset.")
  void patch_matchingOffset_returns204WithNewOffset() {
    String upload = Uploads.create(tusk, 100);
    byte[] data = Uploads.bytes(100, 1);

    Response first = Uploads.patch(tusk, upload, 0, Arrays.copyOfRange(data, 0, 70));
    Response second = Uploads.patch(tusk, upload, 70, Arrays.copyOfRange(data, 70, 100));

    assertThat(first.statusCode()).isEqualTo(204);
    assertThat(first.header("Upload-Offset")).isEqualTo("70");
    assertThat(second.statusCode()).isEqualTo(204);
    assertThat(second.header("Upload-Offset")).isEqualTo("100");
    assertThat(Uploads.download(tusk, upload)).isEqualTo(data);
  }

  @Test
  @DisplayName(
      "The new offset MUST be the sum of the offset before the PATCH request and the number of"
          + " bytes received and processed or stored during the current PATCH request (an empty"
          + " body leaves it).")
  void patch_emptyBody_returns204WithSameOffset() {
    String upload = Uploads.create(tusk, 10);
    Uploads.append(tusk, upload, 0, "abc".getBytes());

    Response r = Uploads.patch(tusk, upload, 3, new byte[0]);

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.header("Upload-Offset")).isEqualTo("3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"application/octet-stream", "text/plain", "application/offset+octet-streamx"})
  @DisplayName(
      "All PATCH requests MUST use Content-Type: application/offset+octet-stream, otherwise the"
          + " server SHOULD return a 415 Unsupported Media Type status.")
  void patch_wrongContentType_returns415AndStoresNothing(String contentType) {
    String upload = Uploads.create(tusk, 5);

    Response r =
        tusk.tus()
            .contentType(contentType)
            .header("Upload-Offset", 0)
            .body("hello".getBytes())
            .patch(upload);

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName(
      "All PATCH requests MUST use Content-Type: application/offset+octet-stream, otherwise the"
          + " server SHOULD return a 415 Unsupported Media Type status (no Content-Type at all).")
  void patch_missingContentType_returns415() throws Exception {
    String upload = Uploads.create(tusk, 5);
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "PATCH " + upload + " HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Upload-Offset: 0",
          "Content-Length: 5");
      raw.send("hello".getBytes(StandardCharsets.US_ASCII));

      assertThat(raw.read().status()).isEqualTo(415);
    }
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 3, 5, 9})
  @DisplayName(
      "If the offsets do not match, the Server MUST respond with the 409 Conflict status without"
          + " modifying the upload resource.")
  void patch_offsetMismatch_returns409AndChangesNothing(long wrongOffset) {
    String upload = Uploads.create(tusk, 10);
    Uploads.append(tusk, upload, 0, "abcd".getBytes());

    Response r = Uploads.patch(tusk, upload, wrongOffset, "XYZ".getBytes());

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(Uploads.offset(tusk, upload)).isEqualTo(4);
    Uploads.append(tusk, upload, 4, "efghij".getBytes());
    assertThat(new String(Uploads.download(tusk, upload))).isEqualTo("abcdefghij");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "1.0", ""})
  @DisplayName(
      "The Upload-Offset request and response header indicates a byte offset within a resource. The"
          + " value MUST be a non-negative integer.")
  void patch_invalidOffsetHeader_returns400(String offset) {
    String upload = Uploads.create(tusk, 5);

    Response r =
        tusk.tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", offset)
            .body(new byte[1])
            .patch(upload);

    ProblemAssert.assertProblem(r, 400);
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName(
      "If the server receives a PATCH request against a non-existent resource it SHOULD return a"
          + " 404 Not Found status.")
  void patch_unknownUpload_returns404() {
    Response r = Uploads.patch(tusk, "/files/0123456789abcdef0123456789abcdef", 0, new byte[1]);

    ProblemAssert.assertProblem(r, 404);
  }

  @Test
  @DisplayName(
      "The Upload-Length header indicates the size of the entire upload in bytes: a body past it is"
          + " refused with 413 (Content-Length) and nothing beyond the length is stored.")
  void patch_bodyPastLengthWithContentLength_returns413AndStoresNothingBeyond() {
    String upload = Uploads.create(tusk, 8);
    Uploads.append(tusk, upload, 0, "abc".getBytes());

    Response r = Uploads.patch(tusk, upload, 3, "defghijk".getBytes());

    assertThat(r.statusCode()).isEqualTo(413);
    long offset = Uploads.offset(tusk, upload);
    assertThat(offset).isBetween(3L, 8L);
    assertThat(tusk.tus().head(upload).header("Upload-Length")).isEqualTo("8");
    finishAndCheck(upload, offset, "abcdefgh");
  }

  @Test
  @DisplayName(
      "The Upload-Length header indicates the size of the entire upload in bytes: a chunked body"
          + " past it is refused with 413 and nothing beyond the length is stored.")
  void patch_bodyPastLengthChunked_returns413AndStoresNothingBeyond() throws Exception {
    String upload = Uploads.create(tusk, 8);
    Uploads.append(tusk, upload, 0, "abc".getBytes());
    byte[] body = "defghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    // The whole request goes out in one write: the server may answer 413 and close as soon as the
    // second chunk passes the length, and a later write of the last chunk would then fail.
    String request = "PATCH " + upload + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
        + "Content-Type: " + Uploads.OCTETS + "\r\nUpload-Offset: 3\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n"
        + "3\r\ndef\r\n" + Integer.toHexString(body.length - 3) + "\r\n"
        + new String(body, 3, body.length - 3, StandardCharsets.US_ASCII) + "\r\n0\r\n\r\n";
    int status;
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.send(request.getBytes(StandardCharsets.US_ASCII));
      status = raw.read().status();
    }

    assertThat(status).isEqualTo(413);
    long offset = Uploads.offset(tusk, upload);
    assertThat(offset).isBetween(3L, 8L);
    finishAndCheck(upload, offset, "abcdefgh");
  }

  @Test
  @DisplayName(
      "The Server SHOULD accept PATCH requests against any upload URL and apply the bytes contained"
          + " in the message (a chunked message too).")
  void patch_chunkedBody_returns204WithNewOffset() throws Exception {
    String upload = Uploads.create(tusk, 11);
    byte[] body = "hello world".getBytes(StandardCharsets.US_ASCII);

    RawHttp.Reply reply;
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "PATCH " + upload + " HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Content-Type: " + Uploads.OCTETS,
          "Upload-Offset: 0",
          "Transfer-Encoding: chunked");
      raw.chunk(body, 0, 5).chunk(body, 5, 11).lastChunk();
      reply = raw.read();
    }

    assertThat(reply.status()).isEqualTo(204);
    assertThat(reply.header("Upload-Offset")).isEqualTo("11");
    assertThat(new String(Uploads.download(tusk, upload))).isEqualTo("hello world");
  }

  @Test
  @DisplayName(
      "This header MUST be included in every PATCH response if the upload is going to expire. [...]"
          + " The value of the Upload-Expires header MUST be in RFC 7231 datetime format.")
  void patch_success_returnsUploadExpiresAsHttpDate() {
    Response created = tusk.tus().header("Upload-Length", 2).post("/files/");
    String upload = Uploads.path(created.header("Location"));

    Response r = Uploads.patch(tusk, upload, 0, new byte[1]);

    String expires = r.header("Upload-Expires");
    assertThat(expires).matches(IMF_FIXDATE);
    assertThat(created.header("Upload-Expires")).matches(IMF_FIXDATE);
    Instant at = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(expires));
    assertThat(at).isAfter(TuskFixture.START);
  }

  @Test
  @DisplayName(
      "Expect: 100-continue on a PATCH: the interim 100 Continue arrives before the client sends"
          + " the body, then 204.")
  void patch_expect100Continue_gets100BeforeBody() throws Exception {
    String upload = Uploads.create(tusk, 5);
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "PATCH " + upload + " HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Content-Type: " + Uploads.OCTETS,
          "Upload-Offset: 0",
          "Content-Length: 5",
          "Expect: 100-continue");

      RawHttp.Reply interim = raw.read();
      raw.send("hello".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply last = raw.read();

      assertThat(interim.status()).isEqualTo(100);
      assertThat(last.status()).isEqualTo(204);
      assertThat(last.header("Upload-Offset")).isEqualTo("5");
    }
  }

  @Test
  @DisplayName(
      "Expect: 100-continue on a PATCH the server will refuse (offsets do not match): the 409"
          + " arrives at once, without a 100 Continue.")
  void patch_expect100ContinueWithWrongOffset_gets409Without100() throws Exception {
    String upload = Uploads.create(tusk, 5);
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "PATCH " + upload + " HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Content-Type: " + Uploads.OCTETS,
          "Upload-Offset: 3",
          "Content-Length: 2",
          "Expect: 100-continue");

      RawHttp.Reply first = raw.read();

      assertThat(first.status()).isEqualTo(409);
    }
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName(
      "Expect: 100-continue on a POST with a first chunk (creation-with-upload): 100 Continue"
          + " before the body, then 201 with Upload-Offset.")
  void post_expect100ContinueWithBody_gets100Then201() throws Exception {
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "POST /files/ HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Upload-Length: 10",
          "Content-Type: " + Uploads.OCTETS,
          "Content-Length: 5",
          "Expect: 100-continue");

      RawHttp.Reply interim = raw.read();
      raw.send("hello".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply last = raw.read();

      assertThat(interim.status()).isEqualTo(100);
      assertThat(last.status()).isEqualTo(201);
      assertThat(last.header("Upload-Offset")).isEqualTo("5");
    }
  }

  /** Sends the rest of {@code expected} from {@code offset} and checks the whole upload. */
  private static void finishAndCheck(String upload, long offset, String expected) {
    byte[] all = expected.getBytes(StandardCharsets.US_ASCII);
    if (offset < all.length) {
      Uploads.append(tusk, upload, offset, Arrays.copyOfRange(all, (int) offset, all.length));
    }
    assertThat(new String(Uploads.download(tusk, upload), StandardCharsets.US_ASCII))
        .isEqualTo(expected);
  }
}
