package dev.tusk.conformance.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The time to live: server default and maximum, a shorter one per upload, measured from creation. */
class TtlIT {
  static final Duration DEFAULT = Duration.ofMinutes(30);
  static final Duration MAX = Duration.ofHours(2);
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension(c -> c.withTtl(DEFAULT, MAX));

  private static Instant expires(Response r) {
    return ZonedDateTime.parse(r.header("Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
  }

  private static Response tusCreate(String ttl) {
    var request = tusk.tus().header("Upload-Length", "4");
    if (ttl != null) {
      request.header("Upload-Metadata", Transfers.metadata(Map.of("ttl", ttl)));
    }
    return request.post("/files/");
  }

  @Test
  void tus_noTtl_usesServerDefault() {
    Instant now = tusk.clock().instant();
    Response r = tusCreate(null);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(expires(r)).isEqualTo(now.plus(DEFAULT));
    assertThat(tusk.http().get(r.header("Location") + "/details").jsonPath().getLong("ttlSeconds"))
        .isEqualTo(DEFAULT.toSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "60", "7200"})
  @DisplayName("A client may ask for a shorter or equal TTL (ttl key in Upload-Metadata)")
  void tus_ttlWithinBounds_isUsed(String ttl) {
    Instant now = tusk.clock().instant();
    Response r = tusCreate(ttl);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(expires(r)).isEqualTo(now.plusSeconds(Long.parseLong(ttl)));
    Response details = tusk.http().get(r.header("Location") + "/details");
    assertThat(Instant.parse(details.jsonPath().getString("expiresAt"))).isEqualTo(expires(r));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "7201", "-5", "ten", "1.5", "99999999999999999999"})
  @DisplayName("A TTL outside 1..max is 400 naming the allowed range")
  void tus_ttlOutOfBounds_is400(String ttl) {
    Response r = tusCreate(ttl);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_INVALID_TTL");
    assertThat(r.jsonPath().getString("detail")).contains("1 to 7200");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "7201", "abc"})
  void simple_ttlOutOfBounds_is400(String ttl) {
    Response r = tusk.http().body(new byte[] {1}).post("/files/?ttl=" + ttl);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.jsonPath().getString("detail")).contains("1 to 7200");
  }

  @Test
  void simple_ttlAndDefault() {
    Instant now = tusk.clock().instant();
    Response asked = tusk.http().body(new byte[] {1}).post("/files/?ttl=90");
    assertThat(asked.statusCode()).isEqualTo(201);
    assertThat(expires(asked)).isEqualTo(now.plusSeconds(90));
    assertThat(Instant.parse(asked.jsonPath().getString("expiresAt"))).isEqualTo(now.plusSeconds(90));
    assertThat(asked.jsonPath().getLong("ttlSeconds")).isEqualTo(90);
    Response none = tusk.http().body(new byte[] {1}).post("/files/");
    assertThat(expires(none)).isEqualTo(now.plus(DEFAULT));
  }

  @Test
  @DisplayName("Expiry is measured from creation: writing to an upload does not extend it")
  void expiry_isMeasuredFromCreation() {
    Instant created = tusk.clock().instant();
    Response r = tusCreate("100");
    String path = java.net.URI.create(r.header("Location")).getPath();
    tusk.clock().advance(Duration.ofSeconds(60));
    Response patch =
        tusk.tus()
            .header("Upload-Offset", "0")
            .contentType("application/offset+octet-stream")
            .body(new byte[] {1, 2, 3, 4})
            .patch(path);
    assertThat(patch.statusCode()).isEqualTo(204);
    assertThat(expires(patch)).isEqualTo(created.plusSeconds(100));
    assertThat(tusk.http().get(path).statusCode()).isEqualTo(200);
    tusk.clock().advance(Duration.ofSeconds(39));
    assertThat(tusk.http().get(path).statusCode()).isEqualTo(200);
    tusk.clock().advance(Duration.ofSeconds(1));
    assertThat(tusk.http().get(path).statusCode()).isEqualTo(410);
    assertThat(tusk.http().get(path + "/details").statusCode()).isEqualTo(410);
    assertThat(tusk.tus().head(path).statusCode()).isEqualTo(410);
  }
}
