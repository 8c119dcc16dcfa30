package dev.tusk.store.s3;

import dev.tusk.core.UploadId;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The {@code .part} objects: tail bytes plus the {@link TailRecord}. Thread-safe; blocks on S3. */
final class TailStore {
  private final S3Objects objects;
  private final S3Layout layout;

  TailStore(S3Objects objects, S3Layout layout) {
    this.objects = objects;
    this.layout = layout;
  }

  /** The committed record; empty if the upload has none (nothing committed, or complete). */
  Optional<TailRecord> read(UploadId id) throws IOException {
    String key = layout.tailKey(id);
    Optional<HeadObjectResponse> head = objects.head(key);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(TailRecord.of(key, head.get().metadata(), head.get().contentLength()));
  }

  /** Atomically replaces tail bytes and record; {@code body} holds {@code record.size()} bytes. */
  void write(UploadId id, TailRecord record, RequestBody body) throws IOException {
    objects.put(layout.tailKey(id), body, record.metadata());
  }

  /** Bytes {@code [from, from + length)} of the tail; {@code length} must be positive. */
  ResponseInputStream<GetObjectResponse> open(UploadId id, long from, long length)
      throws IOException {
    return objects.getRange(layout.tailKey(id), from, length);
  }

  void delete(UploadId id) throws IOException {
    objects.delete(layout.tailKey(id));
  }
}
