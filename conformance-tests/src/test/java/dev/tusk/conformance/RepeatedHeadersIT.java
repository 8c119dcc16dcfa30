package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9110 5.3: a sender MUST NOT generate multiple field lines with the same name unless the
 * field is defined as a comma-separated list. tus's headers hold one value each; a request that
 * repeats one is refused with 400, before anything is created or written.
 */
class RepeatedHeadersIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  static Stream<Arguments> creations() {
    return Stream.of(
        Arguments.of("ERR_INVALID_UPLOAD_LENGTH", List.of("Upload-Length: 5", "Upload-Length: 6")),
        Arguments.of("ERR_INVALID_UPLOAD_LENGTH", List.of("Upload-Length: 5", "Upload-Length: 5")),
        Arguments.of("ERR_INVALID_UPLOAD_DEFER_LENGTH",
            List.of("Upload-Defer-Length: 1", "Upload-Defer-Length: 1")),
        Arguments.of("ERR_INVALID_METADATA",
            List.of("Upload-Length: 5", "Upload-Metadata: a YQ==", "Upload-Metadata: b Yg==")),
        Arguments.of("ERR_INVALID_REQUEST",
            List.of("Upload-Length: 5", "Tus-Resumable: 1.0.0")),
        Arguments.of("ERR_INVALID_CONCAT",
            List.of("Upload-Length: 5", "Upload-Concat: partial", "Upload-Concat: partial")),
        Arguments.of("ERR_INVALID_CHECKSUM_HEADER",
            List.of("Upload-Length: 5", "Content-Type: " + Uploads.OCTETS, "Content-Length: 5",
                "Upload-Checksum: sha1 qvTGHdzF6KLavt4PO0gs2a6pQ00=",
                "Upload-Checksum: sha1 qvTGHdzF6KLavt4PO0gs2a6pQ00=")),
        Arguments.of("ERR_INVALID_REQUEST",
            List.of("Upload-Length: 5", "Content-Type: " + Uploads.OCTETS,
                "Content-Type: " + Uploads.OCTETS, "Content-Length: 5")));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("creations")
  @DisplayName("A creation that repeats a single-valued tus header is a 400 and creates nothing")
  void post_repeatedSingleValuedHeader_returns400AndCreatesNothing(String code, List<String> headers)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("Tus-Resumable: 1.0.0"));
    all.addAll(headers);
    String[] body = headers.contains("Content-Length: 5") ? new String[] {"hello"} : new String[0];
    RawHttp.Reply reply = send("POST /files/ HTTP/1.1", all, false, body);

    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.header("Location")).isNull();
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.text()).contains("\"code\":\"" + code + "\"");
  }

  static Stream<Arguments> patches() {
    return Stream.of(
        Arguments.of("ERR_INVALID_OFFSET",
            List.of("Upload-Offset: 0", "Upload-Offset: 3", "Content-Type: " + Uploads.OCTETS)),
        Arguments.of("ERR_INVALID_OFFSET",
            List.of("Upload-Offset: 0", "Upload-Offset: 0", "Content-Type: " + Uploads.OCTETS)),
        Arguments.of("ERR_INVALID_REQUEST",
            List.of("Upload-Offset: 0", "Content-Type: " + Uploads.OCTETS,
                "Content-Type: " + Uploads.OCTETS)),
        Arguments.of("ERR_INVALID_CHECKSUM_HEADER",
            List.of("Upload-Offset: 0", "Content-Type: " + Uploads.OCTETS,
                "Upload-Checksum: sha1 qvTGHdzF6KLavt4PO0gs2a6pQ00=",
                "Upload-Checksum: md5 XUFAKrxLKna5cZ2REBfFkg==")),
        Arguments.of("ERR_INVALID_REQUEST",
            List.of("Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: " + Uploads.OCTETS)));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("patches")
  @DisplayName("A PATCH that repeats a single-valued header is a 400 and writes nothing")
  void patch_repeatedSingleValuedHeader_returns400AndWritesNothing(String code, List<String> headers)
      throws Exception {
    String upload = Uploads.create(tusk, 5);
    List<String> all = new ArrayList<>(List.of("Tus-Resumable: 1.0.0", "Content-Length: 5"));
    all.addAll(headers);
    RawHttp.Reply reply = send("PATCH " + upload + " HTTP/1.1", all, false, "hello");

    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.text()).contains("\"code\":\"" + code + "\"");
    assertThat(Uploads.offset(tusk, upload)).isZero();
  }

  @Test
  @DisplayName("A HEAD that repeats Tus-Resumable is a 400")
  void head_repeatedTusResumable_returns400() throws Exception {
    String upload = Uploads.create(tusk, 5);
    RawHttp.Reply reply =
        send("HEAD " + upload + " HTTP/1.1", List.of("Tus-Resumable: 1.0.0", "Tus-Resumable: 1.0.0"), true);

    assertThat(reply.status()).isEqualTo(400);
  }

  private static RawHttp.Reply send(String line, List<String> headers, boolean head, String... body)
      throws Exception {
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(line, headers.toArray(String[]::new));
      for (String b : body) {
        raw.send(b.getBytes(StandardCharsets.US_ASCII));
      }
      return raw.read(head);
    }
  }
}
