package dev.tusk.server.expiry;

import dev.tusk.core.Locker;
import dev.tusk.core.Terminator;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadLister;
import dev.tusk.server.UploadService;
import dev.tusk.server.policy.UploadPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired uploads. tus expiration: "the Server SHOULD delete" an expired upload. Each
 * expired upload is deleted under its lock (an in-flight request is asked to let go), and its id
 * is remembered so it keeps answering 410. Runs on a schedule in the server and on demand in
 * tests; never concurrently with itself.
 */
public final class ExpirySweeper {
  private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
  /** The lock that makes one instance of a fleet the sweeper of a round. */
  static final UploadId LEADER = new UploadId("tusk-expiry-sweeper");
  private final UploadService uploads;
  private final UploadLister lister;
  private final Terminator terminator;
  private final Locker locker;
  private final Duration lockWait;
  private final UploadPolicy policy;

  public ExpirySweeper(
      UploadService uploads,
      UploadLister lister,
      Terminator terminator,
      Locker locker,
      Duration lockWait,
      UploadPolicy policy) {
    this.policy = policy;
    this.uploads = uploads;
    this.lister = lister;
    this.terminator = terminator;
    this.locker = locker;
    this.lockWait = lockWait;
  }

  /** One pass over every upload; returns how many expired uploads were deleted. */
  public synchronized int sweepOnce() throws IOException {
    // In a fleet one instance sweeps at a time: the others find the leader lock taken and skip
    // this round instead of listing and checking every upload again.
    Locker.Lock leader;
    try {
      leader = locker.lock(LEADER, Duration.ofMillis(100), () -> {}).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.debug("event=sweep_skipped reason={}", e.getCause() == null ? e : e.getCause().toString());
      return 0;
    }
    try (leader) {
      return sweepAll();
    }
  }

  private int sweepAll() throws IOException {
    List<UploadId> ids;
    try (Stream<UploadId> all = lister.list()) {
      ids = all.toList();
    }
    int deleted = 0;
    for (UploadId id : ids) {
      try {
        if (sweep(id)) {
          deleted++;
        }
      } catch (Exception e) {
        LOG.warn("event=sweep_failed upload={} error={}", id, e.toString());
      }
    }
    return deleted;
  }

  private boolean sweep(UploadId id) throws Exception {
    Optional<UploadInfo> found = uploads.store().find(id);
    if (found.isEmpty() || !found.get().isExpired(uploads.now())) {
      return false;
    }
    try (Locker.Lock lock =
        locker.lock(id, lockWait, () -> {}).get(lockWait.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
      Optional<UploadInfo> current = uploads.store().find(id);
      if (current.isEmpty() || !current.get().isExpired(uploads.now())) {
        return false;
      }
      uploads.markExpired(current.get());
      terminator.terminate(current.get());
      policy.afterExpire(current.get());
      return true;
    }
  }
}
