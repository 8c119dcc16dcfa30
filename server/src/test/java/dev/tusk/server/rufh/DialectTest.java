package dev.tusk.server.rufh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DialectTest {
  @ParameterizedTest
  @CsvSource({"3,V3", "4,V4", "5,V5", "6,V6", "7,V7", "8,V8", "9,V9"})
  void interopVersion_spoken_selectsIt(String header, InteropVersion expected) {
    assertThat(Dialect.of(header, null, "?1", null, false)).hasValue(expected);
  }

  @Test
  void interopVersion_winsOverTusResumable() {
    assertThat(Dialect.of("6", "1.0.0", null, null, false)).hasValue(InteropVersion.V6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "2", "10", "x", "6.0"})
  void interopVersion_unknown_is400NamingSupported(String header) {
    assertThatThrownBy(() -> Dialect.of(header, null, "?1", null, false))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_INTEROP_VERSION);
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.detail()).contains("3, 4, 5, 6, 7, 8, 9");
        });
  }

  @Test
  void interopVersion_unknownOnOptions_isTus() {
    assertThat(Dialect.of("2", null, null, null, true)).isEmpty();
  }

  @Test
  void noVersion_uploadCompleteWithoutTus_isNewest() {
    assertThat(Dialect.of(null, null, "?0", null, false)).hasValue(InteropVersion.V9);
  }

  @Test
  void noVersion_uploadIncompleteWithoutTus_isVersion3() {
    assertThat(Dialect.of(null, null, null, "?1", false)).hasValue(InteropVersion.V3);
  }

  @Test
  void tusRequests_stayTus() {
    assertThat(Dialect.of(null, "1.0.0", "?1", null, false)).isEmpty();
    assertThat(Dialect.of(null, null, null, null, false)).isEqualTo(Optional.empty());
  }
}
