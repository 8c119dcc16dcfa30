package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.hooks.BlockingCalls.Result;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockingCallsTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BlockingCalls calls =
      new BlockingCalls(pool, 2, Duration.ofMillis(1), new HookMetrics(registry));
  private final Invocation inv =
      new Invocation(HookType.PRE_CREATE, "k1", "{}".getBytes(StandardCharsets.UTF_8));

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void connectErrorsAnd5xx_areRetriedWithTheSameKey() {
    FakeReceiver flaky = new FakeReceiver("flaky").then(FakeReceiver.down(),
        new HookFailure(HookFailure.Kind.SERVER_ERROR, 502, "bad gateway"), HookResponse.EMPTY);
    List<Result> results = calls.callAll(List.of(flaky), inv);
    assertThat(results.get(0).ok()).isTrue();
    assertThat(flaky.calls).extracting(Invocation::eventId).containsExactly("k1", "k1", "k1");
    assertThat(registry.get("tusk.hook.calls").tag("outcome", "failed").timer().count()).isEqualTo(2);
  }

  @Test
  void retriesAreBounded_andTimeoutsOr4xxAreNotRetried() {
    FakeReceiver down = new FakeReceiver("down").then(FakeReceiver.down());
    FakeReceiver slow = new FakeReceiver("slow").then(new HookFailure(HookFailure.Kind.TIMEOUT, "slow"));
    FakeReceiver refusing = new FakeReceiver("refusing")
        .then(new HookFailure(HookFailure.Kind.CLIENT_ERROR, 404, "not found"));
    List<Result> results = calls.callAll(List.of(down, slow, refusing), inv);
    assertThat(results).extracting(Result::ok).containsExactly(false, false, false);
    assertThat(down.calls).hasSize(3);
    assertThat(slow.calls).hasSize(1);
    assertThat(refusing.calls).hasSize(1);
  }
}
