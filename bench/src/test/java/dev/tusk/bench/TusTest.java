package dev.tusk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TusTest {
  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.1:8080/files/abc, /files/, /files/abc",
    "https://example.test/files/abc?x=1, /files/, /files/abc?x=1",
    "/files/abc, /files, /files/abc",
    "abc, /files/, /files/abc",
    "abc, /files, /files/abc"
  })
  void path_locationForms_resolveToPath(String location, String collection, String expected) {
    assertThat(Tus.path(location, collection)).isEqualTo(expected);
  }
}
