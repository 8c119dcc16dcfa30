package dev.tusk.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.Locker;
import dev.tusk.core.UploadId;
import dev.tusk.server.lock.InMemoryLocker;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeteredLockerTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final TuskMetrics metrics = new TuskMetrics();
  private final Locker locker = new MeteredLocker(new InMemoryLocker(scheduler), metrics);

  @AfterEach
  void close() {
    scheduler.shutdownNow();
    metrics.close();
  }

  @Test
  void lock_heldByAnother_countsTheReleaseRequestAndTimesTheWait() throws Exception {
    UploadId id = UploadId.random();
    Locker.Lock[] first = new Locker.Lock[1];
    first[0] = locker.lock(id, Duration.ofSeconds(1), () -> scheduler.schedule(() -> first[0].close(), 20, TimeUnit.MILLISECONDS))
        .get(1, TimeUnit.SECONDS);
    locker.lock(id, Duration.ofSeconds(1), () -> {}).get(1, TimeUnit.SECONDS).close();
    String scrape = metrics.scrape();
    assertThat(scrape).contains("tusk_lock_release_requests_total 1.0");
    assertThat(scrape).contains("tusk_lock_wait_seconds_count{outcome=\"acquired\"} 1");
  }

  @Test
  void lock_holderThatDoesNotLetGo_isATimeout() throws Exception {
    UploadId id = UploadId.random();
    try (Locker.Lock held = locker.lock(id, Duration.ofSeconds(1), () -> {}).get(1, TimeUnit.SECONDS)) {
      var waiting = locker.lock(id, Duration.ofMillis(50), () -> {});
      assertThat(waiting).failsWithin(Duration.ofSeconds(2));
    }
    assertThat(metrics.scrape()).contains("tusk_lock_wait_seconds_count{outcome=\"timeout\"} 1");
  }

  @Test
  void lock_free_isNoWait() throws Exception {
    locker.lock(UploadId.random(), Duration.ofSeconds(1), () -> {}).get(1, TimeUnit.SECONDS).close();
    assertThat(metrics.scrape()).contains("tusk_lock_wait_seconds_count{outcome=\"acquired\"} 0");
  }

  @Test
  void locksHeld_countsEachGrantedLockUntilItsFirstClose() throws Exception {
    Locker.Lock first = locker.lock(UploadId.random(), Duration.ofSeconds(1), () -> {}).get(1, TimeUnit.SECONDS);
    Locker.Lock second = locker.lock(UploadId.random(), Duration.ofSeconds(1), () -> {}).get(1, TimeUnit.SECONDS);
    assertThat(metrics.scrape()).contains("tusk_locks_held 2.0");
    first.close();
    first.close(); // idempotent: counted once
    assertThat(metrics.scrape()).contains("tusk_locks_held 1.0");
    second.close();
    assertThat(metrics.scrape()).contains("tusk_locks_held 0.0");
  }
}
