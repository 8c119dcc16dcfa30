package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TtlTest {
  private static final Duration DEFAULT = Duration.ofHours(24);
  private static final Duration MAX = Duration.ofDays(7);

  @Test
  void resolve_absent_isDefault() {
    assertThat(Ttl.resolve(null, DEFAULT, MAX)).isEqualTo(DEFAULT);
  }

  @Test
  void resolve_withinBounds() {
    assertThat(Ttl.resolve("1", DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Ttl.resolve("604800", DEFAULT, MAX)).isEqualTo(MAX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "604801", "-5", "1.5", "abc", ""})
  void resolve_outsideBounds_is400NamingTheRange(String value) {
    assertThatThrownBy(() -> Ttl.resolve(value, DEFAULT, MAX))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TTL);
          assertThat(e.detail()).contains("1 to 604800");
        });
  }
}
