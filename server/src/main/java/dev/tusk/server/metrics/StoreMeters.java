package dev.tusk.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store's meters: {@code tusk_store_operation_seconds} by operation and outcome, {@code
 * tusk_store_errors_total} by kind, and {@code tusk_store_since_success_seconds}. Thread-safe.
 */
final class StoreMeters {
  private static final Duration[] BUCKETS = TuskMetrics.durations(1, 5, 10, 25, 50, 100, 250, 500,
      1_000, 2_500, 5_000, 10_000);

  private final MeterRegistry registry;
  /** Store operation timers by operation; each outcome's timer is registered on first use. */
  private final Map<String, StoreTimers> timers = new ConcurrentHashMap<>();
  /** Store errors by kind, in {@link TuskMetrics#STORE_ERROR_KINDS} order. */
  private final Counter[] errors = new Counter[TuskMetrics.STORE_ERROR_KINDS.length];

  StoreMeters(MeterRegistry registry) {
    this.registry = registry;
    for (int i = 0; i < errors.length; i++) {
      errors[i] = Counter.builder("tusk.store.errors")
          .description("Failed store calls by kind: unavailable (503), full (507), timeout (no answer"
              + " within store-timeout, 503), other (500).")
          .tag("kind", TuskMetrics.STORE_ERROR_KINDS[i])
          .register(registry);
    }
  }

  /**
   * One call of a store operation. A download makes two and a PATCH writes once per buffer, so
   * the timer is found without building a key: a map lookup by the operation's name (a constant,
   * its hash cached), then a field.
   */
  void operation(String operation, boolean ok, long nanos) {
    StoreTimers t = timers.get(operation);
    if (t == null) {
      t = timers.computeIfAbsent(operation, StoreTimers::new);
    }
    t.timer(ok, registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A store call that failed; {@code kind} is one of {@link TuskMetrics#STORE_ERROR_KINDS}. */
  void error(String kind) {
    for (int i = 0; i < errors.length; i++) {
      if (TuskMetrics.STORE_ERROR_KINDS[i].equals(kind)) {
        errors[i].increment();
        return;
      }
    }
    throw new IllegalArgumentException("unknown store error kind " + kind);
  }

  /** Publishes the time since a store call last succeeded, read from {@code since}. */
  void sinceSuccess(Supplier<Duration> since) {
    Gauge.builder("tusk.store.since.success", since, d -> d.get().toMillis() / 1000.0)
        .baseUnit("seconds")
        .description("Time since a store call last succeeded (since start-up if none has yet).")
        .register(registry);
  }

  /** The two timers of one store operation, each registered when its outcome first occurs. */
  private static final class StoreTimers {
    private final String operation;
    private volatile Timer ok;
    private volatile Timer error;

    StoreTimers(String operation) {
      this.operation = operation;
    }

    Timer timer(boolean success, MeterRegistry registry) {
      Timer timer = success ? ok : error;
      if (timer != null) {
        return timer;
      }
      // registering twice returns the same timer, so a race here is harmless
      timer = Timer.builder("tusk.store.operation")
          .description("Duration of storage operations, by operation and outcome.")
          .tags("operation", operation, "outcome", success ? "ok" : "error")
          .serviceLevelObjectives(BUCKETS)
          .register(registry);
      if (success) {
        ok = timer;
      } else {
        error = timer;
      }
      return timer;
    }
  }
}
