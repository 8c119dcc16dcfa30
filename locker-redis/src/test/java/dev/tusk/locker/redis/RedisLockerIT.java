package dev.tusk.locker.redis;

import static dev.tusk.locker.redis.LockerFixture.LEASE;
import static dev.tusk.locker.redis.LockerFixture.assertCode;
import static dev.tusk.locker.redis.LockerFixture.await;
import static dev.tusk.locker.redis.LockerFixture.awaitTrue;
import static dev.tusk.locker.redis.LockerFixture.failure;
import static dev.tusk.locker.redis.LockerFixture.key;
import static dev.tusk.locker.redis.LockerFixture.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker.Lock;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The locking semantics across instances (separate {@link RedisLocker}s) on one real Redis. */
class RedisLockerIT {
  private static final Duration LONG = Duration.ofSeconds(5);
  private static final Runnable IGNORE = () -> {};

  private LockerFixture fixture;
  private final UploadId id = UploadId.random();

  @BeforeEach
  void startRedis() throws IOException {
    fixture = new LockerFixture();
  }

  @AfterEach
  void stopAll() {
    fixture.close();
  }

  @Test
  void lock_free_setsLeasedKeyAndCloseDeletesIt() {
    RedisLocker locker = fixture.instance();

    Lock lock = await(locker.lock(id, Duration.ofSeconds(1), IGNORE), LONG);

    assertThat(fixture.raw.get(key(id))).isEqualTo(((HeldLock) lock).token);
    assertThat(fixture.raw.pttl(key(id))).isBetween(1L, LEASE.toMillis());
    lock.close();
    lock.close();
    awaitTrue("key deleted", LONG, () -> !fixture.raw.exists(key(id)));
  }

  @Test
  void lock_heldByOtherInstance_waiterGetsLockRightAfterRelease() throws Exception {
    RedisLocker holderNode = fixture.instance();
    RedisLocker waiterNode = fixture.instance();
    CountDownLatch asked = new CountDownLatch(1);
    Lock held = await(holderNode.lock(id, LONG, asked::countDown), LONG);

    CompletableFuture<Lock> waiting = waiterNode.lock(id, Duration.ofSeconds(10), IGNORE);

    assertThat(asked.await(5, TimeUnit.SECONDS)).as("holder asked to let go").isTrue();
    assertThat(waiting).isNotDone();
    long released = System.nanoTime();
    held.close();
    await(waiting, LONG).close();
    assertThat(millisSince(released)).as("ms from release to takeover").isLessThan(500);
  }

  @Test
  void lock_releaseRequestedAcrossInstances_holderLetsGoAndWaiterGetsLockFast() {
    RedisLocker holderNode = fixture.instance();
    RedisLocker waiterNode = fixture.instance();
    AtomicReference<Lock> held = new AtomicReference<>();
    held.set(await(holderNode.lock(id, LONG, () -> held.get().close()), LONG));

    long start = System.nanoTime();
    Lock taken = await(waiterNode.lock(id, Duration.ofSeconds(10), IGNORE), LONG);

    assertThat(millisSince(start)).as("ms to take over").isLessThan(1_000);
    assertThat(fixture.raw.get(key(id))).isEqualTo(((HeldLock) taken).token);
  }

  @Test
  void lock_releaseRequestedWithinOneInstance_reachesItsOwnHolder() {
    RedisLocker node = fixture.instance();
    AtomicReference<Lock> held = new AtomicReference<>();
    held.set(await(node.lock(id, LONG, () -> held.get().close()), LONG));

    Lock taken = await(node.lock(id, Duration.ofSeconds(10), IGNORE), LONG);

    assertThat(taken).isNotSameAs(held.get());
  }

  @Test
  void lock_holderRefusesPastItsLease_failsUploadLockedAfterMaxWait() {
    RedisLocker holderNode = fixture.instance();
    RedisLocker waiterNode = fixture.instance();
    AtomicInteger asked = new AtomicInteger();
    await(holderNode.lock(id, LONG, asked::incrementAndGet), LONG);
    Duration maxWait = LEASE.multipliedBy(3).dividedBy(2);

    long start = System.nanoTime();
    TusException e = failure(waiterNode.lock(id, maxWait, IGNORE), LONG);

    assertCode(e, ErrorCode.UPLOAD_LOCKED);
    assertThat(e.detail()).contains(id.value(), maxWait.toMillis() + " ms");
    assertThat(millisSince(start)).isBetween(maxWait.toMillis(), maxWait.toMillis() + 1_000);
    assertThat(asked.get()).as("release requests (asked again every 500 ms)").isGreaterThan(1);
  }

  @Test
  void lock_holderCrashed_obtainableOnceItsLeaseExpires() {
    RedisLocker crashing = fixture.instance();
    RedisLocker survivor = fixture.instance();
    await(crashing.lock(id, LONG, IGNORE), LONG);

    crashing.abandon();
    long start = System.nanoTime();
    Lock taken = await(survivor.lock(id, LONG, IGNORE), LONG);

    assertThat(millisSince(start)).as("ms to take over").isLessThan(LEASE.toMillis() + 1_000);
    assertThat(fixture.raw.get(key(id))).isEqualTo(((HeldLock) taken).token);
  }

  @Test
  void close_afterLeaseLostAndRetaken_neverDeletesTheNewHoldersLock() {
    RedisLocker oldNode = fixture.instance();
    RedisLocker newNode = fixture.instance();
    CountDownLatch toldLost = new CountDownLatch(1);
    Lock old = await(oldNode.lock(id, LONG, toldLost::countDown), LONG);
    fixture.raw.del(key(id)); // the lease ran out, as if renewals had stalled

    Lock taken = await(newNode.lock(id, Duration.ofMillis(500), IGNORE), LONG);
    awaitTrue("old holder told it lost the lock", LONG, () -> toldLost.getCount() == 0);
    old.close();
    oldNode.close(); // runs the queued release before returning

    assertThat(fixture.raw.get(key(id))).isEqualTo(((HeldLock) taken).token);
  }

  @Test
  void awaitReleased_free_completesAtOnce() {
    RedisLocker node = fixture.instance();

    long start = System.nanoTime();
    await(node.awaitReleased(id, LONG), LONG);

    assertThat(millisSince(start)).isLessThan(500);
  }

  @Test
  void awaitReleased_held_asksHolderAndCompletesWhenReleased() {
    RedisLocker holderNode = fixture.instance();
    RedisLocker readerNode = fixture.instance();
    AtomicReference<Lock> held = new AtomicReference<>();
    held.set(await(holderNode.lock(id, LONG, () -> held.get().close()), LONG));

    long start = System.nanoTime();
    await(readerNode.awaitReleased(id, Duration.ofSeconds(10)), LONG);

    assertThat(millisSince(start)).isLessThan(1_000);
    assertThat(fixture.raw.exists(key(id))).isFalse();
  }

  @Test
  void awaitReleased_holderRefuses_failsUploadLocked() {
    RedisLocker holderNode = fixture.instance();
    RedisLocker readerNode = fixture.instance();
    await(holderNode.lock(id, LONG, IGNORE), LONG);

    TusException e = failure(readerNode.awaitReleased(id, Duration.ofMillis(300)), LONG);

    assertCode(e, ErrorCode.UPLOAD_LOCKED);
    assertThat(fixture.raw.exists(key(id))).isTrue();
  }

  @Test
  void lock_manyInstancesContending_neverTwoHoldersAtOnce() throws Exception {
    List<RedisLocker> nodes = List.of(fixture.instance(), fixture.instance(), fixture.instance());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    ExecutorService requests = Executors.newFixedThreadPool(nodes.size());
    List<CompletableFuture<Void>> rounds = new ArrayList<>();
    for (RedisLocker node : nodes) {
      rounds.add(CompletableFuture.runAsync(() -> takeTurns(node, 5, inside, maxInside), requests));
    }

    try {
      CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    } finally {
      requests.shutdownNow();
    }

    assertThat(maxInside.get()).isEqualTo(1);
  }

  private void takeTurns(RedisLocker node, int turns, AtomicInteger inside, AtomicInteger max) {
    for (int i = 0; i < turns; i++) {
      CountDownLatch asked = new CountDownLatch(1);
      Lock lock = await(node.lock(id, LONG, asked::countDown), Duration.ofSeconds(6));
      max.accumulateAndGet(inside.incrementAndGet(), Math::max);
      try {
        asked.await(20, TimeUnit.MILLISECONDS); // hold briefly, or until asked
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inside.decrementAndGet();
      lock.close();
    }
  }
}
