package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds a locker's answer in time whatever the locker does: a request never waits longer than
 * the lock wait plus a grace period, and a lock granted after the request gave up is released.
 */
final class Bounded {
  private static final long GRACE_MS = 2_000;

  private Bounded() {}

  static CompletableFuture<Locker.Lock> lock(CompletableFuture<Locker.Lock> granted, Duration wait) {
    CompletableFuture<Locker.Lock> out = bounded(granted, wait);
    granted.thenAccept(
        lock -> {
          if (out.isCompletedExceptionally()) {
            lock.close(); // too late: nobody will use it
          }
        });
    return out;
  }

  static <T> CompletableFuture<T> bounded(CompletableFuture<T> answer, Duration wait) {
    return answer
        .copy()
        .orTimeout(wait.toMillis() + GRACE_MS, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            e ->
                CompletableFuture.failedFuture(
                    e instanceof TimeoutException
                        ? new TusException(
                            ErrorCode.LOCKER_UNAVAILABLE,
                            "the lock service did not answer within " + (wait.toMillis() + GRACE_MS) + " ms")
                        : e));
  }
}
