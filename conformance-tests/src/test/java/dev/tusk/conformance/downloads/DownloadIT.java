package dev.tusk.conformance.downloads;

import static dev.tusk.conformance.downloads.Transfers.bytes;
import static dev.tusk.conformance.downloads.Transfers.path;
import static dev.tusk.conformance.downloads.Transfers.sha256;
import static dev.tusk.conformance.downloads.Transfers.tusCreate;
import static dev.tusk.conformance.downloads.Transfers.tusFinal;
import static dev.tusk.conformance.downloads.Transfers.tusPartial;
import static dev.tusk.conformance.downloads.Transfers.tusUpload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET on an upload URL: the stored bytes with full HTTP semantics, or 204 / 404 / 410. */
class DownloadIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName("A complete upload downloads byte for byte with its validators and safe headers")
  void get_completeUpload_returnsBytesAndHeaders() {
    byte[] data = bytes(3 * 1024 * 1024 + 17, 1);
    String url = tusUpload(tusk, data, Map.of("filename", "data.bin"));
    Response r = tusk.http().get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sha256(r.asByteArray())).isEqualTo(sha256(data));
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(data.length));
    assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(r.header("ETag")).matches("\"[0-9a-f]{32}\"");
    assertThat(r.header("Last-Modified")).isEqualTo("Mon, 23 Nov 2026 10:00:00 GMT");
    assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"data.bin\"");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Upload-Expires")).isNotBlank();
  }

  @Test
  void get_sameUploadTwice_sameStrongEtag_otherUploadOtherEtag() {
    byte[] data = bytes(100, 2);
    String a = tusUpload(tusk, data, Map.of());
    String b = tusUpload(tusk, data, Map.of());
    String etag = tusk.http().get(a).header("ETag");
    assertThat(tusk.http().get(a).header("ETag")).isEqualTo(etag);
    assertThat(tusk.http().get(b).header("ETag")).isNotEqualTo(etag);
  }

  @Test
  void get_emptyUpload_returns200WithNoBytes() {
    String url = tusUpload(tusk, new byte[0], Map.of());
    Response r = tusk.http().get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("Content-Length")).isEqualTo("0");
    assertThat(r.asByteArray()).isEmpty();
  }

  @Test
  @DisplayName("If-None-Match with the current ETag answers 304 Not Modified without a body")
  void get_ifNoneMatchCurrentEtag_returns304() {
    String url = tusUpload(tusk, bytes(50, 3), Map.of());
    String etag = tusk.http().get(url).header("ETag");
    Response r = tusk.http().header("If-None-Match", "\"nope\", " + etag).get(url);
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.header("ETag")).isEqualTo(etag);
    assertThat(r.asByteArray()).isEmpty();
    assertThat(tusk.http().header("If-None-Match", "W/" + etag).get(url).statusCode()).isEqualTo(304);
    assertThat(tusk.http().header("If-None-Match", "*").get(url).statusCode()).isEqualTo(304);
    assertThat(tusk.http().header("If-None-Match", "\"stale\"").get(url).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("If-Modified-Since at or after Last-Modified answers 304; If-None-Match takes precedence")
  void get_ifModifiedSince_returns304UnlessModified() {
    String url = tusUpload(tusk, bytes(50, 4), Map.of());
    String lastModified = tusk.http().get(url).header("Last-Modified");
    assertThat(tusk.http().header("If-Modified-Since", lastModified).get(url).statusCode()).isEqualTo(304);
    assertThat(tusk.http().header("If-Modified-Since", "Mon, 23 Nov 2026 09:59:59 GMT").get(url).statusCode())
        .isEqualTo(200);
    assertThat(tusk.http().header("If-Modified-Since", "garbage").get(url).statusCode()).isEqualTo(200);
    assertThat(
            tusk.http()
                .header("If-Modified-Since", lastModified)
                .header("If-None-Match", "\"stale\"")
                .get(url)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void get_safeDeclaredType_isServed_andInlineOnRequest() {
    String url = tusUpload(tusk, bytes(64, 5), Map.of("filename", "p.png", "filetype", "image/png"));
    Response attachment = tusk.http().get(url);
    assertThat(attachment.header("Content-Type")).isEqualTo("image/png");
    assertThat(attachment.header("Content-Disposition")).isEqualTo("attachment; filename=\"p.png\"");
    Response inline = tusk.http().get(url + "?inline=1");
    assertThat(inline.header("Content-Disposition")).isEqualTo("inline; filename=\"p.png\"");
    assertThat(inline.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/html", "text/html; charset=utf-8", "image/svg+xml", "application/xhtml+xml",
        "text/xml", "application/javascript", "text/javascript"
      })
  @DisplayName("Active content (HTML, SVG, XML, scripts) is never served inline nor as its type")
  void get_activeContent_neverInline(String type) {
    byte[] html = "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
    String url = tusUpload(tusk, html, Map.of("filename", "x.html", "filetype", type));
    for (String query : new String[] {"", "?inline=1", "?inline=true"}) {
      Response r = tusk.http().get(url + query);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
      assertThat(r.header("Content-Disposition")).startsWith("attachment;");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
  }

  @Test
  void get_contentTypeMetadataKey_isUsedToo() {
    String url = tusUpload(tusk, bytes(10, 6), Map.of("contentType", "application/pdf"));
    assertThat(tusk.http().get(url).header("Content-Type")).isEqualTo("application/pdf");
  }

  @Test
  @DisplayName("Filenames: unicode in filename*, quotes, ';' and CRLF neutralised in the ASCII fallback")
  void get_hostileAndUnicodeFilenames_areEncodedSafely() {
    assertThat(disposition("résumé 2026.pdf"))
        .isEqualTo("attachment; filename=\"resume 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf");
    assertThat(disposition("日本語.txt"))
        .isEqualTo("attachment; filename=\"___.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.txt");
    assertThat(disposition("say \"hi\".txt"))
        .isEqualTo("attachment; filename=\"say _hi_.txt\"; filename*=UTF-8''say%20%22hi%22.txt");
    assertThat(disposition("a;b=c.txt"))
        .isEqualTo("attachment; filename=\"a_b=c.txt\"; filename*=UTF-8''a%3Bb%3Dc.txt");
    assertThat(disposition("x.txt\r\nSet-Cookie: s=1"))
        .isEqualTo("attachment; filename=\"x.txtSet-Cookie: s=1\"");
    assertThat(disposition("../../etc/passwd")).isEqualTo("attachment; filename=\"passwd\"");
  }

  private static String disposition(String filename) {
    String url = tusUpload(tusk, bytes(3, 7), Map.of("filename", filename));
    Response r = tusk.http().get(url);
    assertThat(r.getHeaders().getValues("Set-Cookie")).isEmpty();
    return r.header("Content-Disposition");
  }

  @Test
  @DisplayName("An upload that is not complete answers 204 with Upload-Offset and Upload-Length")
  void get_incompleteUpload_returns204WithProgress() {
    String url = tusCreate(tusk, 10, Map.of());
    tusk.tus()
        .header("Upload-Offset", "0")
        .contentType("application/offset+octet-stream")
        .body(bytes(4, 8))
        .patch(path(url))
        .then()
        .statusCode(204);
    Response r = tusk.http().get(url);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.header("Upload-Offset")).isEqualTo("4");
    assertThat(r.header("Upload-Length")).isEqualTo("10");
    assertThat(r.header("ETag")).isNull();
    assertThat(r.asByteArray()).isEmpty();
  }

  @Test
  void get_deferredUpload_returns204WithDeferLength() {
    String url = tusCreate(tusk, -1, Map.of());
    Response r = tusk.http().get(url);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.header("Upload-Offset")).isEqualTo("0");
    assertThat(r.header("Upload-Defer-Length")).isEqualTo("1");
  }

  @Test
  @DisplayName("If an upload is expired, the Server SHOULD respond with 410 Gone; an unknown one 404")
  void get_expiredUnknownAndMalformed() {
    Response created =
        tusk.tus()
            .header("Upload-Length", "3")
            .header("Upload-Metadata", Transfers.metadata(Map.of("ttl", "5")))
            .contentType("application/offset+octet-stream")
            .body(bytes(3, 9))
            .post("/files/");
    String url = created.header("Location");
    assertThat(tusk.http().get(url).statusCode()).isEqualTo(200);
    tusk.clock().advance(Duration.ofSeconds(5));
    assertThat(tusk.http().get(url).statusCode()).isEqualTo(410);
    assertThat(tusk.http().get("/files/0123456789abcdef0123456789abcdef").statusCode()).isEqualTo(404);
    assertThat(tusk.http().get("/files/bad").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("A partial upload downloads its own bytes; a final upload the concatenation")
  void get_partialAndFinal_returnTheirBytes() {
    byte[] one = bytes(70_000, 10);
    byte[] two = bytes(130_001, 11);
    String p1 = tusPartial(tusk, one);
    String p2 = tusPartial(tusk, two);
    String fin = tusFinal(tusk, Map.of("filename", "joined.bin"), path(p1), path(p2));
    assertThat(sha256(tusk.http().get(p1).asByteArray())).isEqualTo(sha256(one));
    assertThat(sha256(tusk.http().get(p2).asByteArray())).isEqualTo(sha256(two));
    byte[] joined = new byte[one.length + two.length];
    System.arraycopy(one, 0, joined, 0, one.length);
    System.arraycopy(two, 0, joined, one.length, two.length);
    Response r = tusk.http().get(fin);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(joined.length));
    assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"joined.bin\"");
    assertThat(sha256(r.asByteArray())).isEqualTo(sha256(joined));
  }

  @Test
  void get_finalOfIncompletePartials_returns204() {
    Response partial =
        tusk.tus().header("Upload-Length", "5").header("Upload-Concat", "partial").post("/files/");
    String fin = tusFinal(tusk, Map.of(), path(partial.header("Location")));
    Response r = tusk.http().get(fin);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.header("Upload-Length")).isEqualTo("5");
  }

  @Test
  @DisplayName("A final upload created before its partials finished downloads whole once they have")
  void get_finalCreatedUnfinished_partialsCompleted_returnsJoinedBytes() {
    Response partial =
        tusk.tus().header("Upload-Length", "5").header("Upload-Concat", "partial").post("/files/");
    String p = path(partial.header("Location"));
    String fin = tusFinal(tusk, Map.of(), p);
    assertThat(tusk.http().get(fin).statusCode()).isEqualTo(204);
    Response patched =
        tusk.tus()
            .header("Upload-Offset", "0")
            .contentType("application/offset+octet-stream")
            .body("hello".getBytes(StandardCharsets.US_ASCII))
            .patch(p);
    assertThat(patched.statusCode()).isEqualTo(204);

    Response r = tusk.http().get(fin);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.asString()).isEqualTo("hello");
    assertThat(tusk.http().header("Range", "bytes=1-3").get(fin).asString()).isEqualTo("ell");
  }
}
