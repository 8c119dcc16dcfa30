package dev.tusk.server.handlers;

import dev.tusk.core.Locker;
import dev.tusk.core.UploadId;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.Problems;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy.Access;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a request's work while it holds its upload's lock. The lock is acquired without blocking
 * (another holder is asked to let go), the work then runs on the storage executor, and the lock
 * is released when the exchange completes — success, error and disconnect alike — or earlier by
 * the work itself. A body pump that still runs when the exchange completes (the connection was
 * closed under it) keeps the lock until it has committed and its outcome ran, then lets go.
 */
public final class LockedRequest {
  /** Work done under the lock; {@code relay} receives release requests from other requests. */
  @FunctionalInterface
  public interface Work {
    void run(Locker.Lock lock, StopRelay relay) throws Exception;
  }

  private LockedRequest() {}

  /** Call from a handler on the I/O thread; the exchange is dispatched and ended by the work. */
  public static void run(TusContext ctx, HttpServerExchange exchange, UploadId id, Work work) {
    Guarded.run(exchange, () -> lockAndRun(ctx, exchange, id, work, false));
  }

  /**
   * For a request on an existing upload; call from a handler on the I/O thread. On the storage
   * executor the access decision comes first ({@link dev.tusk.server.uploads.UploadService#access}), so a
   * caller who may not reach the upload neither waits for its lock nor asks the lock's holder (the
   * owner's request in flight) to let go; then the lock, then the work, which reloads the upload.
   */
  public static void runOnUpload(
      TusContext ctx, HttpServerExchange exchange, UploadId id, RequestContext request, Access access,
      Work work) {
    exchange.dispatch(
        ctx.storage(),
        Guarded.task(
            exchange,
            () -> {
              ctx.uploads().access(request, id, access);
              lockAndRun(ctx, exchange, id, work, true);
            }));
  }

  /**
   * @param onStorage true if called from a task on the storage executor (the exchange is
   *     dispatched already and the work may run right here), false on the I/O thread
   */
  private static void lockAndRun(
      TusContext ctx, HttpServerExchange exchange, UploadId id, Work work, boolean onStorage)
      throws Exception {
    StopRelay relay = new StopRelay();
    AtomicReference<Locker.Lock> held = new AtomicReference<>();
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          // a lock not granted yet is closed where it is granted; a running body pump may
          // release it earlier itself, and otherwise keeps it until its outcome ran
          Locker.Lock lock = held.getAndSet(ReleasedLock.INSTANCE);
          if (lock != null) {
            relay.afterPump(lock::close);
          }
          next.proceed();
        });
    // Lockers never block (they return futures), so ask at once: a free upload's lock is granted
    // immediately and the work needs at most a single hop to the storage executor.
    CompletableFuture<Locker.Lock> granted = ctx.locker().lock(id, ctx.config().lockWait(), relay);
    if (granted.isDone() && !granted.isCompletedExceptionally()) {
      Locker.Lock lock = granted.join();
      if (!held.compareAndSet(null, lock)) {
        lock.close(); // the exchange ended meanwhile
        return;
      }
      if (onStorage) {
        work.run(lock, relay);
      } else {
        exchange.dispatch(ctx.storage(), Guarded.task(exchange, () -> work.run(lock, relay)));
      }
      return;
    }
    CompletableFuture<Locker.Lock> bounded = Bounded.lock(granted, ctx.config().lockWait());
    Runnable whenGranted =
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
                });
    if (onStorage) {
      whenGranted.run();
    } else {
      exchange.dispatch(SameThreadExecutor.INSTANCE, whenGranted);
    }
  }

  private enum ReleasedLock implements Locker.Lock {
    INSTANCE;

    @Override
    public void close() {}
  }
}
