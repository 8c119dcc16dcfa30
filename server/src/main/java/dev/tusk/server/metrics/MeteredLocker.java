package dev.tusk.server.metrics;

import dev.tusk.core.Locker;
import dev.tusk.core.UploadId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Counts release requests ({@code tusk_lock_release_requests_total}) and times the waits of
 * requests that found their upload held ({@code tusk_lock_wait_seconds}); a lock granted at once
 * is not a wait. Thread-safe; adds no blocking.
 */
public final class MeteredLocker implements Locker {
  private final Locker locker;
  private final TuskMetrics metrics;

  public MeteredLocker(Locker locker, TuskMetrics metrics) {
    this.locker = locker;
    this.metrics = metrics;
  }

  @Override
  public CompletableFuture<Lock> lock(UploadId id, Duration maxWait, Runnable onReleaseRequested) {
    Runnable counted =
        () -> {
          metrics.releaseRequested();
          onReleaseRequested.run();
        };
    return timed(locker.lock(id, maxWait, counted));
  }

  @Override
  public CompletableFuture<Void> awaitReleased(UploadId id, Duration maxWait) {
    return timed(locker.awaitReleased(id, maxWait));
  }

  private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
    if (future.isDone()) {
      return future;
    }
    long start = System.nanoTime();
    future.whenComplete((r, error) -> metrics.lockWait(System.nanoTime() - start, error));
    return future;
  }

  @Override
  public void probe() throws java.io.IOException {
    locker.probe();
  }
}
