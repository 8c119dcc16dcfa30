package dev.tusk.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramingHandlerTest {
  @ParameterizedTest
  @ValueSource(strings = {"0", "5", "000000000000000000000000005", "9223372036854775807",
      "09223372036854775807"})
  void isLength_digitsThatFitALong_true(String value) {
    assertThat(FramingHandler.isLength(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "+5", " 5", "5 ", "0x10", "1e3", "9223372036854775808",
      "18446744073709551616", "99999999999999999999999999999999999999", "\u0665"})
  void isLength_anythingElse_false(String value) {
    assertThat(FramingHandler.isLength(value)).isFalse();
  }
}
