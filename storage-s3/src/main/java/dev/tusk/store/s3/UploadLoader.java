package dev.tusk.store.s3;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads an upload from S3: the {@code .info}, and for an incomplete upload the commit record on its
 * {@code .part} ({@link TailRecord}), whose offset is the upload's offset. Two requests (GET, HEAD)
 * for an incomplete upload, one for a complete one. Thread-safe; blocks on S3.
 */
final class UploadLoader implements UploadStateCache.Loader {
  private final StoreContext ctx;
  private final Completer completer;

  UploadLoader(StoreContext ctx, Completer completer) {
    this.ctx = ctx;
    this.completer = completer;
  }

  @Override
  public Optional<UploadInfo> load(UploadId id) throws IOException {
    Optional<UploadInfo> stored = ctx.infos().read(id);
    if (stored.isEmpty() || InfoStore.isComplete(stored.get())) {
      return stored.map(UploadLoader::completeView);
    }
    Optional<TailRecord> record = ctx.tails().read(id);
    if (record.isEmpty()) {
      // Nothing committed yet, or a completion deleted the .part after marking the .info.
      return ctx.infos()
          .read(id)
          .map(i -> InfoStore.isComplete(i) ? completeView(i) : atOffset(i, 0, null));
    }
    UploadInfo info = stored.get();
    long offset = record.get().offset();
    if (info.length().isPresent()) {
      long length = info.length().getAsLong();
      if (offset > length) {
        throw new IOException(
            "upload " + id + " holds " + offset + " bytes, more than its length " + length);
      }
      if (offset == length) {
        // Every byte is durable but the completion was interrupted (crash) or is running now.
        return Optional.of(completer.complete(id));
      }
    }
    return Optional.of(atOffset(info, offset, record.get()));
  }

  private static UploadInfo completeView(UploadInfo info) {
    return info.withOffset(info.length().orElse(info.offset()), info.updatedAt());
  }

  private static UploadInfo atOffset(UploadInfo info, long offset, TailRecord record) {
    boolean newer = record != null && record.writtenAt().isAfter(info.updatedAt());
    return info.withOffset(offset, newer ? record.writtenAt() : info.updatedAt());
  }
}
