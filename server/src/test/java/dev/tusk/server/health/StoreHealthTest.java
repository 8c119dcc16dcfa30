package dev.tusk.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.MutableClock;
import dev.tusk.core.TusException;
import dev.tusk.server.health.StoreHealth.Kind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class StoreHealthTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final StoreHealth health = new StoreHealth(clock);

  private static TusException unavailable() {
    return new TusException(ErrorCode.STORAGE_UNAVAILABLE, "GET x failed: 503", Map.of(), null);
  }

  @Test
  void fresh_isNotFailing() {
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void unavailableCall_marksFailing_untilACallSucceeds() {
    assertThat(health.failed(unavailable())).contains(Kind.UNAVAILABLE);
    assertThat(health.problem()).hasValueSatisfying(p -> assertThat(p).contains("unavailable").contains("503"));
    health.succeeded();
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void failing_clearsItselfAfterTheHold_whenNoCallFailsAgain() {
    health.failed(unavailable());
    clock.advance(StoreHealth.HOLD.minusMillis(1));
    assertThat(health.problem()).isPresent();
    health.failed(unavailable()); // still failing: the hold starts again
    clock.advance(StoreHealth.HOLD.minusMillis(1));
    assertThat(health.problem()).isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void clientErrors_countAsTheStoreAnswering() {
    health.failed(unavailable());
    assertThat(health.failed(new TusException(ErrorCode.MISMATCHED_OFFSET, "stored offset is 3")))
        .isEmpty();
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void otherFailures_areCountedButDoNotMarkFailing() {
    assertThat(health.failed(new IOException("corrupt record"))).contains(Kind.OTHER);
    assertThat(health.failed(new TusException(ErrorCode.INTERNAL, "bug"))).contains(Kind.OTHER);
    assertThat(health.problem()).isEmpty();
  }

  @Test
  void kinds_fromStatusAndCause() {
    TusException timeout =
        new TusException(
            ErrorCode.STORAGE_UNAVAILABLE, "slow", Map.of(),
            new IOException("HEAD x", new TimeoutException("10 s")));
    assertThat(StoreHealth.kindOf(timeout)).contains(Kind.TIMEOUT);
    assertThat(StoreHealth.kindOf(unavailable())).contains(Kind.UNAVAILABLE);
    assertThat(Kind.TIMEOUT.tag()).isEqualTo("timeout");
  }

  @Test
  void sinceLastSuccess_followsTheClock() {
    clock.advance(Duration.ofSeconds(7));
    assertThat(health.sinceLastSuccess()).isEqualTo(Duration.ofSeconds(7));
    health.succeeded();
    assertThat(health.sinceLastSuccess()).isZero();
  }
}
