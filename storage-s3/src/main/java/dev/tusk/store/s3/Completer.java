package dev.tusk.store.s3;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Turns an upload whose commit record holds every byte into the object {@code <prefix><id>}:
 * uploads a remaining tail as the last part, completes the multipart upload with parts {@code 1..n}
 * of the record, marks the {@code .info} complete and deletes the {@code .part}. Each step can be
 * repeated, so a completion interrupted by a crash or a failed request is finished by the next
 * {@link #complete} (which {@code find} calls when it sees offset == length without the mark).
 * Whether the multipart upload was completed already is read from the bucket: the object with the
 * upload's length exists.
 *
 * <p>Thread-safe: completions of one upload in this process are serialized. Blocks on S3.
 */
final class Completer {
  private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
  private static final int STRIPES = 64;

  private final StoreContext ctx;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  Completer(StoreContext ctx) {
    this.ctx = ctx;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** Completes the upload and returns it as stored; IOException if bytes are missing. */
  UploadInfo complete(UploadId id) throws IOException {
    ReentrantLock lock = locks[Math.floorMod(id.hashCode(), STRIPES)];
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting to complete " + id);
    }
    try {
      return completeLocked(id);
    } finally {
      lock.unlock();
    }
  }

  private UploadInfo completeLocked(UploadId id) throws IOException {
    UploadInfo info =
        ctx.infos().read(id).orElseThrow(() -> new NoSuchFileException(ctx.layout().infoKey(id)));
    long length = info.length().orElseThrow(() -> new IOException("length of " + id + " unknown"));
    if (InfoStore.isComplete(info)) {
      return info.withOffset(length, info.updatedAt());
    }
    TailRecord record = ctx.tails().read(id).orElse(TailRecord.EMPTY);
    if (record.offset() != length) {
      throw new IOException(
          "upload " + id + " holds " + record.offset() + " of " + length + " bytes");
    }
    String dataKey = ctx.layout().dataKey(id);
    if (length == 0) {
      if (info.storage().containsKey(S3Layout.UPLOAD_ID)) {
        ctx.multipart().abort(dataKey, StoreContext.uploadId(info));
      }
      ctx.objects().put(dataKey, RequestBody.empty(), Map.of());
    } else {
      if (record.size() > 0) {
        record = uploadTailAsLastPart(info, record);
      }
      completeMultipart(info, record);
    }
    UploadInfo done = markComplete(info, length);
    ctx.tails().delete(id);
    ctx.cache().put(done);
    LOG.debug("event=s3_upload_completed id={} length={} parts={}", id, length, record.parts());
    return done;
  }

  private TailRecord uploadTailAsLastPart(UploadInfo info, TailRecord record) throws IOException {
    PartWriter.Target target =
        new PartWriter.Target(
            ctx.layout().dataKey(info.id()),
            StoreContext.uploadId(info),
            record.parts() + 1,
            ctx.partSize(info));
    try (PartWriter writer = ctx.uploader().open(target, false);
        ResponseInputStream<GetObjectResponse> in = ctx.tails().open(info.id(), 0, record.size())) {
      writer.writeFrom(in, record.size());
      writer.cutPart();
      writer.drain();
      TailRecord all =
          new TailRecord(writer.nextPartNumber() - 1, record.offset(), 0, ctx.clock().instant());
      ctx.tails().write(info.id(), all, RequestBody.empty());
      return all;
    }
  }

  /**
   * Completes the multipart upload, unless the bucket shows that an earlier completion did: the
   * object exists with the upload's length. What a server answers for a completed upload id
   * differs (AWS: NoSuchUpload; S3Proxy: an empty part list), so the object decides, not the
   * answer to ListParts or CompleteMultipartUpload.
   */
  private void completeMultipart(UploadInfo info, TailRecord record) throws IOException {
    String key = ctx.layout().dataKey(info.id());
    if (completedObject(key, record.offset())) {
      return;
    }
    String uploadId = StoreContext.uploadId(info);
    var listed = ctx.multipart().listParts(key, uploadId);
    if (listed.isEmpty()) {
      requireObject(key, record.offset());
      return;
    }
    List<PartRef> parts = listed.get().stream().filter(p -> p.number() <= record.parts()).toList();
    long sum = parts.stream().mapToLong(PartRef::size).sum();
    if (parts.size() != record.parts() || sum != record.base()) {
      if (completedObject(key, record.offset())) {
        return; // completed meanwhile by another process
      }
      throw new IOException(
          "parts of "
              + info.id()
              + " do not match its commit record: "
              + parts.size()
              + " parts with "
              + sum
              + " bytes, record says "
              + record);
    }
    if (!ctx.multipart().complete(key, uploadId, parts)) {
      requireObject(key, record.offset());
    }
  }

  /**
   * Whether the object exists: true if it has {@code length} bytes, IOException if it has another
   * size, false if it is absent.
   */
  private boolean completedObject(String key, long length) throws IOException {
    var head = ctx.objects().head(key);
    if (head.isEmpty()) {
      return false;
    }
    long size = head.get().contentLength();
    if (size != length) {
      throw new IOException(key + " has " + size + " bytes, expected " + length);
    }
    return true;
  }

  /** The multipart upload is gone: fine if an earlier completion created the object. */
  private void requireObject(String key, long length) throws IOException {
    if (!completedObject(key, length)) {
      throw new IOException("multipart upload of " + key + " is gone");
    }
  }

  private UploadInfo markComplete(UploadInfo info, long length) throws IOException {
    Map<String, String> storage = new LinkedHashMap<>(info.storage());
    storage.put(S3Layout.STATE, S3Layout.COMPLETE);
    UploadInfo done = info.withOffset(length, ctx.clock().instant()).withStorage(storage);
    ctx.infos().write(done);
    return done;
  }
}
