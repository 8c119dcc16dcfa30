package dev.tusk.conformance;

import static dev.tusk.conformance.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arithmetic on numbers a client chose (lengths, offsets, time to live) never overflows into a
 * 500: a sum too large for the server is a 413, a value out of range a 400.
 */
class ClientNumbersIT {
  static final String MAX = String.valueOf(Long.MAX_VALUE);
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName("a final over partials whose lengths sum past 2^63-1 is refused with 413 and nothing is created")
  void final_overPartialsWhoseSumOverflows_returns413() {
    String a = partial(MAX);
    String b = partial(MAX);

    Response fin = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");

    assertThat(assertProblem(fin, 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
    assertThat(fin.header("Location")).isNull();
    assertThat(tusk.tus().head(a).header("Upload-Length")).isEqualTo(MAX);
  }

  @Test
  @DisplayName("a final over a partial of 2^63-1 bytes and one of 1 byte is refused with 413")
  void final_overMaxAndOne_returns413() {
    Response fin =
        tusk.tus().header("Upload-Concat", "final;" + partial(MAX) + " " + partial("1")).post("/files/");

    assertThat(assertProblem(fin, 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
  }

  @Test
  @DisplayName("a final over deferred partials declared 2^63-1 bytes each later answers 413, never a 5xx")
  void final_overDeferredPartialsDeclaredHuge_returns413() {
    String a = deferredPartial();
    String b = deferredPartial();
    Response fin = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");
    assertThat(fin.statusCode()).isEqualTo(201);
    String path = URI.create(fin.header("Location")).getPath();
    boolean refusedByTheStore = false;
    for (String p : new String[] {a, b}) {
      Response declared =
          tusk.tus()
              .contentType(Uploads.OCTETS)
              .header("Upload-Offset", 0)
              .header("Upload-Length", MAX)
              .body(new byte[0])
              .patch(p);
      if (declared.statusCode() == 413) {
        // a store with a maximum of its own (S3's max-upload-size) refuses the length at once
        assertThat(assertProblem(declared, 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
        refusedByTheStore = true;
      } else {
        assertThat(declared.statusCode()).as("declaration, body %s", declared.asString()).isEqualTo(204);
      }
    }
    if (refusedByTheStore) {
      assertThat(tusk.tus().head(path).statusCode()).as("the final, partials still deferred").isEqualTo(200);
      return;
    }

    assertThat(tusk.tus().head(path).statusCode()).isEqualTo(413);
    assertThat(assertProblem(tusk.http().get(path), 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
    assertThat(tusk.http().get(path + "/details").statusCode()).isEqualTo(413);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9223372036854775807", "9223372036854775808", "99999999999999999999999", "-1",
        "18446744073709551616", "0"
      })
  @DisplayName("a ttl of any size in metadata or the query is a 400, never a 5xx")
  void ttl_outOfRange_returns400(String ttl) {
    Response tus =
        tusk.tus()
            .header("Upload-Length", 1)
            .header("Upload-Metadata", "ttl " + Uploads.base64(ttl))
            .post("/files/");
    assertThat(assertProblem(tus, 400).getString("code")).isEqualTo("ERR_INVALID_TTL");

    Response simple =
        tusk.http()
            .contentType("application/octet-stream")
            .body("x".getBytes(StandardCharsets.US_ASCII))
            .post("/files/?ttl=" + ttl);
    assertThat(simple.statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a PATCH whose Content-Length would carry the offset past 2^63-1 is refused (413 or 400)")
  void patch_contentLengthPastTheLongRange_isRefused() throws Exception {
    String upload = Uploads.create(tusk, 5);
    Uploads.append(tusk, upload, 0, "ab".getBytes(StandardCharsets.US_ASCII));
    String deferred = deferred();
    Uploads.append(tusk, deferred, 0, "ab".getBytes(StandardCharsets.US_ASCII));
    for (String path : new String[] {upload, deferred}) {
      try (RawHttp http = RawHttp.connect(tusk)) {
        http.head("PATCH " + path + " HTTP/1.1", "Tus-Resumable: 1.0.0", "Upload-Offset: 2",
            "Content-Type: application/offset+octet-stream", "Content-Length: " + MAX);
        RawHttp.Reply reply = http.read();
        assertThat(reply.status()).as("PATCH %s: %s", path, reply.text()).isIn(400, 413);
      }
    }
    assertThat(Uploads.offset(tusk, upload)).isEqualTo(2);
    assertThat(Uploads.offset(tusk, deferred)).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=0-9223372036854775807", "bytes=-9223372036854775807",
        "bytes=9223372036854775806-9223372036854775807", "bytes=0-0,9223372036854775807-",
        "bytes=1-99999999999999999999999", "bytes=-99999999999999999999999"
      })
  @DisplayName("a Range with positions at or past 2^63-1 is answered within the upload's bytes")
  void range_hugePositions_answeredWithinTheUpload(String range) {
    byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
    String path = Uploads.create(tusk, data.length);
    Uploads.append(tusk, path, 0, data);

    Response r = tusk.http().header("Range", range).get(path);

    assertThat(r.statusCode()).as("status, body %s", r.asString()).isIn(200, 206, 416);
  }

  /**
   * Creates a partial upload of {@code length} bytes. A store with a maximum object size of its
   * own (S3) refuses a huge one up front with 413; no sum can overflow there, so the test is
   * skipped.
   */
  private static String partial(String length) {
    Response r = tusk.tus().header("Upload-Length", length).header("Upload-Concat", "partial").post("/files/");
    assumeThat(r.statusCode()).as("the store accepts a partial of %s bytes: %s", length, r.asString()).isNotEqualTo(413);
    assertThat(r.statusCode()).as("partial creation, body %s", r.asString()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  private static String deferredPartial() {
    return Uploads.createDeferredPartial(tusk);
  }

  private static String deferred() {
    return Uploads.createDeferred(tusk);
  }
}
