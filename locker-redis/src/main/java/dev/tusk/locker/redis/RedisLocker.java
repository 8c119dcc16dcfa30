package dev.tusk.locker.redis;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.NamedThreads;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Locker} shared by every tusk instance that points at the same Redis, so a fleet behind a
 * load balancer keeps one writer per upload without sticky sessions.
 *
 * <p>A lock is the key {@code tusk:lock:<id>} set with {@code NX} to a random token and a lease
 * (default {@link #DEFAULT_LEASE}), renewed every third of the lease while held and deleted on
 * release only if it still holds the token, so a holder never deletes another's lock. A requester
 * that finds the key taken publishes the upload id on {@value #RELEASE_CHANNEL}; the instance
 * holding it runs the holder's {@code onReleaseRequested}. Releasing publishes the id on {@value
 * #RELEASED_CHANNEL}, which wakes the waiters at once; they also poll every 50–100 ms in case a
 * notice was missed. A crashed holder's key expires with its lease.
 *
 * <p><b>Thread-safety.</b> Thread-safe; one instance per process is enough.
 *
 * <p><b>Blocking.</b> {@link #lock} and {@link #awaitReleased} never block and never contact Redis
 * on the calling thread; {@link Locker.Lock#close()} neither. Their futures are completed on one of
 * the locker's two threads ({@code tusk-redis-locker-N}), where stages added with non-async methods
 * then run too: keep those short or use the {@code *Async} variants. Only a call on a closed locker
 * gets its (failed) future completed on the calling thread. {@code onReleaseRequested} runs on a
 * locker thread and must not block. {@link #close()} blocks for up to a few seconds.
 *
 * <p><b>Exceptions.</b> Futures fail with {@link TusException}: {@link ErrorCode#UPLOAD_LOCKED}
 * when the upload is still held after {@code maxWait}; {@link ErrorCode#LOCKER_UNAVAILABLE} when
 * Redis cannot be reached within about one to two seconds (connect and socket timeout 1 s) or the
 * locker is closed. Service resumes by itself when Redis is back: nothing needs restarting. If a
 * held lock cannot be renewed for a whole lease, or is found taken over, its {@code
 * onReleaseRequested} runs: the holder must assume it lost the lock. Null arguments throw {@link
 * NullPointerException} and a negative {@code maxWait} {@link IllegalArgumentException} at once.
 *
 * <p>Longer than most classes here because of this contract and because locking, renewal, release
 * and waiting share the table of held locks and its shutdown; the Redis commands live in {@link
 * RedisCommands} and the pub/sub subscription in {@link LockSubscriber}.
 */
public final class RedisLocker implements Locker, AutoCloseable {
  /** The lease used by {@link #create(URI)}. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  static final String KEY_PREFIX = "tusk:lock:";
  static final String RELEASE_CHANNEL = "tusk:lock:release";
  static final String RELEASED_CHANNEL = "tusk:lock:released";
  private static final Duration MIN_LEASE = Duration.ofMillis(100);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
  private static final int THREADS = 2;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger log = LoggerFactory.getLogger(RedisLocker.class);

  private final RedisCommands redis;
  private final Leases leases;
  private final ScheduledThreadPoolExecutor executor;
  private final LockSubscriber subscriber;
  private final ConcurrentMap<String, Set<Attempt>> waiting = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private RedisLocker(RedisCommands redis, Duration lease) {
    this.redis = redis;
    this.leases = new Leases(redis, lease);
    this.executor = new ScheduledThreadPoolExecutor(THREADS, NamedThreads.daemon("redis-locker"));
    this.executor.setRemoveOnCancelPolicy(true);
    this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.subscriber =
        new LockSubscriber(
            redis, new Notices(), KEEP_ALIVE.multipliedBy(3), RELEASE_CHANNEL, RELEASED_CHANNEL);
  }

  /** {@link #create(URI, Duration)} with the {@link #DEFAULT_LEASE}. */
  public static RedisLocker create(URI redisUrl) {
    return create(redisUrl, DEFAULT_LEASE);
  }

  /**
   * A locker on the Redis at {@code redis://[[user]:password@]host:port[/db]} (database 0 when the
   * path is empty). Does not wait for Redis: it connects in the background and keeps trying while
   * Redis is down.
   *
   * @param lease how long a lock outlives a holder that stopped renewing it (crashed); at least 100
   *     ms
   * @throws IllegalArgumentException if the URL is not a redis:// URL with host and port, or the
   *     lease is shorter than 100 ms
   */
  public static RedisLocker create(URI redisUrl, Duration lease) {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(lease, "lease");
    if (lease.compareTo(MIN_LEASE) < 0) {
      throw new IllegalArgumentException("lease must be at least 100 ms, got " + lease);
    }
    RedisLocker locker = new RedisLocker(new RedisCommands(redisUrl, THREADS + 1), lease);
    long renewEvery = Math.max(1, lease.toMillis() / 3);
    locker.executor.scheduleWithFixedDelay(
        locker.leases::renewAll, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    long keepAlive = KEEP_ALIVE.toMillis();
    locker.executor.scheduleWithFixedDelay(
        locker.subscriber::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
    locker.subscriber.start();
    return locker;
  }

  @Override
  public CompletableFuture<Lock> lock(UploadId id, Duration maxWait, Runnable onReleaseRequested) {
    Objects.requireNonNull(onReleaseRequested, "onReleaseRequested");
    String key = key(id, maxWait);
    String token = newToken();
    CompletableFuture<Lock> future = new CompletableFuture<>();
    BooleanSupplier probe =
        () -> {
          long sentAt = System.nanoTime();
          if (!redis.acquire(key, token, leases.lease().toMillis())) {
            return false;
          }
          HeldLock lock =
              new HeldLock(id.value(), key, token, sentAt, onReleaseRequested, this::release);
          leases.add(lock);
          if (!future.complete(lock)) {
            lock.close();
          }
          return true;
        };
    return begin(id, maxWait, probe, future);
  }

  @Override
  public CompletableFuture<Void> awaitReleased(UploadId id, Duration maxWait) {
    String key = key(id, maxWait);
    CompletableFuture<Void> future = new CompletableFuture<>();
    BooleanSupplier probe =
        () -> {
          if (redis.exists(key)) {
            return false;
          }
          future.complete(null);
          return true;
        };
    return begin(id, maxWait, probe, future);
  }

  private <T> CompletableFuture<T> begin(
      UploadId id, Duration maxWait, BooleanSupplier probe, CompletableFuture<T> future) {
    BooleanSupplier unlessClosed =
        () -> {
          if (closed) {
            throw closedException();
          }
          return probe.getAsBoolean();
        };
    Attempt attempt =
        new Attempt(
            id.value(),
            maxWait,
            unlessClosed,
            () -> redis.publish(RELEASE_CHANNEL, id.value()),
            future,
            executor,
            this::ended);
    waiting.compute(
        id.value(),
        (k, attempts) -> {
          Set<Attempt> set = attempts == null ? ConcurrentHashMap.newKeySet() : attempts;
          set.add(attempt);
          return set;
        });
    if (closed) {
      attempt.fail(closedException());
    } else {
      attempt.submit();
    }
    return future;
  }

  private void ended(Attempt attempt) {
    waiting.computeIfPresent(
        attempt.id,
        (k, attempts) -> {
          attempts.remove(attempt);
          return attempts.isEmpty() ? null : attempts;
        });
  }

  private void wakeWaiters(String id) {
    Set<Attempt> attempts = waiting.get(id);
    if (attempts != null) {
      attempts.forEach(Attempt::wake);
    }
  }

  private void release(HeldLock lock) {
    leases.remove(lock);
    try {
      executor.execute(
          () -> {
            releaseNow(lock);
            wakeWaiters(lock.id);
          });
    } catch (RejectedExecutionException e) {
      log.debug("event=unlock_skipped id={} reason=locker_closed", lock.id);
    }
  }

  private void releaseNow(HeldLock lock) {
    try {
      redis.release(lock.key, lock.token, RELEASED_CHANNEL, lock.id);
    } catch (TusException e) {
      log.warn("event=unlock_failed id={} cause=\"{}\" effect=lease_expires", lock.id, e.detail());
    }
  }

  private String key(UploadId id, Duration maxWait) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
    return KEY_PREFIX + id.value();
  }

  /** 128 random bits: proves ownership of a key, so must never repeat across instances. */
  private static String newToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static TusException closedException() {
    return new TusException(ErrorCode.LOCKER_UNAVAILABLE, "the Redis locker is closed");
  }

  /**
   * Stops the locker's threads, releases the locks it still holds (best effort, bounded by the
   * Redis timeout), fails pending futures with {@link ErrorCode#LOCKER_UNAVAILABLE} and closes the
   * connections. Idempotent; blocks for up to a few seconds.
   */
  @Override
  public void close() {
    shutDown(true);
  }

  /** Stops everything without releasing held locks, as if the process died. For tests. */
  void abandon() {
    shutDown(false);
  }

  private synchronized void shutDown(boolean release) {
    if (closed) {
      return;
    }
    closed = true;
    if (release) {
      executor.shutdown(); // runs releases already queued; drops timers and polls
    } else {
      executor.shutdownNow();
    }
    try {
      if (!executor.awaitTermination(3, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    subscriber.close();
    List<HeldLock> stillHeld = leases.drain();
    if (release) {
      stillHeld.forEach(this::releaseNow);
    }
    waiting.values().forEach(attempts -> attempts.forEach(a -> a.fail(closedException())));
    redis.close();
  }

  /**
   * Ready when Redis answers a PING and the pub/sub subscription is up (only then do release
   * requests from other instances reach this one).
   */
  @Override
  public void probe() throws java.io.IOException {
    try {
      redis.ping();
    } catch (TusException e) {
      throw new java.io.IOException(e.detail(), e);
    }
    if (!subscribed()) {
      throw new java.io.IOException("not subscribed to Redis pub/sub (release requests would be missed)");
    }
  }

  /** Whether pub/sub is subscribed: only then do release requests reach this instance. */
  boolean subscribed() {
    return subscriber.subscribed();
  }

  /** What the subscriber hears. Runs on the subscriber thread: only hands work over. */
  private final class Notices implements LockSubscriber.Listener {
    @Override
    public void onMessage(String channel, String id) {
      if (RELEASED_CHANNEL.equals(channel)) {
        wakeWaiters(id);
        return;
      }
      HeldLock lock = leases.get(id);
      if (lock != null) {
        try {
          executor.execute(lock::requestRelease);
        } catch (RejectedExecutionException e) {
          log.debug("event=release_request_dropped id={} reason=locker_closed", id);
        }
      }
    }

    @Override
    public void onSubscribed() {
      waiting.keySet().forEach(RedisLocker.this::wakeWaiters);
    }
  }
}
