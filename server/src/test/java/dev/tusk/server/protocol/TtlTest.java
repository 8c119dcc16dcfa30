package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.time.Instant;
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

  @Test
  void resolve_underMaxNever_defaultNeverOrAShorterAskedTtl() {
    assertThat(Ttl.resolve(null, Ttl.NEVER, Ttl.NEVER)).isEqualTo(Ttl.NEVER);
    assertThat(Ttl.resolve("3600", Ttl.NEVER, Ttl.NEVER)).isEqualTo(Duration.ofHours(1));
    assertThat(Ttl.resolve("3155760000", Ttl.NEVER, Ttl.NEVER)).isEqualTo(Ttl.LONGEST_FINITE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "3155760001", "9223372036854775807", "never"})
  void resolve_underMaxNever_aNumberBeyondAHundredYearsOrNever_is400(String value) {
    assertThatThrownBy(() -> Ttl.resolve(value, Ttl.NEVER, Ttl.NEVER))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TTL);
          assertThat(e.detail()).contains("1 to 3155760000");
        });
  }

  @Test
  void expiry_neverIsEmpty_elseNowPlusTtl() {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    assertThat(Ttl.expiry(now, Ttl.NEVER)).isEmpty();
    assertThat(Ttl.expiry(now, Duration.ofHours(1))).contains(now.plusSeconds(3600));
    assertThat(Ttl.NEVER).isGreaterThan(Ttl.LONGEST_FINITE);
  }
}
