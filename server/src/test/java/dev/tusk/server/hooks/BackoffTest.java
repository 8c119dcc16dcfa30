package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  @Test
  void delay_growsExponentiallyWithinBounds() {
    assertThat(backoff.delay(0, 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(3, 0.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(3, 0.999)).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(8));
    assertThat(backoff.delay(20, 0.999)).isBetween(Duration.ofSeconds(299), Duration.ofMinutes(5));
    assertThat(backoff.delay(64, 0.0)).isEqualTo(Duration.ofSeconds(150));
  }
}
