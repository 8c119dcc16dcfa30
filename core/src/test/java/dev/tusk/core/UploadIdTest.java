package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
      "abcdefgh%2e%2e", "abcdefgh.info", "abcdefgh ", "1234567", "abcdefgé", "abcdefg\u0661",
      "abcdefgh\u0000", "abcdefg@", "abcdefg[", "abcdefg`", "abcdefg{", "abcdefg:", "abcdefg/"})
  void parse_rejectsMalformedIds(String candidate) {
    assertThat(UploadId.parse(candidate)).isEmpty();
  }

  @Test
  void parse_rejectsNullAndOverlongIds_andAcceptsTheWholeAlphabetAtBothLengthLimits() {
    assertThat(UploadId.parse(null)).isEmpty();
    assertThat(UploadId.parse("a".repeat(129))).isEmpty();
    assertThat(UploadId.parse("a".repeat(128))).isPresent();
    assertThat(UploadId.parse("12345678")).isPresent();
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    assertThat(UploadId.parse(alphabet)).map(UploadId::value).contains(alphabet);
    // every other ASCII character is refused
    for (char c = 0; c < 128; c++) {
      boolean allowed = alphabet.indexOf(c) >= 0;
      assertThat(UploadId.parse("abcdefgh" + c).isPresent()).as("char %d", (int) c).isEqualTo(allowed);
    }
  }

  @Test
  void parse_acceptsGeneratedIds() {
    UploadId id = UploadId.random();
    assertThat(UploadId.parse(id.value())).contains(id);
  }
}
