package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tus concatenation and concatenation-unfinished. */
class ConcatenationIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName(
      "If the Server supports this extension, it MUST add concatenation to the Tus-Extension"
          + " header. [...] This feature MUST be explicitly announced by the Server by adding"
          + " concatenation-unfinished.")
  void options_always_advertisesConcatenation() {
    assertThat(tusk.http().options("/files/").header("Tus-Extension").split(","))
        .contains("concatenation", "concatenation-unfinished");
  }

  @Test
  @DisplayName(
      "A partial upload represents a chunk of a file. It is constructed by including the"
          + " Upload-Concat: partial header [...] The response to a HEAD request for a partial"
          + " upload MUST contain the Upload-Offset header.")
  void partial_created_behavesLikeAnUploadAndReportsPartial() {
    String a = partial("hello");

    Response head = tusk.tus().head(a);
    assertThat(head.header("Upload-Concat")).isEqualTo("partial");
    assertThat(head.header("Upload-Offset")).isEqualTo("5");
    assertThat(head.header("Upload-Length")).isEqualTo("5");
  }

  @Test
  @DisplayName(
      "The value MUST be final followed by a semicolon and a space-separated list of the partial"
          + " upload URLs [...] The length of the final upload MUST be the sum of the length of all"
          + " partial uploads.")
  void final_fromRelativeUrls_hasSumLengthAndConcatenatedBytes() {
    String a = partial("hello");
    String b = partial(" world");

    Response created = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");

    assertThat(created.statusCode()).isEqualTo(201);
    String fin = Uploads.path(created.header("Location"));
    Response head = tusk.tus().head(fin);
    assertThat(head.header("Upload-Length")).isEqualTo("11");
    assertThat(head.header("Upload-Offset")).isEqualTo("11");
    assertThat(head.header("Upload-Concat")).isEqualTo("final;" + a + " " + b);
    assertThat(new String(Uploads.download(tusk, fin), StandardCharsets.US_ASCII))
        .isEqualTo("hello world");
  }

  @Test
  @DisplayName(
      "The partial uploads URLs MAY be absolute or relative [...] The partial uploads MUST be"
          + " concatenated as per the order specified in the list.")
  void final_fromAbsoluteUrlsInGivenOrder_concatenatesInThatOrder() {
    byte[] one = Uploads.bytes(70_000, 1);
    byte[] two = Uploads.bytes(30_000, 2);
    byte[] three = Uploads.bytes(1, 3);
    String a = partial(one);
    String b = partial(two);
    String c = partial(three);
    String base = "http://127.0.0.1:" + tusk.server().port();

    Response created =
        tusk.tus()
            .header("Upload-Concat", "final;" + base + c + " " + base + a + " " + base + b)
            .post("/files/");

    assertThat(created.statusCode()).isEqualTo(201);
    String fin = Uploads.path(created.header("Location"));
    Response head = tusk.tus().head(fin);
    assertThat(head.header("Upload-Length")).isEqualTo(String.valueOf(one.length + two.length + 1));
    assertThat(partialPaths(head.header("Upload-Concat"))).containsExactly(c, a, b);
    assertThat(Uploads.download(tusk, fin))
        .isEqualTo(Uploads.concat(three, Uploads.concat(one, two)));
  }

  @Test
  @DisplayName(
      "Response to HEAD request against partial or final upload MUST include the Upload-Concat"
          + " header and its value as received in the upload creation request (absolute URLs).")
  void head_finalFromAbsoluteUrls_echoesUploadConcatAsReceived() {
    String base = "http://127.0.0.1:" + tusk.server().port();
    String value = "final;" + base + partial("ab") + " " + base + partial("cd");

    Response created = tusk.tus().header("Upload-Concat", value).post("/files/");

    assertThat(created.statusCode()).isEqualTo(201);
    Response head = tusk.tus().head(Uploads.path(created.header("Location")));
    assertThat(head.header("Upload-Concat")).isEqualTo(value);
  }

  @Test
  @DisplayName(
      "The partial uploads [...] MAY however be used multiple times to form a final resource.")
  void final_reusingPartials_concatenatesAgain() {
    String a = partial("ab");
    String b = partial("cd");

    String first = finalOf(a + " " + b);
    String second = finalOf(b + " " + a + " " + b);

    assertThat(new String(Uploads.download(tusk, first))).isEqualTo("abcd");
    assertThat(new String(Uploads.download(tusk, second))).isEqualTo("cdabcd");
  }

  @Test
  @DisplayName(
      "The Server MUST respond with the 403 Forbidden status to PATCH requests against a final"
          + " upload URL and MUST NOT modify the final or its partial uploads.")
  void patch_onFinalUpload_returns403AndChangesNothing() {
    String a = partial("hello");
    String fin = finalOf(a);

    Response r = Uploads.patch(tusk, fin, 5, "x".getBytes());

    ProblemAssert.assertProblem(r, 403);
    assertThat(new String(Uploads.download(tusk, fin))).isEqualTo("hello");
    assertThat(tusk.tus().head(a).header("Upload-Offset")).isEqualTo("5");
  }

  @Test
  @DisplayName(
      "The Client MAY send the concatenation request while the partial uploads are still in"
          + " progress. [...] The response to a HEAD request for a final upload SHOULD NOT contain"
          + " the Upload-Offset header unless the concatenation has been successfully finished.")
  void final_beforePartialsComplete_hasNoOffsetUntilTheyComplete() {
    byte[] one = Uploads.bytes(50_000, 11);
    byte[] two = Uploads.bytes(20_000, 12);
    String a = createPartial(one.length);
    String b = createPartial(two.length);
    Uploads.append(tusk, a, 0, Arrays.copyOfRange(one, 0, 1000));

    String fin = finalOf(a + " " + b);

    Response before = tusk.tus().head(fin);
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(before.header("Upload-Offset")).isNull();
    assertThat(before.header("Upload-Length")).isEqualTo(String.valueOf(one.length + two.length));
    assertThat(before.header("Upload-Concat")).isEqualTo("final;" + a + " " + b);
    Uploads.append(tusk, a, 1000, Arrays.copyOfRange(one, 1000, one.length));
    assertThat(tusk.tus().head(fin).header("Upload-Offset")).isNull();
    Uploads.append(tusk, b, 0, two);

    Response after = tusk.tus().head(fin);
    assertThat(after.header("Upload-Offset")).isEqualTo(String.valueOf(one.length + two.length));
    assertThat(after.header("Upload-Length")).isEqualTo(after.header("Upload-Offset"));
    assertThat(Uploads.download(tusk, fin)).isEqualTo(Uploads.concat(one, two));
  }

  @Test
  @DisplayName(
      "The Upload-Length header MUST be included if the length of the final resource can be"
          + " calculated at the time of the request (not while a partial's length is deferred).")
  void final_withDeferredPartial_hasNoLengthUntilItIsKnown() {
    String a = partial("abc");
    String b =
        Uploads.path(
            tusk.tus()
                .header("Upload-Concat", "partial")
                .header("Upload-Defer-Length", 1)
                .post("/files/")
                .header("Location"));

    String fin = finalOf(a + " " + b);

    Response before = tusk.tus().head(fin);
    assertThat(before.header("Upload-Length")).isNull();
    assertThat(before.header("Upload-Offset")).isNull();
    Response last =
        tusk.tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .header("Upload-Length", 2)
            .body("de".getBytes())
            .patch(b);
    assertThat(last.statusCode()).isEqualTo(204);
    Response after = tusk.tus().head(fin);
    assertThat(after.header("Upload-Length")).isEqualTo("5");
    assertThat(after.header("Upload-Offset")).isEqualTo("5");
    assertThat(new String(Uploads.download(tusk, fin))).isEqualTo("abcde");
  }

  @Test
  @DisplayName(
      "Upload-Concat: final names partial upload URLs: one that names no upload is a 404 Not"
          + " Found (as tusd answers), and nothing is created.")
  void final_withUnknownPartial_returns404() {
    String a = partial("x");

    Response r =
        tusk.tus()
            .header("Upload-Concat", "final;" + a + " /files/0123456789abcdef0123456789abcdef")
            .post("/files/");

    ProblemAssert.assertProblem(r, 404);
    assertThat(r.header("Location")).isNull();
  }

  @Test
  @DisplayName(
      "Upload-Concat: final names partial upload URLs: an upload that is not partial is a 400 Bad"
          + " Request.")
  void final_withNonPartialUpload_returns400() {
    String plain = Uploads.create(tusk, 1);
    Uploads.append(tusk, plain, 0, "x".getBytes());

    Response r = tusk.tus().header("Upload-Concat", "final;" + plain).post("/files/");

    ProblemAssert.assertProblem(r, 400);
  }

  @Test
  @DisplayName(
      "Upload-Concat: final with no URLs, a URL of another server path, or a bad value is a 400 Bad"
          + " Request.")
  void final_withMalformedConcatHeader_returns400() {
    for (String header :
        List.of("final;", "final;/elsewhere/0123456789abcdef", "finale;/files/x", "partial;x")) {
      Response r = tusk.tus().header("Upload-Concat", header).post("/files/");
      assertThat(r.statusCode()).as(header).isEqualTo(400);
    }
  }

  @Test
  @DisplayName("The Client MUST NOT include the Upload-Length header in the final upload creation.")
  void final_withUploadLength_returns400() {
    String a = partial("x");

    Response r =
        tusk.tus().header("Upload-Concat", "final;" + a).header("Upload-Length", 1).post("/files/");

    assertThat(r.statusCode()).isEqualTo(400);
  }

  private static String partial(String content) {
    return partial(content.getBytes(StandardCharsets.US_ASCII));
  }

  private static String partial(byte[] content) {
    String upload = createPartial(content.length);
    Uploads.append(tusk, upload, 0, content);
    return upload;
  }

  private static String createPartial(long length) {
    Response r =
        tusk.tus()
            .header("Upload-Concat", "partial")
            .header("Upload-Length", length)
            .post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    return Uploads.path(r.header("Location"));
  }

  private static String finalOf(String urls) {
    Response r = tusk.tus().header("Upload-Concat", "final;" + urls).post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return Uploads.path(r.header("Location"));
  }

  /** The paths of the URLs in an {@code Upload-Concat: final;...} value. */
  private static List<String> partialPaths(String header) {
    assertThat(header).startsWith("final;");
    return Arrays.stream(header.substring("final;".length()).trim().split(" +"))
        .map(Uploads::path)
        .toList();
  }
}
