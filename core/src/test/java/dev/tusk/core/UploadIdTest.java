package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UploadIdTest {
  @Test
  void random_is128BitsOfHex_andUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String v = UploadId.random().value();
      assertThat(v).matches("[0-9a-f]{32}");
      assertThat(seen.add(v)).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "../../etc/passwd", "abc/defghijk", "abcdefgh\r\nX: y",
      "abcdefgh%2e%2e", "abcdefgh.info", "abcdefgh "})
  void parse_rejectsMalformedIds(String candidate) {
    assertThat(UploadId.parse(candidate)).isEmpty();
  }

  @Test
  void parse_acceptsGeneratedIds() {
    UploadId id = UploadId.random();
    assertThat(UploadId.parse(id.value())).contains(id);
  }
}
