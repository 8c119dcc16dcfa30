package dev.tusk.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitsTest {
  @ParameterizedTest(name = "{0} allows {1}: {2}")
  @CsvSource({
    "image/*, image/png, true",
    "image/*, IMAGE/PNG; charset=x, true",
    "image/*, image/, false",
    "image/*, imagex/png, false",
    "image/*, video/mp4, false",
    "application/pdf, application/pdf, true",
    "application/pdf, application/pdfx, false",
    "application/pdf, '', false",
  })
  void allowsType(String allowed, String declared, boolean expected) {
    Limits limits = new Limits(OptionalLong.empty(), List.of(allowed), Optional.empty());
    Optional<String> type = declared.isEmpty() ? Optional.empty() : Optional.of(declared);
    assertThat(limits.allowsType(type)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"''", "text/plain"})
  void allowsType_noRestriction_allowsAnything(String declared) {
    Optional<String> type = declared.isEmpty() ? Optional.empty() : Optional.of(declared);
    assertThat(Limits.NONE.allowsType(type)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"0", "1", "9223372036854775807"})
  void claims_roundTrip(long size) {
    Limits limits =
        new Limits(OptionalLong.of(size), List.of("image/*", "text/plain"),
            Optional.of(java.time.Duration.ofMinutes(5)));
    assertThat(Limits.fromClaims(limits.toClaims())).isEqualTo(limits);
  }
}
