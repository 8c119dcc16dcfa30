package dev.tusk.conformance.downloads;

import static dev.tusk.conformance.downloads.Transfers.bytes;
import static dev.tusk.conformance.downloads.Transfers.path;
import static dev.tusk.conformance.downloads.Transfers.tusCreate;
import static dev.tusk.conformance.downloads.Transfers.tusFinal;
import static dev.tusk.conformance.downloads.Transfers.tusPartial;
import static dev.tusk.conformance.downloads.Transfers.tusUpload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET {@code <upload URL>/details}. */
class DetailsIT {
  @RegisterExtension
  static final TuskFixture tusk =
      TuskFixture.extension(c -> c.withTtl(Duration.ofHours(1), Duration.ofHours(2)));

  private static Response details(String url) {
    return tusk.http().get(url + "/details");
  }

  @Test
  @DisplayName("The details of a complete upload name every field")
  void details_completeUpload() {
    Instant created = tusk.clock().instant();
    String url = tusUpload(tusk, bytes(123, 1), Map.of("filename", "ä.png", "filetype", "image/png"));
    Response r = details(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    JsonPath json = r.jsonPath();
    assertThat(json.getString("id")).isEqualTo(path(url).substring("/files/".length()));
    assertThat(json.getString("url")).isEqualTo(url);
    assertThat(json.getString("filename")).isEqualTo("ä.png");
    assertThat(json.getLong("size")).isEqualTo(123);
    assertThat(json.getLong("offset")).isEqualTo(123);
    assertThat(json.getBoolean("complete")).isTrue();
    assertThat(json.getString("contentType")).isEqualTo("image/png");
    assertThat(Instant.parse(json.getString("createdAt"))).isEqualTo(created);
    assertThat(Instant.parse(json.getString("updatedAt"))).isEqualTo(created);
    assertThat(Instant.parse(json.getString("expiresAt"))).isEqualTo(created.plus(Duration.ofHours(1)));
    assertThat(json.getLong("ttlSeconds")).isEqualTo(3600);
    assertThat(json.getMap("metadata")).isEqualTo(Map.of("filename", "ä.png", "filetype", "image/png"));
    assertThat(json.getBoolean("partial")).isFalse();
    assertThat(json.getBoolean("final")).isFalse();
    assertThat(json.getList("partials")).isEmpty();
  }

  @Test
  @DisplayName("Upload-Expires and expiresAt always agree")
  void details_expiresAtAgreesWithUploadExpires() {
    String url = tusUpload(tusk, bytes(5, 2), Map.of());
    Response r = details(url);
    Instant header =
        ZonedDateTime.parse(r.header("Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    assertThat(Instant.parse(r.jsonPath().getString("expiresAt"))).isEqualTo(header);
    Instant head =
        ZonedDateTime.parse(
                tusk.tus().head(path(url)).header("Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
    assertThat(head).isEqualTo(header);
  }

  @Test
  void details_deferredUpload_hasNullSizeAndNoFilename() {
    JsonPath json = details(tusCreate(tusk, -1, Map.of())).jsonPath();
    assertThat(json.getString("size")).isNull();
    assertThat(json.getString("filename")).isNull();
    assertThat(json.getLong("offset")).isZero();
    assertThat(json.getBoolean("complete")).isFalse();
  }

  @Test
  void details_partialAndFinal() {
    String partial = tusPartial(tusk, bytes(10, 3));
    String fin = tusFinal(tusk, Map.of(), path(partial));
    JsonPath p = details(partial).jsonPath();
    assertThat(p.getBoolean("partial")).isTrue();
    assertThat(p.getBoolean("final")).isFalse();
    JsonPath f = details(fin).jsonPath();
    assertThat(f.getBoolean("final")).isTrue();
    assertThat(f.getBoolean("complete")).isTrue();
    assertThat(f.getLong("size")).isEqualTo(10);
    assertThat(f.getList("partials", String.class))
        .containsExactly(path(partial).substring("/files/".length()));
  }

  @Test
  void details_unknownExpiredAndUnknownSubResource() {
    assertThat(details("/files/0123456789abcdef0123456789abcdef").statusCode()).isEqualTo(404);
    Response created =
        tusk.tus()
            .header("Upload-Length", "1")
            .header("Upload-Metadata", Transfers.metadata(Map.of("ttl", "10")))
            .post("/files/");
    String url = created.header("Location");
    assertThat(details(url).statusCode()).isEqualTo(200);
    tusk.clock().advance(Duration.ofSeconds(10));
    assertThat(details(url).statusCode()).isEqualTo(410);
    assertThat(tusk.http().get(url + "/nope").statusCode()).isEqualTo(404);
  }
}
