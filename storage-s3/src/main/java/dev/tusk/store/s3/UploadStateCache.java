package dev.tusk.store.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each upload's info with its committed offset, so HEAD needs no S3 request. Every write of this
 * process updates the entry after S3 acknowledged it ({@link #put}); a termination leaves a
 * tombstone. A load racing a write never replaces the write's newer entry: entries carry a stamp
 * taken from one counter, a write's stamp is taken after its S3 request and a load's before its S3
 * requests, and an entry only replaces one with a lower stamp. So a cached offset is never ahead of
 * S3, and never behind this process's own last commit.
 *
 * <p>Writes by other processes are invisible: with more than one writer per prefix (a fleet),
 * construct it disabled, and every call goes to the loader. Thread-safe.
 */
final class UploadStateCache {
  private static final long MAX_ENTRIES = 100_000;
  private static final Duration IDLE = Duration.ofHours(1);

  /** Reads an upload from S3. */
  interface Loader {
    Optional<UploadInfo> load(UploadId id) throws IOException;
  }

  private record Entry(Optional<UploadInfo> info, long stamp) {}

  private final Cache<UploadId, Entry> cache;
  private final AtomicLong stamps = new AtomicLong();

  UploadStateCache(boolean enabled) {
    this.cache =
        enabled
            ? Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE).build()
            : null;
  }

  boolean enabled() {
    return cache != null;
  }

  Optional<UploadInfo> get(UploadId id, Loader loader) throws IOException {
    if (cache == null) {
      return loader.load(id);
    }
    Entry cached = cache.getIfPresent(id);
    if (cached != null) {
      return cached.info();
    }
    long stamp = stamps.get();
    Optional<UploadInfo> loaded = loader.load(id);
    if (loaded.isPresent()) {
      Entry fresh = new Entry(loaded, stamp);
      cache.asMap().merge(id, fresh, (old, mine) -> old.stamp() > mine.stamp() ? old : mine);
    }
    return loaded;
  }

  /** Records {@code info} as just written to S3. */
  void put(UploadInfo info) {
    if (cache != null) {
      cache.put(info.id(), new Entry(Optional.of(info), stamps.incrementAndGet()));
    }
  }

  /** Records that the upload was just deleted from S3. */
  void remove(UploadId id) {
    if (cache != null) {
      cache.put(id, new Entry(Optional.empty(), stamps.incrementAndGet()));
    }
  }

  /** Forgets the entry, so the next {@link #get} loads from S3. */
  void invalidate(UploadId id) {
    if (cache != null) {
      cache.invalidate(id);
    }
  }

  /** Forgets everything, as a restart would. */
  void clear() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }
}
