package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataTest {
  @Test
  void parse_validPairs_decodesInOrder() {
    Map<String, String> m = Metadata.parse("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential, empty ");
    assertThat(m).containsExactly(
        Map.entry("filename", "world_domination_plan.pdf"),
        Map.entry("is_confidential", ""),
        Map.entry("empty", ""));
  }

  @Test
  void parse_nullOrBlank_isEmpty() {
    assertThat(Metadata.parse(null)).isEmpty();
    assertThat(Metadata.parse("  ")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a YQ==,a Yg==",          // duplicate key
      "a Y",                    // truncated base64
      "a %%%",                  // invalid base64
      "a YQ== Yg==",            // value with a space
      "a YQ==,,b Yg==",         // empty pair
      "k\u00e9y YQ==",          // non-ASCII key
      "k\u0001 YQ=="            // control character in key
  })
  void parse_invalid_is400(String header) {
    assertThatThrownBy(() -> Metadata.parse(header))
        .isInstanceOfSatisfying(TusException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_METADATA));
  }

  @Test
  void encode_roundTripsAndNeverEmitsRawControlCharacters() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", "evil\r\nSet-Cookie: x=1");
    m.put("flag", "");
    String header = Metadata.encode(m);
    assertThat(header).doesNotContain("\r").doesNotContain("\n");
    assertThat(Metadata.parse(header)).isEqualTo(m);
  }
}
