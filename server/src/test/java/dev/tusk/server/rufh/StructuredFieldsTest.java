package dev.tusk.server.rufh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredFieldsTest {
  @ParameterizedTest
  @CsvSource({"0,0", "25,25", "' 42 ',42", "-7,-7", "999999999999999,999999999999999", "5;a=1,5"})
  void parseInteger_integerItems_parsed(String raw, long expected) {
    assertThat(StructuredFields.parseInteger(raw)).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "1.5", "0x10", "+1", "1000000000000000", "1,2", "?1", "1;", "1;A=2", "--1", "1 2"})
  void parseInteger_otherValues_empty(String raw) {
    assertThat(StructuredFields.parseInteger(raw)).isEmpty();
  }

  @Test
  void parseInteger_null_empty() {
    assertThat(StructuredFields.parseInteger(null)).isEqualTo(OptionalLong.empty());
  }

  @ParameterizedTest
  @CsvSource({"?1,true", "?0,false", "' ?1',true", "?0;x,false"})
  void parseBoolean_booleanItems_parsed(String raw, boolean expected) {
    assertThat(StructuredFields.parseBoolean(raw)).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0", "true", "?", "?2", "?1,?0", "?T"})
  void parseBoolean_otherValues_empty(String raw) {
    assertThat(StructuredFields.parseBoolean(raw)).isEqualTo(Optional.empty());
  }

  @Test
  void dictionary_serializedInOrder_andParsedBack() {
    Map<String, Long> limits = new LinkedHashMap<>();
    limits.put("max-size", 1_000_000L);
    limits.put("max-age", 3600L);
    String header = StructuredFields.serializeDictionary(limits);
    assertThat(header).isEqualTo("max-size=1000000, max-age=3600");
    assertThat(StructuredFields.parseIntegerDictionary(header)).hasValue(limits);
  }

  @Test
  void parseIntegerDictionary_skipsUnknownTypesAndParameters() {
    assertThat(StructuredFields.parseIntegerDictionary("a=1;p=2, b, c=\"s\", d=4"))
        .hasValue(Map.of("a", 1L, "d", 4L));
    assertThat(StructuredFields.parseIntegerDictionary("A=1")).isEmpty();
  }

  @Test
  void serializeDictionary_badKey_rejected() {
    assertThatThrownBy(() -> StructuredFields.serializeDictionary(Map.of("Max", 1L)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
