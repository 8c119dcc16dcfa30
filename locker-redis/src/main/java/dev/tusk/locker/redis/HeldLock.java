package dev.tusk.locker.redis;

import dev.tusk.core.Locker;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock this instance holds in Redis: the key, the random token that proves ownership, and when
 * the lease was last known good. Thread-safe; {@link #close()} never blocks and never throws.
 */
final class HeldLock implements Locker.Lock {
  private static final Logger log = LoggerFactory.getLogger(HeldLock.class);

  final String id;
  final String key;
  final String token;
  private final Runnable onReleaseRequested;
  private final Consumer<HeldLock> release;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();

  /** {@link System#nanoTime()} at which the last successful acquire or renewal was sent. */
  private volatile long leasedSince;

  HeldLock(
      String id,
      String key,
      String token,
      long leasedSince,
      Runnable onReleaseRequested,
      Consumer<HeldLock> release) {
    this.id = id;
    this.key = key;
    this.token = token;
    this.leasedSince = leasedSince;
    this.onReleaseRequested = onReleaseRequested;
    this.release = release;
  }

  long leasedSince() {
    return leasedSince;
  }

  void renewed(long sentAt) {
    leasedSince = sentAt;
  }

  boolean isOpen() {
    return !closed.get() && !lost.get();
  }

  /** Asks the holder to let go; ignored once closed. Runs the callback on the calling thread. */
  void requestRelease() {
    if (closed.get()) {
      return;
    }
    try {
      onReleaseRequested.run();
    } catch (RuntimeException e) {
      log.warn("event=release_callback_failed id={}", id, e);
    }
  }

  /**
   * Marks the lease lost (taken over, or not renewable for a whole lease) and tells the holder,
   * which must assume another writer may now hold the upload. Answers false if already lost.
   */
  boolean markLost(String reason) {
    if (!lost.compareAndSet(false, true)) {
      return false;
    }
    log.warn("event=lock_lost id={} reason={}", id, reason);
    requestRelease();
    return true;
  }

  /** Releases the lock in the background (compare-and-delete: never another holder's lock). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release.accept(this);
    }
  }

  @Override
  public String toString() {
    return "RedisLock["
        + id
        + (lost.get() ? ", lost" : "")
        + (closed.get() ? ", closed" : "")
        + "]";
  }
}
