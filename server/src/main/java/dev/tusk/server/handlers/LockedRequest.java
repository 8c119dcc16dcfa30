package dev.tusk.server.handlers;

import dev.tusk.core.Locker;
import dev.tusk.core.UploadId;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.Problems;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a request's work while it holds its upload's lock. The lock is acquired without blocking
 * (another holder is asked to let go), the work then runs on the storage executor, and the lock
 * is released when the exchange completes — success, error and disconnect alike — or earlier by
 * the work itself.
 */
final class LockedRequest {
  /** Work done under the lock; {@code relay} receives release requests from other requests. */
  @FunctionalInterface
  interface Work {
    void run(Locker.Lock lock, StopRelay relay) throws Exception;
  }

  private LockedRequest() {}

  /** Call from a handler on the I/O thread; the exchange is dispatched and ended by the work. */
  static void run(TusContext ctx, HttpServerExchange exchange, UploadId id, Work work) {
    StopRelay relay = new StopRelay();
    AtomicReference<Locker.Lock> held = new AtomicReference<>();
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          // a running body pump releases the lock itself once its bytes are committed
          if (!relay.pumpRunning()) {
            Locker.Lock lock = held.getAndSet(ReleasedLock.INSTANCE);
            if (lock != null) {
              lock.close();
            }
          }
          next.proceed();
        });
    // Lockers never block (they return futures), so ask on the I/O thread: a free upload's lock
    // is granted at once and the work needs a single hop to the storage executor.
    CompletableFuture<Locker.Lock> granted = ctx.locker().lock(id, ctx.config().lockWait(), relay);
    if (granted.isDone() && !granted.isCompletedExceptionally()) {
      Locker.Lock lock = granted.join();
      held.set(lock);
      exchange.dispatch(ctx.storage(), Guarded.task(exchange, () -> work.run(lock, relay)));
      return;
    }
    CompletableFuture<Locker.Lock> bounded = Bounded.lock(granted, ctx.config().lockWait());
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () ->
            bounded.whenComplete(
                (lock, error) -> {
                  if (error != null) {
                    Problems.send(exchange, error);
                    return;
                  }
                  if (!held.compareAndSet(null, lock)) {
                    lock.close(); // the exchange ended while we waited
                    return;
                  }
                  ctx.storage().execute(Guarded.task(exchange, () -> work.run(lock, relay)));
                }));
  }

  private enum ReleasedLock implements Locker.Lock {
    INSTANCE;

    @Override
    public void close() {}
  }
}
