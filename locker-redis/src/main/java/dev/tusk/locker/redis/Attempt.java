package dev.tusk.locker.redis;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pending {@code lock} or {@code awaitReleased}: probes Redis until the probe succeeds, the
 * wait runs out or Redis fails. Between probes it asks the holder to let go (again every {@link
 * #ASK_AGAIN}, in case an instance missed the request) and sleeps a bounded backoff (50 ms, then
 * 100 ms), cut short by {@link #wake()} when a "released" notice for its upload arrives.
 *
 * <p>Thread-safe. Probes run on the executor, one at a time per attempt, and may block for the
 * Redis timeout; the probe itself completes the future on success.
 */
final class Attempt {
  static final Duration ASK_AGAIN = Duration.ofMillis(500);
  private static final long FIRST_POLL_MILLIS = 50;
  private static final long MAX_POLL_MILLIS = 100;
  private static final Logger log = LoggerFactory.getLogger(Attempt.class);

  final String id;
  private final Duration maxWait;
  private final long deadline;
  private final BooleanSupplier probe;
  private final Runnable askRelease;
  private final CompletableFuture<?> future;
  private final ScheduledExecutorService executor;
  private final Consumer<Attempt> onDone;
  private long pollMillis = FIRST_POLL_MILLIS;
  private long askedAt;
  private boolean asked;
  private boolean running;
  private boolean rerun;
  private ScheduledFuture<?> next;

  /**
   * @param probe answers true once done (and has then completed {@code future}); may throw {@link
   *     TusException}
   * @param askRelease asks the current holder to let go; may throw {@link TusException}
   * @param onDone called once when the attempt ends, however it ends
   */
  Attempt(
      String id,
      Duration maxWait,
      BooleanSupplier probe,
      Runnable askRelease,
      CompletableFuture<?> future,
      ScheduledExecutorService executor,
      Consumer<Attempt> onDone) {
    this.id = id;
    this.maxWait = maxWait;
    this.deadline = System.nanoTime() + maxWait.toNanos();
    this.probe = probe;
    this.askRelease = askRelease;
    this.future = future;
    this.executor = executor;
    this.onDone = onDone;
  }

  /** Probes again now: the upload may just have been released. */
  void wake() {
    synchronized (this) {
      if (future.isDone()) {
        return;
      }
      if (running) {
        rerun = true;
        return;
      }
    }
    submit();
  }

  void submit() {
    try {
      executor.execute(this::run);
    } catch (RejectedExecutionException e) {
      fail(new TusException(ErrorCode.LOCKER_UNAVAILABLE, "the Redis locker is closed"));
    }
  }

  void fail(TusException e) {
    future.completeExceptionally(e);
    finish();
  }

  private void run() {
    synchronized (this) {
      if (running) {
        rerun = true;
        return;
      }
      running = true;
      rerun = false;
      if (next != null) {
        next.cancel(false);
        next = null;
      }
    }
    boolean done;
    try {
      done = future.isDone() || probe.getAsBoolean() || giveUpOrAsk();
    } catch (TusException e) {
      future.completeExceptionally(e);
      done = true;
    } catch (RuntimeException e) {
      log.error("event=lock_attempt_failed id={}", id, e);
      future.completeExceptionally(
          new TusException(ErrorCode.INTERNAL, "lock attempt failed: " + e, e));
      done = true;
    }
    if (done) {
      finish();
    } else {
      scheduleNext();
    }
  }

  /** After a failed probe: fails the future when the wait is over, else asks the holder. */
  private boolean giveUpOrAsk() {
    long now = System.nanoTime();
    if (now - deadline >= 0) {
      future.completeExceptionally(
          new TusException(
              ErrorCode.UPLOAD_LOCKED,
              "upload "
                  + id
                  + " is still locked by another request after waiting "
                  + maxWait.toMillis()
                  + " ms for its release"));
      return true;
    }
    if (!asked || now - askedAt >= ASK_AGAIN.toNanos()) {
      asked = true;
      askedAt = now;
      askRelease.run();
    }
    return false;
  }

  private void scheduleNext() {
    boolean now;
    synchronized (this) {
      running = false;
      now = rerun || future.isDone();
      if (!now) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        long delay = Math.max(0, Math.min(pollMillis, remaining));
        pollMillis = Math.min(pollMillis * 2, MAX_POLL_MILLIS);
        try {
          next = executor.schedule(this::run, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          now = true;
        }
      }
    }
    if (now) {
      submit();
    }
  }

  private void finish() {
    synchronized (this) {
      running = false;
      if (next != null) {
        next.cancel(false);
        next = null;
      }
    }
    onDone.accept(this);
  }
}
