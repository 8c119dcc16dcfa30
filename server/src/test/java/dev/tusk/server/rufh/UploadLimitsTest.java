package dev.tusk.server.rufh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UploadLimitsTest {
  @Test
  void version6_namesLifetimeExpires() {
    assertThat(UploadLimits.header(InteropVersion.V6, 100, Duration.ofHours(1)))
        .isEqualTo("max-size=100, expires=3600");
  }

  @Test
  void version7On_nameLifetimeMaxAge() {
    for (InteropVersion v : new InteropVersion[] {InteropVersion.V7, InteropVersion.V8, InteropVersion.V9}) {
      assertThat(UploadLimits.header(v, 0, Duration.ofSeconds(90))).isEqualTo("max-age=90");
    }
  }

  @Test
  void noLimits_minSizeZero() {
    // "If the server does not apply any limits, it MUST use min-size=0 instead of an empty header value."
    assertThat(UploadLimits.header(InteropVersion.V8, 0, null)).isEqualTo("min-size=0");
  }

  @Test
  void expiredUpload_lifetimeNeverNegative() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(UploadLimits.header(InteropVersion.V9, 0, now, Optional.of(now.minusSeconds(5)))).isEqualTo("max-age=0");
  }
}
