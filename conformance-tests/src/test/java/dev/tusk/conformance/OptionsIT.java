package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OptionsIT {
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension(c -> c.withMaxSize(1L << 30));

  @Test
  @DisplayName(
      "A successful response indicated by the 204 No Content or 200 OK status MUST contain the"
          + " Tus-Version header")
  void options_advertisesVersionExtensionsMaxSizeAndChecksums() {
    tusk.http()
        .when()
        .options("/files/")
        .then()
        .statusCode(204)
        .header("Tus-Version", "1.0.0")
        .header("Tus-Extension", containsString("creation"))
        .header("Tus-Extension", containsString("concatenation"))
        .header("Tus-Max-Size", equalTo(String.valueOf(1L << 30)))
        .header("Tus-Checksum-Algorithm", "md5,sha1,sha256,sha512");
  }

  @Test
  @DisplayName(
      "The Tus-Extension response header MUST be a comma-separated list of the extensions supported"
          + " by the Server.")
  void options_always_listsEveryExtension() {
    Response r = tusk.http().options("/files/");

    assertThat(r.header("Tus-Extension").split(","))
        .contains(
            "creation",
            "creation-with-upload",
            "creation-defer-length",
            "termination",
            "concatenation",
            "concatenation-unfinished",
            "checksum",
            "checksum-trailer",
            "expiration");
  }

  @Test
  @DisplayName(
      "The Tus-Checksum-Algorithm response header MUST be a comma-separated list of the checksum"
          + " algorithms supported by the server.")
  void options_always_listsChecksumAlgorithms() {
    Response r = tusk.http().options("/files/");

    assertThat(r.header("Tus-Checksum-Algorithm").split(","))
        .containsExactlyInAnyOrder("md5", "sha1", "sha256", "sha512");
  }

  @Test
  @DisplayName(
      "The Tus-Max-Size response header MUST be a non-negative integer [...] The Server SHOULD set"
          + " this header if there is a known hard limit (none without a limit).")
  void options_withoutMaxSize_omitsTusMaxSize() throws Exception {
    try (TuskFixture unlimited = TuskFixture.start()) {
      Response r = unlimited.http().options("/files/");

      assertThat(r.statusCode()).isIn(200, 204);
      assertThat(r.header("Tus-Max-Size")).isNull();
    }
  }

  @Test
  @DisplayName(
      "An OPTIONS request MAY be used to gather information about the Server's current"
          + " configuration (without Tus-Resumable in the request).")
  void options_withoutTusResumable_succeeds() {
    Response r = tusk.http().options("/files/");

    assertThat(r.statusCode()).isIn(200, 204);
    assertThat(r.header("Tus-Version")).isEqualTo("1.0.0");
  }
}
