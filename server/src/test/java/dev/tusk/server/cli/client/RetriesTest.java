package dev.tusk.server.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetriesTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  private static RequestFailure failure(int status, String retryAfter) {
    return new RequestFailure(status, "x", Optional.ofNullable(retryAfter));
  }

  @Test
  void parse_takesDurationsBareMillisecondsAndNone() {
    Retries r = Retries.parse("0, 1s,500 ,2m", CLOCK);
    assertThat(r.attempts()).isEqualTo(4);
    assertThat(r.delay(2, failure(503, null))).hasValue(Duration.ofMillis(500));
    assertThat(r.delay(3, failure(0, null))).hasValue(Duration.ofMinutes(2));
    assertThat(r.delay(4, failure(503, null))).as("no delay left").isEmpty();
    assertThat(Retries.parse("none", CLOCK).attempts()).isZero();
    assertThat(Retries.parse(Retries.DEFAULT, CLOCK).attempts()).isEqualTo(4);
    assertThatThrownBy(() -> Retries.parse("1s,soon", CLOCK)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void delay_onlyForRetryableFailures_andRetryAfterWinsWhenLonger() {
    Retries r = Retries.parse("2s", CLOCK);
    assertThat(r.delay(0, failure(400, null))).isEmpty();
    assertThat(r.delay(0, failure(404, "10"))).isEmpty();
    assertThat(r.delay(0, failure(429, "10"))).hasValue(Duration.ofSeconds(10));
    assertThat(r.delay(0, failure(503, "1"))).hasValue(Duration.ofSeconds(2));
    assertThat(r.delay(0, new RequestFailure(400, Retries.INTERRUPTED, "taken over", Optional.empty())))
        .hasValue(Duration.ofSeconds(2));
  }

  @Test
  void retryAfter_secondsOrAnHttpDate_fromTheClock() {
    assertThat(Retries.retryAfter(Optional.of("120"), CLOCK)).hasValue(Duration.ofMinutes(2));
    assertThat(Retries.retryAfter(Optional.of("Mon, 23 Nov 2026 10:00:30 GMT"), CLOCK))
        .hasValue(Duration.ofSeconds(30));
    assertThat(Retries.retryAfter(Optional.of("Mon, 23 Nov 2026 09:00:00 GMT"), CLOCK))
        .as("a date in the past: at once").hasValue(Duration.ZERO);
    assertThat(Retries.retryAfter(Optional.of("soon"), CLOCK)).isEmpty();
    assertThat(Retries.retryAfter(Optional.empty(), CLOCK)).isEmpty();
  }
}
