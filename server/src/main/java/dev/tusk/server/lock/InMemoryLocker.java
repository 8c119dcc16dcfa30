package dev.tusk.server.lock;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The single-process {@link Locker}: a map of held ids guarded by one monitor (critical sections
 * are a few map operations). Waiters get the lock in arrival order. Callbacks and future
 * completions run outside the monitor. Timeouts run on the given scheduler.
 */
public final class InMemoryLocker implements Locker {
  private final ScheduledExecutorService scheduler;
  private final Map<UploadId, Holder> held = new HashMap<>();

  public InMemoryLocker(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  private static final class Holder {
    Runnable onReleaseRequested;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    final List<CompletableFuture<Void>> observers = new ArrayList<>();

    Holder(Runnable onReleaseRequested) {
      this.onReleaseRequested = onReleaseRequested;
    }
  }

  private record Waiter(CompletableFuture<Lock> future, Runnable onReleaseRequested) {}

  private final class HeldLock implements Lock {
    private final UploadId id;
    private boolean closed;

    HeldLock(UploadId id) {
      this.id = id;
    }

    @Override
    public void close() {
      synchronized (InMemoryLocker.this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      release(id);
    }
  }

  @Override
  public CompletableFuture<Lock> lock(UploadId id, Duration maxWait, Runnable onReleaseRequested) {
    Runnable ask;
    CompletableFuture<Lock> future = new CompletableFuture<>();
    synchronized (this) {
      Holder holder = held.get(id);
      if (holder == null) {
        held.put(id, new Holder(onReleaseRequested));
        return CompletableFuture.completedFuture(new HeldLock(id));
      }
      holder.waiters.add(new Waiter(future, onReleaseRequested));
      ask = holder.onReleaseRequested;
    }
    timeout(future, id, maxWait);
    ask.run();
    return future;
  }

  @Override
  public CompletableFuture<Void> awaitReleased(UploadId id, Duration maxWait) {
    Runnable ask;
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (this) {
      Holder holder = held.get(id);
      if (holder == null) {
        return CompletableFuture.completedFuture(null);
      }
      holder.observers.add(future);
      ask = holder.onReleaseRequested;
    }
    timeout(future, id, maxWait);
    ask.run();
    return future;
  }

  /** True if {@code id} is held right now; for tests and metrics. */
  public synchronized boolean isHeld(UploadId id) {
    return held.containsKey(id);
  }

  private void timeout(CompletableFuture<?> future, UploadId id, Duration maxWait) {
    var task =
        scheduler.schedule(
            () ->
                future.completeExceptionally(
                    new TusException(
                        ErrorCode.UPLOAD_LOCKED,
                        "upload " + id + " is held by another request that did not let go within "
                            + maxWait.toMillis() + " ms")),
            maxWait.toMillis(),
            TimeUnit.MILLISECONDS);
    future.whenComplete((r, e) -> task.cancel(false));
  }

  private void release(UploadId id) {
    List<CompletableFuture<Void>> observers;
    Waiter next = null;
    Runnable askNext = null;
    synchronized (this) {
      Holder holder = held.get(id);
      if (holder == null) {
        return;
      }
      observers = new ArrayList<>(holder.observers);
      holder.observers.clear();
      while (!holder.waiters.isEmpty()) {
        Waiter candidate = holder.waiters.poll();
        if (!candidate.future().isDone()) {
          next = candidate;
          break;
        }
      }
      if (next == null) {
        held.remove(id);
      } else {
        holder.onReleaseRequested = next.onReleaseRequested();
        if (!holder.waiters.isEmpty() || !holder.observers.isEmpty()) {
          askNext = next.onReleaseRequested();
        }
      }
    }
    observers.forEach(f -> f.complete(null));
    if (next != null && !next.future().complete(new HeldLock(id))) {
      // the waiter timed out between poll and complete: pass the lock on
      release(id);
      return;
    }
    if (askNext != null) {
      askNext.run();
    }
  }
}
