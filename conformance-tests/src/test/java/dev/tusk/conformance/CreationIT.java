package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** tus creation, creation-with-upload and creation-defer-length. */
class CreationIT {
  static final long MAX = 1 << 20;
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension(c -> c.withMaxSize(MAX));

  @Test
  @DisplayName(
      "The Server MUST acknowledge a successful upload creation with the 201 Created status. The"
          + " Server MUST set the Location header to the URL of the created resource.")
  void post_withUploadLength_returns201AndAbsoluteLocation() {
    Response r = tusk.tus().header("Upload-Length", 100).post("/files/");

    assertThat(r.statusCode()).isEqualTo(201);
    URI location = URI.create(r.header("Location"));
    assertThat(location.isAbsolute()).as("absolute Location %s", location).isTrue();
    assertThat(location.toString()).startsWith(tusk.baseUri().toString());
    assertThat(tusk.tus().head(location.getPath()).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "The Server MUST set the Location header to the URL of the created resource (forwarding"
          + " headers are ignored unless the server is configured to sit behind a proxy).")
  void post_withForwardedHeaders_locationKeepsRequestHost() {
    Response r =
        tusk.tus()
            .header("Upload-Length", 1)
            .header("X-Forwarded-Host", "evil.example")
            .header("X-Forwarded-Proto", "https")
            .header("Forwarded", "host=evil.example;proto=https")
            .post("/files/");

    assertThat(r.header("Location")).startsWith(tusk.baseUri().toString());
  }

  @Test
  @DisplayName(
      "The new resource has an implicit offset of 0 allowing the Client to use the core protocol"
          + " for performing the actual upload.")
  void post_withUploadLength_createsEmptyUploadOfThatLength() {
    String upload = Uploads.create(tusk, 100);

    Response head = tusk.tus().head(upload);
    assertThat(head.header("Upload-Offset")).isEqualTo("0");
    assertThat(head.header("Upload-Length")).isEqualTo("100");
  }

  @Test
  @DisplayName("Two creations create two distinct uploads.")
  void post_twice_returnsDistinctLocations() {
    assertThat(Uploads.create(tusk, 1)).isNotEqualTo(Uploads.create(tusk, 1));
  }

  @Test
  @DisplayName(
      "If the expiration is known at the creation, the Upload-Expires header MUST be included in"
          + " the response to the initial POST request.")
  void post_always_returnsUploadExpires() {
    Response r = tusk.tus().header("Upload-Length", 1).post("/files/");

    assertThat(r.header("Upload-Expires")).isNotBlank();
  }

  static Stream<Arguments> badLengths() {
    return Stream.of(
        Arguments.of("neither header", null, null),
        Arguments.of("both headers", "10", "1"),
        Arguments.of("Upload-Defer-Length: 2", null, "2"),
        Arguments.of("Upload-Defer-Length: 0", null, "0"),
        Arguments.of("negative Upload-Length", "-1", null),
        Arguments.of("non-numeric Upload-Length", "ten", null),
        Arguments.of("fractional Upload-Length", "1.5", null),
        Arguments.of("Upload-Length beyond a long", "99999999999999999999", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLengths")
  @DisplayName(
      "The request MUST include one of the following headers: a) Upload-Length [...] b)"
          + " Upload-Defer-Length: 1 [...] If the Upload-Defer-Length header contains any other"
          + " value than 1 the server should return a 400 Bad Request status.")
  void post_invalidLengthHeaders_returns400(String name, String length, String defer) {
    RequestSpecification req = tusk.tus();
    if (length != null) {
      req.header("Upload-Length", length);
    }
    if (defer != null) {
      req.header("Upload-Defer-Length", defer);
    }

    Response r = req.post("/files/");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.header("Location")).isNull();
  }

  @Test
  @DisplayName(
      "If the length of the upload exceeds the maximum, which MAY be specified using the"
          + " Tus-Max-Size header, the Server MUST respond with the 413 Request Entity Too Large"
          + " status.")
  void post_lengthAboveMaxSize_returns413() {
    Response r = tusk.tus().header("Upload-Length", MAX + 1).post("/files/");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.header("Location")).isNull();
  }

  @Test
  @DisplayName(
      "Tus-Max-Size: the maximum allowed size of an entire upload in bytes (an upload of exactly"
          + " that size is allowed).")
  void post_lengthEqualToMaxSize_returns201() {
    assertThat(tusk.tus().header("Upload-Length", MAX).post("/files/").statusCode()).isEqualTo(201);
  }

  @Test
  @DisplayName(
      "If an upload contains additional metadata, responses to HEAD requests MUST include the"
          + " Upload-Metadata header and its value as specified by the Client during the creation.")
  void post_withMetadata_isEchoedOnHead() {
    String metadata =
        "filename " + Uploads.base64("world_domination_plan.pdf") + ",is_confidential";
    String upload = Uploads.create(tusk, 10, metadata);

    Response head = tusk.tus().head(upload);
    assertThat(head.header("Upload-Metadata")).isEqualTo(metadata);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ",",
        "filename d29ybGQ=,,size MTA=",
        "filename d29ybGQ=,filename d29ybGQ=",
        "filename !!!not-base64!!!",
        "file name d29ybGQ=",
        "filename d29y bGQ="
      })
  @DisplayName(
      "The key MUST NOT contain spaces and commas and MUST NOT be empty. The key SHOULD be ASCII"
          + " encoded and the value MUST be Base64 encoded. All keys MUST be unique.")
  void post_invalidMetadata_returns400(String metadata) {
    Response r =
        tusk.tus().header("Upload-Length", 1).header("Upload-Metadata", metadata).post("/files/");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.header("Location")).isNull();
  }

  @Test
  @DisplayName(
      "If an upload contains additional metadata, responses to HEAD requests MUST include the"
          + " Upload-Metadata header and its value as specified by the Client during the creation"
          + " (a value that is arbitrary binary, not UTF-8).")
  void head_binaryMetadataValue_isEchoedAsSent() {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x80, (byte) 0xc3, 0x28};
    String metadata = "blob " + Base64.getEncoder().encodeToString(binary);
    String upload = Uploads.create(tusk, 1, metadata);

    assertThat(tusk.tus().head(upload).header("Upload-Metadata")).isEqualTo(metadata);
  }

  @Test
  @DisplayName(
      "The Upload-Length request and response header indicates the size of the entire upload in"
          + " bytes. The value MUST be a non-negative integer (0 is an upload complete at once).")
  void post_zeroLength_isCompleteAtOnce() {
    String upload = Uploads.create(tusk, 0);

    Response head = tusk.tus().head(upload);
    assertThat(head.header("Upload-Offset")).isEqualTo("0");
    assertThat(head.header("Upload-Length")).isEqualTo("0");
    assertThat(Uploads.download(tusk, upload)).isEmpty();
  }

  @Test
  @DisplayName(
      "If the length of the upload exceeds the maximum [...] the Server MUST respond with the 413"
          + " Request Entity Too Large status (also when a deferred length is declared by a"
          + " PATCH).")
  void patch_declaringLengthAboveMaxSize_returns413() {
    String upload =
        Uploads.path(
            tusk.tus().header("Upload-Defer-Length", 1).post("/files/").header("Location"));

    Response r =
        tusk.tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .header("Upload-Length", MAX + 1)
            .body(new byte[1])
            .patch(upload);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(tusk.tus().head(upload).header("Upload-Defer-Length")).isEqualTo("1");
  }

  @Test
  @DisplayName(
      "Since metadata can contain arbitrary binary values, Servers SHOULD carefully validate"
          + " metadata values or sanitize them before using them as header values to avoid header"
          + " smuggling.")
  void head_metadataValueWithCrlf_isEchoedAsBase64WithoutInjectedHeader() {
    String evil = "a.txt\r\nX-Injected: yes\r\n\r\n<html>";
    String metadata = "filename " + Uploads.base64(evil);
    String upload = Uploads.create(tusk, 10, metadata);

    Response head = tusk.tus().head(upload);

    assertThat(head.header("Upload-Metadata")).isEqualTo(metadata);
    assertThat(head.header("X-Injected")).isNull();
  }

  @Test
  @DisplayName(
      "The Client MAY include either the entirety or a chunk of the upload data in the body of the"
          + " POST request. [...] The Server [...] MUST include the Upload-Offset header in the"
          + " response and MUST set its value to the offset of the upload after applying the"
          + " accepted bytes.")
  void post_withBody_returns201AndUploadOffset() {
    byte[] hello = "hello".getBytes();

    Response r =
        tusk.tus()
            .header("Upload-Length", 11)
            .contentType(Uploads.OCTETS)
            .body(hello)
            .post("/files/");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("Upload-Offset")).isEqualTo("5");
    String upload = Uploads.path(r.header("Location"));
    Uploads.append(tusk, upload, 5, " world".getBytes());
    assertThat(new String(Uploads.download(tusk, upload))).isEqualTo("hello world");
  }

  @Test
  @DisplayName(
      "creation-with-upload: The Client MUST include the Content-Type:"
          + " application/offset+octet-stream header.")
  void post_withBodyOfWrongContentType_isRejectedAndCreatesNothing() {
    Response r =
        tusk.tus()
            .header("Upload-Length", 5)
            .contentType("text/plain")
            .body("hello".getBytes())
            .post("/files/");

    assertThat(r.statusCode()).isBetween(400, 499);
    assertThat(r.header("Location")).isNull();
  }

  @Test
  @DisplayName(
      "creation-with-upload: similar rules as for the PATCH request apply (a body longer than"
          + " Upload-Length is refused).")
  void post_withBodyLongerThanLength_returns413() {
    Response r =
        tusk.tus()
            .header("Upload-Length", 3)
            .contentType(Uploads.OCTETS)
            .body("hello".getBytes())
            .post("/files/");

    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  @DisplayName(
      "Upload-Defer-Length: 1 if upload size is not known at the time. Once it is known the Client"
          + " MUST set the Upload-Length header in the next PATCH request.")
  void post_deferredLength_lengthSetByLaterPatch() {
    Response created = tusk.tus().header("Upload-Defer-Length", 1).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String upload = Uploads.path(created.header("Location"));
    Response head = tusk.tus().head(upload);
    assertThat(head.header("Upload-Defer-Length")).isEqualTo("1");
    assertThat(head.header("Upload-Length")).isNull();

    Uploads.append(tusk, upload, 0, "hello".getBytes());
    assertThat(tusk.tus().head(upload).header("Upload-Defer-Length")).isEqualTo("1");
    Response last =
        tusk.tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 5)
            .header("Upload-Length", 11)
            .body(" world".getBytes())
            .patch(upload);

    assertThat(last.statusCode()).isEqualTo(204);
    assertThat(last.header("Upload-Offset")).isEqualTo("11");
    head = tusk.tus().head(upload);
    assertThat(head.header("Upload-Length")).isEqualTo("11");
    assertThat(head.header("Upload-Defer-Length")).isNull();
    assertThat(new String(Uploads.download(tusk, upload))).isEqualTo("hello world");
  }

  @Test
  @DisplayName("Once set the length MUST NOT be changed.")
  void patch_differentLengthAfterItWasSet_returns400AndKeepsLength() {
    String upload =
        Uploads.path(
            tusk.tus().header("Upload-Defer-Length", 1).post("/files/").header("Location"));
    Response first =
        tusk.tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .header("Upload-Length", 10)
            .body("hello".getBytes())
            .patch(upload);
    assertThat(first.statusCode()).isEqualTo(204);

    Response changed =
        tusk.tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 5)
            .header("Upload-Length", 12)
            .body("world".getBytes())
            .patch(upload);

    assertThat(changed.statusCode()).isEqualTo(400);
    Response head = tusk.tus().head(upload);
    assertThat(head.header("Upload-Length")).isEqualTo("10");
    assertThat(head.header("Upload-Offset")).isEqualTo("5");
  }

  @Test
  @DisplayName(
      "If the Server supports deferring length, it MUST add creation-defer-length to the"
          + " Tus-Extension header.")
  void options_deferredLengthWorks_advertisesCreationDeferLength() {
    assertThat(tusk.http().options("/files/").header("Tus-Extension").split(","))
        .contains("creation", "creation-with-upload", "creation-defer-length");
  }
}
