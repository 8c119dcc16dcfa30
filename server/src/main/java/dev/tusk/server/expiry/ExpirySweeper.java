package dev.tusk.server.expiry;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.ExpiryIndex;
import dev.tusk.core.Locker;
import dev.tusk.core.Terminator;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadLister;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.uploads.UploadService;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>With a store that keeps an {@link ExpiryIndex}, a sweep reads the index's due entries and
 * looks at those uploads only (those expired, and those of the current minute, which it leaves
 * alone until they expire): nothing due costs one store call. An entry whose upload is gone is
 * removed; one whose upload expires in another bucket (an expiry changed and a crash came between
 * the store's writes) is replaced by the right one. Without an index, every listed upload is read.
 */
public final class ExpirySweeper {
  private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
  /** The lock that makes one instance of a fleet the sweeper of a round. */
  static final UploadId LEADER = new UploadId("tusk-expiry-sweeper");
  private final UploadService uploads;
  private final UploadLister lister;
  private final ExpiryIndex index;
  private final Terminator terminator;
  private final Locker locker;
  private final Duration lockWait;
  private final UploadPolicy policy;

  /**
   * @param lister the store's listing, read when {@code index} is null
   * @param index the store's expiry index, or null if it keeps none
   */
  public ExpirySweeper(
      UploadService uploads,
      UploadLister lister,
      ExpiryIndex index,
      Terminator terminator,
      Locker locker,
      Duration lockWait,
      UploadPolicy policy) {
    this.policy = policy;
    this.uploads = uploads;
    this.lister = lister;
    this.index = index;
    this.terminator = terminator;
    this.locker = locker;
    this.lockWait = lockWait;
  }

  /** One sweep; returns how many expired uploads were deleted. */
  public int sweepOnce() throws IOException {
    return (int) Math.min(Integer.MAX_VALUE, sweep().deleted());
  }

  /** One sweep over what is due (or, without an index, over every upload). */
  public synchronized Sweep sweep() throws IOException {
    // In a fleet one instance sweeps at a time: the others find the leader lock taken and skip
    // this round instead of checking the same uploads again.
    Locker.Lock leader;
    try {
      leader = locker.lock(LEADER, Duration.ofMillis(100), () -> {}).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Sweep.SKIPPED;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.debug("event=sweep_skipped reason={}", e.getCause() == null ? e : e.getCause().toString());
      return Sweep.SKIPPED;
    }
    try (leader) {
      Tally tally = new Tally();
      if (index != null) {
        sweepDue(tally);
      } else {
        sweepAll(tally);
      }
      return new Sweep(true, tally.examined, tally.deleted, tally.calls);
    }
  }

  /** Counts of one sweep. */
  private static final class Tally {
    long examined;
    long deleted;
    long calls;
  }

  private void sweepDue(Tally tally) throws IOException {
    List<ExpiryEntry> due;
    tally.calls++;
    try (Stream<ExpiryEntry> entries = index.due(uploads.now())) {
      due = entries.toList();
    }
    for (ExpiryEntry entry : due) {
      try {
        sweepEntry(entry, tally);
      } catch (Exception e) {
        LOG.warn("event=sweep_failed upload={} error={}", entry.id(), e.toString());
      }
    }
  }

  private void sweepAll(Tally tally) throws IOException {
    List<UploadId> ids;
    tally.calls++;
    try (Stream<UploadId> all = lister.list()) {
      ids = all.toList();
    }
    for (UploadId id : ids) {
      try {
        tally.examined++;
        tally.calls++;
        Optional<UploadInfo> found = uploads.store().find(id);
        if (found.isPresent() && found.get().isExpired(uploads.now())) {
          deleteIfExpired(id, tally);
        }
      } catch (Exception e) {
        LOG.warn("event=sweep_failed upload={} error={}", id, e.toString());
      }
    }
  }

  /**
   * Decides under the upload's lock, so that an update moving the expiry (which holds the lock)
   * is either seen whole or not at all.
   */
  private void sweepEntry(ExpiryEntry entry, Tally tally) throws Exception {
    try (Locker.Lock lock = lock(entry.id())) {
      tally.examined++;
      tally.calls++;
      Optional<UploadInfo> current = uploads.store().find(entry.id());
      if (current.isEmpty()) {
        tally.calls++;
        index.forget(entry); // an entry without an upload
        LOG.debug("event=expiry_entry_removed upload={} reason=orphan", entry.id());
        return;
      }
      Optional<ExpiryEntry> actual = ExpiryEntry.of(current.get());
      if (!actual.equals(Optional.of(entry))) {
        if (actual.isPresent()) {
          tally.calls++;
          index.record(current.get()); // the entry it should have, in case that one was lost
        }
        tally.calls++;
        index.forget(entry);
        LOG.debug("event=expiry_entry_removed upload={} reason=moved", entry.id());
        return;
      }
      expire(current.get(), tally);
    }
  }

  private void deleteIfExpired(UploadId id, Tally tally) throws Exception {
    try (Locker.Lock lock = lock(id)) {
      tally.calls++;
      Optional<UploadInfo> current = uploads.store().find(id);
      if (current.isPresent()) {
        expire(current.get(), tally);
      }
    }
  }

  /** Deletes {@code info} if it has expired; call holding its lock. */
  private void expire(UploadInfo info, Tally tally) throws IOException {
    Instant now = uploads.now();
    if (!info.isExpired(now)) {
      return;
    }
    uploads.markExpired(info);
    tally.calls++;
    terminator.terminate(info);
    policy.afterExpire(info);
    tally.deleted++;
  }

  private Locker.Lock lock(UploadId id) throws Exception {
    return locker.lock(id, lockWait, () -> {}).get(lockWait.toMillis() + 1_000, TimeUnit.MILLISECONDS);
  }
}
