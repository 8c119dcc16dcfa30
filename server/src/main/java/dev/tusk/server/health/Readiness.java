package dev.tusk.server.health;

import dev.tusk.core.UploadStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the server can take uploads: not shutting down, the store's calls are not failing (its
 * {@link StoreHealth}), and the store answers its cheap {@link UploadStore#probe() probe}
 * (directory writable, bucket reachable) and the locker its own (Redis answers and release
 * requests are heard) within a timeout. Probes run
 * on the storage executor, at most one at a time, and a result is reused for a second so frequent
 * health checks cost one probe per second at most. Thread-safe; never blocks the caller.
 */
public final class Readiness {
  private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final UploadStore store;
  private final dev.tusk.core.Locker locker;
  private final Executor executor;
  private final ShutdownGate gate;
  private final StoreHealth health;
  private CompletableFuture<Optional<String>> current;
  private long startedAt;

  public Readiness(
      UploadStore store,
      dev.tusk.core.Locker locker,
      Executor executor,
      ShutdownGate gate,
      StoreHealth health) {
    this.store = store;
    this.locker = locker;
    this.executor = executor;
    this.gate = gate;
    this.health = health;
  }

  /** Completes with empty if ready, or with the reason it is not. */
  public CompletableFuture<Optional<String>> check() {
    if (gate.isClosed()) {
      return CompletableFuture.completedFuture(Optional.of("shutting down"));
    }
    Optional<String> failing = health.problem();
    if (failing.isPresent()) {
      return CompletableFuture.completedFuture(failing);
    }
    synchronized (this) {
      long now = System.nanoTime();
      if (current == null || (current.isDone() && now - startedAt > REUSE_NANOS)) {
        startedAt = now;
        current = probe();
      }
      return current;
    }
  }

  private CompletableFuture<Optional<String>> probe() {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                store.probe();
              } catch (Exception e) {
                return Optional.of("store probe failed: " + e);
              }
              try {
                locker.probe();
                return Optional.<String>empty();
              } catch (Exception e) {
                return Optional.of("locker probe failed: " + e.getMessage());
              }
            },
            executor)
        .completeOnTimeout(Optional.of("store probe timed out after " + TIMEOUT.toMillis() + " ms"),
            TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> Optional.of("store probe failed: " + (e instanceof TimeoutException ? "timeout" : e)));
  }
}
