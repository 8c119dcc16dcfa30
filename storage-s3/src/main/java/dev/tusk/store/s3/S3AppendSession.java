package dev.tusk.store.s3;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Appends to one upload's multipart upload through a {@link PartWriter}. The first write downloads
 * the committed {@code .part} tail (if any) into the first part buffer, so the tail is folded into
 * the next part. {@link #commit()} waits for the parts in flight, then either completes the upload
 * (offset == length: the buffer becomes the last part) or writes the buffer as the new {@code
 * .part} together with the new commit record ({@link TailRecord}); the buffer stays, so later
 * writes continue filling it.
 *
 * <p>Told the request's length ({@link #expect}), a non-provisional session uploads each part
 * whose size is then known while its bytes arrive (see {@link PartWriter}): with 8 MiB PATCHes
 * and a larger part size, each PATCH becomes one part that is mostly uploaded when its last byte
 * arrives, instead of being uploaded only then.
 *
 * <p>A provisional session sends nothing to S3 before {@link #commit()}: its parts wait on the temp
 * disk (the whole checksummed chunk, bounded by the client's chunk size and the temp budget), and
 * {@link #rollback()} deletes them.
 *
 * <p>Not thread-safe (see {@link AppendSession}). After a failed write or commit the session is
 * broken: the committed state in S3 is unchanged, and later calls fail until it is closed.
 */
final class S3AppendSession implements AppendSession {
  private static final Logger LOG = LoggerFactory.getLogger(S3AppendSession.class);

  /** A step that may fail. */
  private interface Step<T> {
    T run() throws IOException;
  }

  private final StoreContext ctx;
  private final Completer completer;
  private final UploadInfo opened;
  private final boolean provisional;
  private final long partSize;
  private final long limit;
  private final String uploadId;
  private TailRecord record;
  private UploadInfo committed;
  private PartWriter writer;
  private long offset;
  private long expectedEnd = -1;
  private boolean dirty;
  private boolean broken;
  private boolean closed;

  S3AppendSession(
      StoreContext ctx,
      Completer completer,
      UploadInfo info,
      TailRecord record,
      boolean provisional)
      throws IOException {
    this.ctx = ctx;
    this.completer = completer;
    this.opened = info;
    this.provisional = provisional;
    this.record = record;
    this.committed = info;
    this.offset = record.offset();
    this.limit = ctx.sizeLimit(info);
    this.uploadId = StoreContext.uploadId(info);
    this.partSize = ctx.partSize(info);
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public void expect(long bytes) {
    if (!provisional && !closed && !broken && bytes > 0 && offset + bytes <= limit) {
      expectedEnd = offset + bytes;
      if (writer != null) {
        plan(writer);
      }
    }
  }

  /** Tells the writer what is still expected; a short part may end it if the parts suffice. */
  private void plan(PartWriter w) {
    long end = expectedEnd;
    if (end > offset) {
      w.plan(
          end - offset,
          (size, number) -> PartSizing.mayCutShortPart(size, number, end, limit, partSize));
    }
  }

  @Override
  public void write(ByteBuffer src) throws IOException {
    ensureUsable();
    int n = src.remaining();
    if (n == 0) {
      return;
    }
    if (offset + n > limit) {
      throw new TusException(
          opened.length().isPresent()
              ? ErrorCode.UPLOAD_SIZE_EXCEEDED
              : ErrorCode.MAX_SIZE_EXCEEDED,
          "writing " + n + " bytes at offset " + offset + " would exceed " + limit);
    }
    guarded(
        () -> {
          writer().write(src);
          return null;
        });
    offset += n;
    dirty = true;
  }

  @Override
  public UploadInfo commit() throws IOException {
    ensureUsable();
    return commitIfDirty();
  }

  @Override
  public void rollback() throws IOException {
    if (!provisional) {
      throw new IllegalStateException("rollback of a non-provisional session");
    }
    if (closed) {
      throw new IOException("session closed");
    }
    discardWriter();
    offset = record.offset();
    dirty = false;
    broken = false;
  }

  /**
   * Commits what a non-provisional session wrote (unless it is broken) and deletes every buffer; a
   * provisional session's uncommitted bytes are discarded. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!provisional && !broken) {
        commitIfDirty();
      }
    } finally {
      discardWriter();
    }
  }

  private UploadInfo commitIfDirty() throws IOException {
    if (!dirty) {
      return committed;
    }
    boolean completes = opened.length().isPresent() && offset == opened.length().getAsLong();
    return guarded(completes ? this::completeUpload : this::commitTail);
  }

  private UploadInfo commitTail() throws IOException {
    PartWriter w = writer();
    w.drain();
    if (PartSizing.mayCutShortPart(w.buffered(), w.nextPartNumber(), offset, limit, partSize)) {
      w.cutPart();
      w.drain();
    }
    long buffered = w.buffered();
    TailRecord next =
        new TailRecord(w.nextPartNumber() - 1, offset - buffered, buffered, ctx.clock().instant());
    RequestBody body =
        buffered == 0 ? RequestBody.empty() : RequestBody.fromFile(w.current().path());
    ctx.tails().write(opened.id(), next, body);
    LOG.debug(
        "event=s3_commit id={} offset={} parts={} tail={}",
        opened.id(),
        offset,
        next.parts(),
        buffered);
    record = next;
    committed = opened.withOffset(offset, next.writtenAt());
    dirty = false;
    ctx.cache().put(committed);
    return committed;
  }

  private UploadInfo completeUpload() throws IOException {
    PartWriter w = writer();
    w.cutPart();
    w.drain();
    TailRecord all = new TailRecord(w.nextPartNumber() - 1, offset, 0, ctx.clock().instant());
    ctx.tails().write(opened.id(), all, RequestBody.empty());
    record = all;
    discardWriter();
    committed = completer.complete(opened.id());
    dirty = false;
    return committed;
  }

  /**
   * The writer, created on first use after opening or a rollback: it continues after the committed
   * parts, with the committed tail loaded into its first buffer.
   */
  private PartWriter writer() throws IOException {
    if (writer == null) {
      PartWriter.Target target =
          new PartWriter.Target(
              ctx.layout().dataKey(opened.id()), uploadId, record.parts() + 1, partSize);
      writer = ctx.uploader().open(target, provisional);
      if (record.size() > 0) {
        loadTail(writer);
      }
      plan(writer);
    }
    return writer;
  }

  private void loadTail(PartWriter w) throws IOException {
    String key = ctx.layout().tailKey(opened.id());
    try (ResponseInputStream<GetObjectResponse> in =
        ctx.tails().open(opened.id(), 0, record.size())) {
      TailRecord stored = TailRecord.of(key, in.response().metadata(), record.size());
      if (!stored.sameState(record)) {
        throw new IOException(
            key + " changed since the session opened: " + stored + " vs " + record);
      }
      w.writeFrom(in, record.size());
    }
  }

  private void discardWriter() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }

  /** Runs a step within the call timeout; a failure breaks the session. */
  private <T> T guarded(Step<T> step) throws IOException {
    try {
      return S3Calls.within(ctx.config().callTimeout(), step::run);
    } catch (IOException | RuntimeException e) {
      broken = true;
      // S3 may or may not have acted on the failed request: the next find reads what it holds
      ctx.cache().invalidate(opened.id());
      throw e;
    }
  }

  private void ensureUsable() throws IOException {
    if (closed) {
      throw new IOException("session closed");
    }
    if (broken) {
      throw new IOException("session failed earlier; its uncommitted bytes are lost");
    }
  }
}
