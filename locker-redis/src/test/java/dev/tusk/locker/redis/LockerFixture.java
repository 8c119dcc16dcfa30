package dev.tusk.locker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.TusException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.RedisClient;

/**
 * One redis-server and the lockers ("instances") a test made against it, all stopped afterwards;
 * plus the bounded waits the tests use. Every wait here has a deadline.
 */
final class LockerFixture implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(1);

  final RedisServerProcess redis;
  final RedisClient raw;
  private final List<RedisLocker> lockers = new ArrayList<>();

  LockerFixture(String... redisArgs) throws IOException {
    this.redis = RedisServerProcess.start(redisArgs);
    this.raw = redisArgs.length == 0 ? RedisClient.create("127.0.0.1", redis.port()) : null;
  }

  /** A new locker, as another tusk instance would have, subscribed before it is returned. */
  RedisLocker instance() {
    RedisLocker locker = RedisLocker.create(redis.url(), LEASE);
    lockers.add(locker);
    awaitTrue("locker subscribed", Duration.ofSeconds(5), locker::subscribed);
    return locker;
  }

  static String key(dev.tusk.core.UploadId id) {
    return RedisLocker.KEY_PREFIX + id.value();
  }

  static <T> T await(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future not done within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The {@link TusException} the future fails with within {@code timeout}. */
  static TusException failure(CompletableFuture<?> future, Duration timeout) {
    try {
      Object value = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (value instanceof Locker.Lock lock) {
        lock.close();
      }
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TusException.class);
      return (TusException) e.getCause();
    } catch (TimeoutException e) {
      return fail("future neither failed nor completed within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void assertCode(TusException e, ErrorCode code) {
    assertThat(e.code()).as("code of %s", e.getMessage()).isEqualTo(code);
  }

  /** Polls {@code condition} every 10 ms until it holds; fails after {@code timeout}. */
  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail(what + " not true within " + timeout);
      }
      sleep(Duration.ofMillis(10));
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Override
  public void close() {
    lockers.forEach(RedisLocker::close);
    if (raw != null) {
      raw.close();
    }
    redis.close();
  }
}
