package dev.tusk.locker.redis;

import static dev.tusk.locker.redis.LockerFixture.LEASE;
import static dev.tusk.locker.redis.LockerFixture.assertCode;
import static dev.tusk.locker.redis.LockerFixture.await;
import static dev.tusk.locker.redis.LockerFixture.awaitTrue;
import static dev.tusk.locker.redis.LockerFixture.failure;
import static dev.tusk.locker.redis.LockerFixture.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker.Lock;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Redis going away and coming back, and Redis URLs with a password and a database. */
class RedisLockerOutageIT {
  private static final Duration LONG = Duration.ofSeconds(5);
  private static final Runnable IGNORE = () -> {};

  @Test
  void redisKilled_failsLockerUnavailablePromptly_thenWorksAgainAfterRestart() throws Exception {
    try (LockerFixture fixture = new LockerFixture()) {
      RedisLocker holderNode = fixture.instance();
      RedisLocker waiterNode = fixture.instance();
      await(holderNode.lock(UploadId.random(), LONG, IGNORE), LONG).close();
      holderNode.probe();

      fixture.redis.kill();
      org.assertj.core.api.Assertions.assertThatThrownBy(holderNode::probe)
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("127.0.0.1:" + fixture.redis.port());
      long start = System.nanoTime();
      TusException e = failure(holderNode.lock(UploadId.random(), LONG, IGNORE), LONG);

      assertCode(e, ErrorCode.LOCKER_UNAVAILABLE);
      assertThat(e.detail()).contains("127.0.0.1:" + fixture.redis.port());
      assertThat(millisSince(start)).as("ms to fail").isLessThan(2_500);
      assertCode(
          failure(waiterNode.awaitReleased(UploadId.random(), LONG), LONG),
          ErrorCode.LOCKER_UNAVAILABLE);

      fixture.redis.restart();
      UploadId id = UploadId.random();
      awaitTrue(
          "both lockers re-subscribed",
          LONG,
          () -> holderNode.subscribed() && waiterNode.subscribed());
      awaitTrue("probe passes again", LONG, () -> {
        try {
          holderNode.probe();
          return true;
        } catch (java.io.IOException notYet) {
          return false;
        }
      });
      AtomicReference<Lock> held = new AtomicReference<>();
      held.set(lockOnceRedisAnswers(holderNode, id, () -> held.get().close()));
      // The waiter met the outage too: wait out its own fail-fast window on another upload, so
      // that what is timed below is the takeover and not a cached failure.
      lockOnceRedisAnswers(waiterNode, UploadId.random(), () -> {}).close();
      long takeover = System.nanoTime();
      await(waiterNode.lock(id, Duration.ofSeconds(10), IGNORE), LONG).close();
      assertThat(millisSince(takeover)).as("ms to take over via pub/sub").isLessThan(1_000);
    }
  }

  @Test
  void redisKilled_holderToldItLostTheLockOnceTheLeaseIsOver() throws Exception {
    try (LockerFixture fixture = new LockerFixture()) {
      RedisLocker node = fixture.instance();
      CountDownLatch told = new CountDownLatch(1);
      await(node.lock(UploadId.random(), LONG, told::countDown), LONG);

      fixture.redis.kill();
      long start = System.nanoTime();

      awaitTrue("holder told", LEASE.multipliedBy(4), () -> told.getCount() == 0);
      assertThat(millisSince(start)).isLessThan(LEASE.toMillis() + 2_500);
    }
  }

  @Test
  void create_urlWithPasswordAndDatabase_locksInThatDatabase() throws Exception {
    try (LockerFixture fixture = new LockerFixture("--requirepass", "s3cret")) {
      URI url = URI.create("redis://:s3cret@127.0.0.1:" + fixture.redis.port() + "/3");
      UploadId id = UploadId.random();
      try (RedisLocker locker = RedisLocker.create(url, LEASE);
          RedisClient db3 = RedisClient.create(url);
          RedisClient db0 = RedisClient.create(url.resolve("/0"))) {

        Lock lock = await(locker.lock(id, LONG, IGNORE), LONG);

        assertThat(db3.exists(LockerFixture.key(id))).isTrue();
        assertThat(db0.exists(LockerFixture.key(id))).isFalse();
        lock.close();
      }
    }
  }

  @Test
  void create_wrongPassword_failsLockerUnavailableWithoutLeakingIt() throws Exception {
    try (LockerFixture fixture = new LockerFixture("--requirepass", "s3cret")) {
      URI url = URI.create("redis://:wr0ng-pass@127.0.0.1:" + fixture.redis.port());
      try (RedisLocker locker = RedisLocker.create(url, LEASE)) {

        TusException e = failure(locker.lock(UploadId.random(), LONG, IGNORE), LONG);

        assertCode(e, ErrorCode.LOCKER_UNAVAILABLE);
        assertThat(e.detail())
            .contains("127.0.0.1:" + fixture.redis.port())
            .doesNotContain("wr0ng");
      }
    }
  }

  /** The first call after a restart may still meet the locker's 250 ms fail-fast window. */
  private static Lock lockOnceRedisAnswers(RedisLocker node, UploadId id, Runnable onRequest) {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (true) {
      CompletableFuture<Lock> attempt = node.lock(id, Duration.ofSeconds(1), onRequest);
      try {
        return await(attempt, LONG);
      } catch (AssertionError e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        LockerFixture.sleep(Duration.ofMillis(50));
      }
    }
  }
}
