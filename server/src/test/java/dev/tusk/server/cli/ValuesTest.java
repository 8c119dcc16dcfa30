package dev.tusk.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
  @ParameterizedTest
  @CsvSource({"0,0", "1024,1024", "1k,1024", "10MiB,10485760", "2G,2147483648", "1TB,1099511627776"})
  void size(String text, long bytes) {
    assertThat(Values.size(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-1", "1x", "99999999999T"})
  void size_invalid(String text) {
    assertThatThrownBy(() -> Values.size(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S", "90s,PT1M30S", "30m,PT30M", "24h,PT24H", "7d,PT168H", "PT2H,PT2H"})
  void duration(String text, String iso) {
    assertThat(Values.duration(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "1w", "h"})
  void duration_invalid(String text) {
    assertThatThrownBy(() -> Values.duration(text)).isInstanceOf(RuntimeException.class);
  }
}
