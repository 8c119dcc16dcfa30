package dev.tusk.server.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
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

  @ParameterizedTest
  @ValueSource(strings = {"9999999999999999d", "9223372036854775807h", "153722867280912931m"})
  void duration_beyondWhatADurationHolds_isInvalidWithAMessage(String text) {
    assertThatThrownBy(() -> Values.duration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
  }

  @ParameterizedTest
  @CsvSource({"true,true", "YES,true", "on,true", "1,true", "false,false", "No,false", "off,false", "0,false"})
  void bool(String text, boolean value) {
    assertThat(Values.bool(text)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "y", "maybe", "2"})
  void bool_invalid(String text) {
    assertThatThrownBy(() -> Values.bool(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void integer_outOfRange_namesTheRange() {
    assertThatThrownBy(() -> Values.integer("70000", 0, 65535)).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> Values.integer("abc", 0, 65535)).hasMessageContaining("'abc' is not an integer");
  }

  @Test
  void list_trimsAndDropsEmpty() {
    assertThat(Values.list(" a, b ,,c ")).containsExactly("a", "b", "c");
    assertThat(Values.list("")).isEmpty();
  }

  @Test
  void uri_requiresSchemeAndHost_andNeverEchoesThePassword() {
    assertThat(Values.uri("redis://:pw@redis:6379/0", List.of("redis")).getHost()).isEqualTo("redis");
    assertThatThrownBy(() -> Values.uri("http://:pw@redis:6379", List.of("redis")))
        .hasMessageContaining("is not a redis URL")
        .hasMessageNotContaining("pw");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "redis://:secret@h:6379/0|redis://:****@h:6379/0",
    "redis://user:secret@h:6379|redis://user:****@h:6379",
    "redis://token@h|redis://****@h",
    "redis://h:6379|redis://h:6379"})
  void maskUserInfo(String url, String masked) {
    assertThat(Values.maskUserInfo(url)).isEqualTo(masked);
  }
}
