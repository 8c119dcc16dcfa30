package dev.tusk.conformance;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OptionsIT {
  static TuskFixture tusk;

  @BeforeAll
  static void start() throws Exception {
    tusk = TuskFixture.start(c -> c.withMaxSize(1L << 30));
  }

  @AfterAll
  static void stop() throws Exception {
    tusk.close();
  }

  @Test
  @DisplayName("A successful response indicated by the 204 No Content or 200 OK status MUST contain the Tus-Version header")
  void options_advertisesVersionExtensionsMaxSizeAndChecksums() {
    tusk.http()
        .when().options("/files/")
        .then()
        .statusCode(204)
        .header("Tus-Version", "1.0.0")
        .header("Tus-Extension", containsString("creation"))
        .header("Tus-Extension", containsString("concatenation"))
        .header("Tus-Max-Size", equalTo(String.valueOf(1L << 30)))
        .header("Tus-Checksum-Algorithm", "md5,sha1,sha256,sha512");
  }
}
