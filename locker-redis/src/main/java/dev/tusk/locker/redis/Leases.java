package dev.tusk.locker.redis;

import dev.tusk.core.TusException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locks this instance holds, by upload id, and the renewal of their leases: all of them in one
 * round trip per tick. A lock found expired or taken over, or not renewable for a whole lease, is
 * dropped and its holder told ({@link HeldLock#markLost}).
 *
 * <p>Thread-safe. {@link #renewAll()} blocks for the Redis round trip; the rest never blocks.
 */
final class Leases {
  private static final Logger log = LoggerFactory.getLogger(Leases.class);

  private final RedisCommands redis;
  private final Duration lease;
  private final ConcurrentMap<String, HeldLock> held = new ConcurrentHashMap<>();

  Leases(RedisCommands redis, Duration lease) {
    this.redis = redis;
    this.lease = lease;
  }

  Duration lease() {
    return lease;
  }

  /** Records a lock just acquired; a lock of the same upload held before here must have lost it. */
  void add(HeldLock lock) {
    HeldLock previous = held.put(lock.id, lock);
    if (previous != null && previous.isOpen()) {
      previous.markLost("taken_over_by_this_instance");
    }
  }

  void remove(HeldLock lock) {
    held.remove(lock.id, lock);
  }

  /** The lock of {@code id} held here, or null. */
  HeldLock get(String id) {
    return held.get(id);
  }

  /** Removes and answers every lock still held. */
  List<HeldLock> drain() {
    List<HeldLock> all = List.copyOf(held.values());
    all.forEach(this::remove);
    return all;
  }

  /** Renews every held lease (compare-and-PEXPIRE); never throws. */
  void renewAll() {
    List<HeldLock> locks = held.values().stream().filter(HeldLock::isOpen).toList();
    if (locks.isEmpty()) {
      return;
    }
    long sentAt = System.nanoTime();
    try {
      List<Boolean> renewed =
          redis.renew(
              locks.stream().map(l -> l.key).toList(),
              locks.stream().map(l -> l.token).toList(),
              lease.toMillis());
      for (int i = 0; i < locks.size(); i++) {
        if (renewed.get(i)) {
          locks.get(i).renewed(sentAt);
        } else {
          lost(locks.get(i), "expired_or_taken_over");
        }
      }
    } catch (TusException e) {
      long now = System.nanoTime();
      locks.stream()
          .filter(l -> now - l.leasedSince() >= lease.toNanos())
          .forEach(l -> lost(l, "not_renewed_for_a_lease"));
    } catch (RuntimeException e) {
      log.error("event=renewal_failed", e);
    }
  }

  private void lost(HeldLock lock, String reason) {
    remove(lock);
    lock.markLost(reason);
  }
}
