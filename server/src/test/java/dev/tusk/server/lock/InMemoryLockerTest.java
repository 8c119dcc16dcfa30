package dev.tusk.server.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryLockerTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final InMemoryLocker locker = new InMemoryLocker(scheduler);
  private final UploadId id = UploadId.random();
  private static final Duration WAIT = Duration.ofSeconds(5);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void lock_free_isImmediate_andReleaseFreesIt() throws Exception {
    Locker.Lock lock = locker.lock(id, WAIT, () -> {}).getNow(null);
    assertThat(lock).isNotNull();
    assertThat(locker.isHeld(id)).isTrue();
    lock.close();
    lock.close();
    assertThat(locker.isHeld(id)).isFalse();
  }

  @Test
  void lock_held_asksHolderToLetGo_andWaiterGetsItOnRelease() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Locker.Lock first = locker.lock(id, WAIT, asked::incrementAndGet).get();
    CompletableFuture<Locker.Lock> second = locker.lock(id, WAIT, () -> {});
    assertThat(asked.get()).isEqualTo(1);
    assertThat(second).isNotDone();
    first.close();
    Locker.Lock got = second.get(1, TimeUnit.SECONDS);
    assertThat(locker.isHeld(id)).isTrue();
    got.close();
    assertThat(locker.isHeld(id)).isFalse();
  }

  @Test
  void lock_holderNeverLetsGo_failsWithLockedAfterWait() throws Exception {
    Locker.Lock first = locker.lock(id, WAIT, () -> {}).get();
    CompletableFuture<Locker.Lock> second = locker.lock(id, Duration.ofMillis(50), () -> {});
    assertThatThrownBy(() -> second.get(2, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_LOCKED));
    first.close();
    assertThat(locker.isHeld(id)).isFalse();
  }

  @Test
  void awaitReleased_free_completesAtOnce_held_completesOnRelease() throws Exception {
    assertThat(locker.awaitReleased(id, WAIT)).isDone();
    AtomicInteger asked = new AtomicInteger();
    Locker.Lock lock = locker.lock(id, WAIT, asked::incrementAndGet).get();
    CompletableFuture<Void> released = locker.awaitReleased(id, WAIT);
    assertThat(released).isNotDone();
    assertThat(asked.get()).isEqualTo(1);
    lock.close();
    released.get(1, TimeUnit.SECONDS);
  }

  @Test
  void timedOutWaiter_doesNotReceiveTheLockLater() throws Exception {
    Locker.Lock first = locker.lock(id, WAIT, () -> {}).get();
    CompletableFuture<Locker.Lock> late = locker.lock(id, Duration.ofMillis(20), () -> {});
    assertThatThrownBy(() -> late.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    first.close();
    assertThat(locker.isHeld(id)).isFalse();
    assertThat(locker.lock(id, WAIT, () -> {})).isDone();
  }
}
