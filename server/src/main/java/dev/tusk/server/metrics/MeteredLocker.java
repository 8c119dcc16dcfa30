package dev.tusk.server.metrics;

import dev.tusk.core.Locker;
import dev.tusk.core.UploadId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts release requests ({@code tusk_lock_release_requests_total}), times the waits of
 * requests that found their upload held ({@code tusk_lock_wait_seconds}; a lock granted at once
 * is not a wait) and publishes how many locks this process holds ({@code tusk_locks_held}: a lock
 * counts from its grant until its first {@code close}). Thread-safe; adds no blocking.
 */
public final class MeteredLocker implements Locker {
  private final Locker locker;
  private final TuskMetrics metrics;
  private final AtomicLong held = new AtomicLong();

  public MeteredLocker(Locker locker, TuskMetrics metrics) {
    this.locker = locker;
    this.metrics = metrics;
    metrics.gauge("tusk.locks.held",
        "Upload locks this process holds right now (one per request writing an upload).", held::get);
  }

  @Override
  public CompletableFuture<Lock> lock(UploadId id, Duration maxWait, Runnable onReleaseRequested) {
    Runnable counted =
        () -> {
          metrics.releaseRequested();
          onReleaseRequested.run();
        };
    CompletableFuture<Lock> granted = locker.lock(id, maxWait, counted);
    boolean waits = !granted.isDone();
    long start = System.nanoTime();
    CompletableFuture<Lock> out = new CompletableFuture<>();
    // whenComplete hands on the locker's own exception, unwrapped, and runs at once if granted;
    // the wait is recorded before the caller learns its outcome
    granted.whenComplete(
        (lock, error) -> {
          if (waits) {
            metrics.lockWait(System.nanoTime() - start, error);
          }
          if (error != null) {
            out.completeExceptionally(error);
          } else if (!out.complete(counted(lock))) {
            lock.close(); // the caller gave up on this future meanwhile
          }
        });
    return out;
  }

  /** How many locks granted through this locker are not closed yet. */
  public long held() {
    return held.get();
  }

  private Lock counted(Lock lock) {
    held.incrementAndGet();
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        held.decrementAndGet();
      }
      lock.close();
    };
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
