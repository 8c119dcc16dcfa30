package dev.tusk.server.hooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hook meters, tagged by hook type and receiver name (both from configuration, so low-cardinality):
 * {@code tusk.hook.calls} (timer: count and latency of each attempt, tag {@code outcome} ok /
 * failed), {@code tusk.hook.failures} (counter, tag {@code reason}), {@code tusk.hook.rejections}
 * (counter), {@code tusk.hook.deliveries} (counter of notification results: delivered / retried /
 * dead), {@code tusk.hook.outbox.depth} (gauge: notifications ready but not yet delivered) and
 * {@code tusk.hook.lost} (counter: notifications the outbox could not store). Thread-safe.
 */
final class HookMetrics {
  private final MeterRegistry registry;
  private final Map<HookType, AtomicInteger> depth = new EnumMap<>(HookType.class);

  HookMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (HookType type : HookType.values()) {
      if (type.durable()) {
        AtomicInteger n = new AtomicInteger();
        depth.put(type, n);
        Gauge.builder("tusk.hook.outbox.depth", n, AtomicInteger::get)
            .description("Notifications waiting in the outbox")
            .tag("type", type.wireName())
            .register(registry);
      }
    }
  }

  void call(HookType type, String receiver, boolean ok, Duration took) {
    Timer.builder("tusk.hook.calls")
        .description("Hook calls (one per attempt) and their latency")
        .tags("type", type.wireName(), "receiver", receiver, "outcome", ok ? "ok" : "failed")
        .register(registry)
        .record(took);
  }

  void failure(HookType type, String receiver, String reason) {
    Counter.builder("tusk.hook.failures")
        .description("Hook calls that produced no usable answer")
        .tags("type", type.wireName(), "receiver", receiver, "reason", reason)
        .register(registry)
        .increment();
  }

  void rejection(HookType type, String receiver) {
    Counter.builder("tusk.hook.rejections")
        .description("Requests rejected by a hook receiver")
        .tags("type", type.wireName(), "receiver", receiver)
        .register(registry)
        .increment();
  }

  void delivery(HookType type, String receiver, String result) {
    Counter.builder("tusk.hook.deliveries")
        .description("Notification delivery attempts by result (delivered, retried, dead)")
        .tags("type", type.wireName(), "receiver", receiver, "result", result)
        .register(registry)
        .increment();
  }

  void lost(HookType type) {
    Counter.builder("tusk.hook.lost")
        .description("Notifications that could not be written to the outbox")
        .tag("type", type.wireName())
        .register(registry)
        .increment();
  }

    void queued(HookType type, int delta) {
    AtomicInteger n = depth.get(type);
    if (n != null) {
      n.addAndGet(delta);
    }
  }

  int depth(HookType type) {
    AtomicInteger n = depth.get(type);
    return n == null ? 0 : n.get();
  }
}
