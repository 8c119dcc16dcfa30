package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.MutableClock;
import dev.tusk.server.hooks.Outbox.Entry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelivererTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private final HookMetrics metrics = new HookMetrics(new SimpleMeterRegistry());
  private final List<String> answered = new CopyOnWriteArrayList<>();
  private Deliverer deliverer;

  private Deliverer start(FakeReceiver receiver, Outbox outbox, Deliverer.PendingRule rule) throws Exception {
    deliverer = new Deliverer(outbox, Map.of(receiver.name(), receiver), new ScheduledThreadPoolExecutor(2),
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)), Duration.ofHours(1), clock, metrics,
        rule, (e, r) -> answered.add(e.eventId()));
    deliverer.start();
    return deliverer;
  }

  @AfterEach
  void stop() {
    if (deliverer != null) {
      deliverer.close();
    }
  }

  private static Entry entry(String eventId, HookType type) {
    return new Entry(eventId, type, "a", Fixtures.ID.value(), Fixtures.T0,
        "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void failures_areRetriedWithTheSameKeyUntilDelivered() throws Exception {
    FakeReceiver receiver = new FakeReceiver("a")
        .then(FakeReceiver.down(), FakeReceiver.down(), HookResponse.EMPTY);
    Outbox outbox = new Outbox(dir, false);
    start(receiver, outbox, e -> true).publish(List.of(entry("e1", HookType.POST_FINISH)));

    await(() -> answered.contains("e1"));
    assertThat(receiver.calls).hasSize(3).extracting(Invocation::eventId).containsOnly("e1");
    await(() -> metrics.depth(HookType.POST_FINISH) == 0);
    assertThat(outbox.list(false)).isEmpty();
  }

  @Test
  void permanentRefusal_goesToDead() throws Exception {
    FakeReceiver receiver = new FakeReceiver("a")
        .then(new HookFailure(HookFailure.Kind.CLIENT_ERROR, 400, "bad request"));
    Outbox outbox = new Outbox(dir, false);
    start(receiver, outbox, e -> true).publish(List.of(entry("e2", HookType.POST_CREATE)));

    await(() -> dir.resolve("dead").resolve("e2.a.event").toFile().exists());
    assertThat(receiver.calls).hasSize(1);
    assertThat(answered).isEmpty();
  }

  @Test
  void start_resendsReadyAndResolvesPendingEntries() throws Exception {
    Outbox outbox = new Outbox(dir, false);
    outbox.write(entry("ready", HookType.POST_FINISH), false);
    outbox.write(entry("kept", HookType.POST_FINISH), true);
    outbox.write(entry("dropped", HookType.POST_TERMINATE), true);
    FakeReceiver receiver = new FakeReceiver("a");
    start(receiver, outbox, e -> e.type() != HookType.POST_TERMINATE);

    await(() -> answered.size() == 2);
    assertThat(answered).containsExactlyInAnyOrder("ready", "kept");
    assertThat(outbox.list(true)).isEmpty();
    assertThat(outbox.list(false)).isEmpty();
  }
}
