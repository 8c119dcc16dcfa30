package dev.tusk.conformance.downloads;

import static dev.tusk.conformance.downloads.Transfers.storedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A declared type is only a claim: whatever a client declares ({@code filetype} metadata or the
 * {@code Content-Type} of a single-request upload), the upload is created and served; a type that
 * is not a well-formed, known media type goes out as {@code application/octet-stream}, as an
 * attachment.
 */
class DeclaredTypeIT {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @ParameterizedTest
  @ValueSource(
      strings = {
        ";", ";;", " ; ", ";charset=utf-8", "/", "text/", "/plain", "a/b/c", "text/plain/x",
        "text/html; charset=utf-8", "image/svg+xml", "=", "\"\""
      })
  @DisplayName("tus: any filetype is stored; GET and /details serve it as application/octet-stream, attachment")
  void tus_malformedFiletype_isServedAsOctetStream(String declared) {
    byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
    Response created =
        tusk.http()
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", data.length)
            .header("Upload-Metadata", "filetype " + base64(declared) + ",filename " + base64("a.txt"))
            .contentType("application/offset+octet-stream")
            .config(raw())
            .body(data)
            .post("/files/");
    assertThat(created.statusCode()).as("creation, body %s", created.asString()).isEqualTo(201);
    String path = URI.create(created.header("Location")).getPath();

    assertServedAsOctetStream(path, data);
  }

  @ParameterizedTest
  @ValueSource(strings = {";", ";;", ";charset=utf-8", "/", "a/b/c", "text/html"})
  @DisplayName("single request: any Content-Type creates the upload (201), served as application/octet-stream")
  void simple_malformedContentType_createsAndIsServedAsOctetStream(String declared) throws Exception {
    Optional<Set<String>> before = storedIds(tusk);
    byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(tusk.baseUri().resolve("/files/?filename=a.txt"))
                .header("Content-Type", declared)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as("creation, body %s", created.body()).isEqualTo(201);
    assertThat(created.body()).contains("\"contentType\":\"application/octet-stream\"");
    String path = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
    String id = path.substring(path.lastIndexOf('/') + 1);
    if (before.isPresent()) {
      Set<String> expected = new HashSet<>(before.get());
      expected.add(id);
      assertThat(storedIds(tusk)).contains(expected);
    }

    assertServedAsOctetStream(path, data);
  }

  private static void assertServedAsOctetStream(String path, byte[] data) {
    for (int i = 0; i < 2; i++) { // the first access and a later one
      Response get = tusk.http().get(path);
      assertThat(get.statusCode()).as("GET, body %s", get.asString()).isEqualTo(200);
      assertThat(get.header("Content-Type")).isEqualTo("application/octet-stream");
      assertThat(get.header("Content-Disposition")).startsWith("attachment");
      assertThat(get.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(get.asByteArray()).isEqualTo(data);
      Response inline = tusk.http().queryParam("inline", "1").get(path);
      assertThat(inline.statusCode()).isEqualTo(200);
      assertThat(inline.header("Content-Disposition")).startsWith("attachment");
      Response details = tusk.http().get(path + "/details");
      assertThat(details.statusCode()).as("details, body %s", details.asString()).isEqualTo(200);
      assertThat(details.jsonPath().getString("contentType")).isEqualTo("application/octet-stream");
    }
  }

  private static RestAssuredConfig raw() {
    return RestAssuredConfig.config()
        .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
