package dev.tusk.store.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tusk.core.UploadId;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The {@code .part} objects: tail bytes plus the {@link TailRecord}. Thread-safe; blocks on S3.
 *
 * <p>When this process is the only writer of its prefix (the offset cache is on), it remembers
 * the records it wrote and deleted itself, so opening the next PATCH of an upload needs no HEAD.
 * Records it merely read are not remembered: a process that was told wrongly that it writes alone
 * still checks every upload it did not write last against S3 before appending to it. Writes are
 * serialized per upload by the upload lock, so the remembered record is the last one written.
 */
final class TailStore {
  private static final long MAX_ENTRIES = 100_000;
  private static final Duration IDLE = Duration.ofHours(1);

  private final S3Objects objects;
  private final S3Layout layout;
  private final Cache<UploadId, Optional<TailRecord>> written;

  TailStore(S3Objects objects, S3Layout layout, boolean soleWriter) {
    this.objects = objects;
    this.layout = layout;
    this.written =
        soleWriter
            ? Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE).build()
            : null;
  }

  /** The committed record; empty if the upload has none (nothing committed, or complete). */
  Optional<TailRecord> read(UploadId id) throws IOException {
    if (written != null) {
      Optional<TailRecord> mine = written.getIfPresent(id);
      if (mine != null) {
        return mine;
      }
    }
    String key = layout.tailKey(id);
    Optional<HeadObjectResponse> head = objects.head(key);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(TailRecord.of(key, head.get().metadata(), head.get().contentLength()));
  }

  /** Atomically replaces tail bytes and record; {@code body} holds {@code record.size()} bytes. */
  void write(UploadId id, TailRecord record, RequestBody body) throws IOException {
    forget(id); // if the PUT fails, S3 may hold either record
    objects.put(layout.tailKey(id), body, record.metadata());
    remember(id, Optional.of(record));
  }

  /** Bytes {@code [from, from + length)} of the tail; {@code length} must be positive. */
  ResponseInputStream<GetObjectResponse> open(UploadId id, long from, long length)
      throws IOException {
    return objects.getRange(layout.tailKey(id), from, length);
  }

  void delete(UploadId id) throws IOException {
    forget(id);
    objects.delete(layout.tailKey(id));
    remember(id, Optional.empty());
  }

  /**
   * Records that the upload has no {@code .part} object: it was just created, or its {@code .part}
   * was deleted by other means (a batch delete).
   */
  void absent(UploadId id) {
    remember(id, Optional.empty());
  }

  /** Forgets what this process wrote, as a restart would. */
  void clear() {
    if (written != null) {
      written.invalidateAll();
    }
  }

  private void remember(UploadId id, Optional<TailRecord> record) {
    if (written != null) {
      written.put(id, record);
    }
  }

  private void forget(UploadId id) {
    if (written != null) {
      written.invalidate(id);
    }
  }
}
