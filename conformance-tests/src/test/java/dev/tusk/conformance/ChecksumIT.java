package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** tus checksum and checksum-trailer. */
class ChecksumIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName(
      "The Tus-Checksum-Algorithm header MUST be included in the response to an OPTIONS request."
          + " [...] The Server MUST support at least the SHA1 checksum algorithm identified by"
          + " sha1.")
  void options_always_advertisesChecksumExtensionsAndSha1() {
    Response r = tusk.http().options("/files/");

    assertThat(r.header("Tus-Extension").split(",")).contains("checksum", "checksum-trailer");
    assertThat(r.header("Tus-Checksum-Algorithm").split(",")).contains("sha1");
  }

  @ParameterizedTest
  @CsvSource({"md5, MD5", "sha1, SHA-1", "sha256, SHA-256", "sha512, SHA-512"})
  @DisplayName(
      "Once the entire request has been received, the Server MUST verify the uploaded chunk against"
          + " the provided checksum using the specified algorithm. [...] 204 No Content if the"
          + " checksums match and the processing of the data succeeded.")
  void patch_matchingChecksum_returns204(String tusName, String jcaName) {
    String upload = Uploads.create(tusk, 11);
    byte[] body = "hello world".getBytes(StandardCharsets.US_ASCII);

    Response r = withChecksum(upload, 0, body, Uploads.checksum(tusName, jcaName, body));

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.header("Upload-Offset")).isEqualTo("11");
    assertThat(Uploads.download(tusk, upload)).isEqualTo(body);
  }

  @Test
  @DisplayName(
      "The spec's example: Upload-Checksum: sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0= for 'hello world' is"
          + " accepted.")
  void patch_specExampleChecksum_returns204() {
    String upload = Uploads.create(tusk, 11);

    Response r =
        withChecksum(
            upload,
            0,
            "hello world".getBytes(StandardCharsets.US_ASCII),
            "sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=");

    assertThat(r.statusCode()).isEqualTo(204);
  }

  @ParameterizedTest
  @CsvSource({"md5, MD5", "sha1, SHA-1", "sha256, SHA-256", "sha512, SHA-512"})
  @DisplayName(
      "460 Checksum Mismatch if the checksums mismatch [...] the uploaded chunk MUST be discarded,"
          + " and the upload and its offset MUST NOT be updated.")
  void patch_mismatchingChecksum_returns460AndDiscardsChunk(String tusName, String jcaName) {
    byte[] data = Uploads.bytes(64 * 1024, 7);
    String upload = Uploads.create(tusk, data.length);
    byte[] first = Arrays.copyOfRange(data, 0, 1000);
    Uploads.append(tusk, upload, 0, first);
    byte[] rest = Arrays.copyOfRange(data, 1000, data.length);
    byte[] corrupted = rest.clone();
    corrupted[corrupted.length / 2] ^= 0x01;

    Response bad = withChecksum(upload, 1000, corrupted, Uploads.checksum(tusName, jcaName, rest));

    assertThat(bad.statusCode()).isEqualTo(460);
    assertThat(Uploads.offset(tusk, upload)).isEqualTo(1000);
    Response good = withChecksum(upload, 1000, rest, Uploads.checksum(tusName, jcaName, rest));
    assertThat(good.statusCode()).isEqualTo(204);
    assertThat(Uploads.download(tusk, upload)).isEqualTo(data);
  }

  @ParameterizedTest
  @ValueSource(strings = {"crc32 AAAAAA==", "md4 AAAAAA==", "SHA3-256 AAAAAA=="})
  @DisplayName(
      "400 Bad Request if the checksum algorithm is not supported by the server [...] the uploaded"
          + " chunk MUST be discarded, and the upload and its offset MUST NOT be updated.")
  void patch_unsupportedAlgorithm_returns400AndStoresNothing(String header) {
    String upload = Uploads.create(tusk, 5);

    Response r = withChecksum(upload, 0, "hello".getBytes(StandardCharsets.US_ASCII), header);

    ProblemAssert.assertProblem(r, 400);
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha1", "sha1:Kq5sNclPz7QV2+lfQIuc6R7oRu0=", "sha1 !!!not-base64!!!"})
  @DisplayName(
      "The header MUST consist of the name of the used checksum algorithm and the Base64 encoded"
          + " checksum separated by a space (anything else is a 400).")
  void patch_malformedChecksumHeader_returns400AndStoresNothing(String header) {
    String upload = Uploads.create(tusk, 5);

    Response r = withChecksum(upload, 0, "hello".getBytes(StandardCharsets.US_ASCII), header);

    ProblemAssert.assertProblem(r, 400);
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName(
      "If the hash cannot be calculated at the beginning of the upload, it MAY be included as a"
          + " trailer. [...] they MUST be announced using the Trailer header and are only allowed"
          + " in chunked transfers.")
  void patch_checksumInTrailer_returns204() throws Exception {
    byte[] body = Uploads.bytes(100_000, 3);
    String upload = Uploads.create(tusk, body.length);

    RawHttp.Reply reply =
        chunkedWithTrailer(upload, body, Uploads.checksum("sha256", "SHA-256", body));

    assertThat(reply.status()).as(reply.text()).isEqualTo(204);
    assertThat(reply.header("Upload-Offset")).isEqualTo(String.valueOf(body.length));
    assertThat(Uploads.download(tusk, upload)).isEqualTo(body);
  }

  @Test
  @DisplayName(
      "checksum-trailer: a trailer checksum that does not match is a 460 Checksum Mismatch and the"
          + " chunk is discarded.")
  void patch_wrongChecksumInTrailer_returns460AndDiscardsChunk() throws Exception {
    byte[] body = Uploads.bytes(100_000, 4);
    String upload = Uploads.create(tusk, body.length);

    RawHttp.Reply reply =
        chunkedWithTrailer(upload, body, Uploads.checksum("sha1", "SHA-1", "other".getBytes()));

    assertThat(reply.status()).as(reply.text()).isEqualTo(460);
    assertThat(Uploads.offset(tusk, upload)).isZero();
    Uploads.append(tusk, upload, 0, body);
    assertThat(Uploads.download(tusk, upload)).isEqualTo(body);
  }

  @Test
  @DisplayName(
      "creation-with-upload: similar rules as for the PATCH request and response apply (a first"
          + " chunk with a matching Upload-Checksum is stored, a mismatching one is a 460 and"
          + " discarded).")
  void post_firstChunkWithChecksum_isVerified() {
    byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
    String good = Uploads.checksum("sha256", "SHA-256", body);

    Response ok =
        tusk.tus()
            .header("Upload-Length", 10)
            .header("Upload-Checksum", good)
            .contentType(Uploads.OCTETS)
            .body(body)
            .post("/files/");
    Response bad =
        tusk.tus()
            .header("Upload-Length", 10)
            .header("Upload-Checksum", Uploads.checksum("sha256", "SHA-256", "other".getBytes()))
            .contentType(Uploads.OCTETS)
            .body(body)
            .post("/files/");

    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(ok.header("Upload-Offset")).isEqualTo("5");
    assertThat(bad.statusCode()).isEqualTo(460);
    if (bad.header("Location") != null) {
      assertThat(Uploads.offset(tusk, Uploads.path(bad.header("Location")))).isZero();
    }
  }

  @Test
  @DisplayName(
      "checksum-trailer: trailers MUST be announced using the Trailer header; a body announced"
          + " with Trailer: Upload-Checksum that ends without it cannot be verified and is"
          + " discarded (400).")
  void patch_announcedTrailerMissing_returns400AndDiscardsChunk() throws Exception {
    byte[] body = Uploads.bytes(10_000, 5);
    String upload = Uploads.create(tusk, body.length);

    RawHttp.Reply reply;
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "PATCH " + upload + " HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Content-Type: " + Uploads.OCTETS,
          "Upload-Offset: 0",
          "Transfer-Encoding: chunked",
          "Trailer: Upload-Checksum");
      raw.chunk(body, 0, body.length).lastChunk();
      reply = raw.read();
    }

    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  private static Response withChecksum(String upload, long offset, byte[] body, String checksum) {
    return tusk.tus()
        .contentType(Uploads.OCTETS)
        .header("Upload-Offset", offset)
        .header("Upload-Checksum", checksum)
        .body(body)
        .patch(upload);
  }

  private static RawHttp.Reply chunkedWithTrailer(String upload, byte[] body, String checksum)
      throws Exception {
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "PATCH " + upload + " HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Content-Type: " + Uploads.OCTETS,
          "Upload-Offset: 0",
          "Transfer-Encoding: chunked",
          "Trailer: Upload-Checksum");
      for (int from = 0; from < body.length; from += 16 * 1024) {
        raw.chunk(body, from, Math.min(body.length, from + 16 * 1024));
      }
      raw.lastChunk("Upload-Checksum: " + checksum);
      return raw.read();
    }
  }
}
