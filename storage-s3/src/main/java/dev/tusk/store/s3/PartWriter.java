package dev.tusk.store.s3;

import dev.tusk.core.TusException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Cuts a byte stream into parts of one multipart upload. Bytes fill a {@link PartBuffer}; a full
 * buffer becomes the next part and is uploaded on the store's executor while the next one fills. At
 * most {@code maxInFlight} parts of this writer upload at once: the method that would start one
 * more blocks until one finishes (back-pressure). Parts can also be server-side copies ({@link
 * #copyPart}) when nothing is buffered.
 *
 * <p>With {@code deferUploads} (a provisional session) full parts are kept on disk and uploaded
 * only by {@link #drain()}; {@link #close()} without drain sends nothing to S3.
 *
 * <p>Otherwise, once told how many bytes are coming ({@link #plan}), a part whose size is known
 * when its buffer starts (a full part, or a short last part of the request that the {@link
 * ShortParts} rule allows) is uploaded while it fills: the request reads the buffer as it grows
 * ({@link PartBuffer#follow}), so receiving and uploading overlap. If the bytes stop coming (the
 * client went away, stalled, or the request ended early), the streamed request is abandoned and
 * the buffer is an ordinary one again; nothing of it reached S3 as a part. If the streamed request
 * fails once every byte is in the buffer, the part is uploaded again from the buffer.
 *
 * <p>Not thread-safe: one caller thread at a time. The first failed part makes every later call
 * throw its failure again (an {@link IOException}, or {@link TusException} if S3 was
 * unavailable). {@link #close()} waits for uploads in flight and deletes
 * every buffer.
 *
 * <p>Longer than most classes here on purpose: buffering, the streamed part and the uploads in
 * flight are one state machine over the same buffers, and its invariants (at most one streamed
 * part, every buffer deleted exactly once, the first failure sticks) are checked by reading it in
 * one place.
 */
final class PartWriter implements Closeable {

  /** The multipart upload written to, the first part number to use and the part size. */
  record Target(String key, String uploadId, int firstPartNumber, long partSize) {}

  private record Pending(int number, PartBuffer buffer) {}

  /** Whether a part of {@code size} bytes numbered {@code number} may end the planned bytes. */
  interface ShortParts {
    boolean allow(long size, int number);
  }

  /** The part uploading while {@link #current} fills to {@code size} bytes. */
  private record Streamed(int number, long size, Future<PartRef> upload) {}

  private final PartUploader uploader;
  private final Target target;
  private final boolean deferUploads;
  private final Semaphore permits;
  private final List<Future<PartRef>> inFlight = new ArrayList<>();
  private final List<PartRef> done = new ArrayList<>();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private PartBuffer current;
  private Streamed streamed;
  private long planned;
  private ShortParts shortParts = (size, number) -> false;
  private int nextPartNumber;
  private Exception failure;

  PartWriter(PartUploader uploader, Target target, boolean deferUploads) {
    this.uploader = uploader;
    this.target = target;
    this.deferUploads = deferUploads;
    this.permits = new Semaphore(uploader.maxInFlight());
    this.nextPartNumber = target.firstPartNumber();
  }

  /** Bytes in the part being filled. */
  long buffered() {
    return current == null ? 0 : current.size();
  }

  /** The part being filled, or null. */
  PartBuffer current() {
    return current;
  }

  int nextPartNumber() {
    return nextPartNumber;
  }

  /**
   * Announces that {@code bytes} more will be written by {@link #write} (fewer may come); parts
   * that start from now on may be streamed. A short part may end them if {@code shortParts}
   * allows it.
   */
  void plan(long bytes, ShortParts shortParts) {
    this.planned = bytes;
    this.shortParts = shortParts;
  }

  void write(ByteBuffer src) throws IOException {
    checkHealthy();
    if (streamed != null && current.abandoned()) {
      settleStream(); // stalled: go on as an ordinary buffer
    }
    while (src.hasRemaining()) {
      PartBuffer buffer = currentOrNew(true);
      long room = streamed == null ? buffer.free() : streamed.size() - buffer.size();
      int n = (int) Math.min(src.remaining(), room);
      buffer.write(src.slice(src.position(), n));
      src.position(src.position() + n);
      planned -= n;
      if (streamed != null && buffer.size() == streamed.size()) {
        sealStream();
      } else if (buffer.free() == 0) {
        cutPart();
      }
    }
  }

  /** Whether a part is uploading while it fills. */
  boolean streaming() {
    return streamed != null;
  }

  /** Appends exactly {@code n} bytes read from {@code in}. */
  void writeFrom(InputStream in, long n) throws IOException {
    checkHealthy();
    settleStream();
    long left = n;
    while (left > 0) {
      PartBuffer buffer = currentOrNew(false);
      long chunk = Math.min(left, buffer.free());
      buffer.writeFrom(in, chunk);
      left -= chunk;
      if (buffer.free() == 0) {
        cutPart();
      }
    }
  }

  /** Makes the buffered bytes, whatever their number, the next part; no-op if none. */
  void cutPart() throws IOException {
    checkHealthy();
    settleStream();
    if (current == null || current.size() == 0) {
      return;
    }
    PartBuffer buffer = current;
    current = null;
    int number = nextPartNumber++;
    if (deferUploads) {
      pending.add(new Pending(number, buffer));
    } else {
      upload(number, buffer);
    }
  }

  /**
   * Copies {@code length} bytes of {@code sourceKey} into the next part; nothing may be buffered.
   */
  void copyPart(String sourceKey, long from, long length) throws IOException {
    checkHealthy();
    settleStream();
    if (buffered() > 0) {
      throw new IllegalStateException("copyPart with " + buffered() + " bytes buffered");
    }
    int number = nextPartNumber++;
    submit(
        () ->
            uploader
                .multipart()
                .copyPart(target.key(), target.uploadId(), number, sourceKey, from, length),
        null);
  }

  /**
   * Uploads the deferred parts, waits for every part in flight and returns all parts this writer
   * uploaded, in number order. The part being filled stays buffered.
   */
  List<PartRef> drain() throws IOException {
    checkHealthy();
    settleStream();
    while (!pending.isEmpty()) {
      Pending next = pending.poll();
      upload(next.number(), next.buffer());
    }
    for (Iterator<Future<PartRef>> it = inFlight.iterator(); it.hasNext(); ) {
      Future<PartRef> future = it.next();
      it.remove();
      collect(future);
    }
    List<PartRef> parts = new ArrayList<>(done);
    parts.sort(Comparator.comparingInt(PartRef::number));
    return parts;
  }

  /** Waits for uploads in flight (ignoring their failures) and deletes every buffer. */
  @Override
  public void close() {
    boolean interrupted = !abandonStream();
    for (Future<PartRef> future : inFlight) {
      try {
        future.get();
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      } catch (ExecutionException e) {
        // already failed; the part's buffer was deleted by its task
      }
    }
    inFlight.clear();
    pending.forEach(p -> p.buffer().close());
    pending.clear();
    if (current != null) {
      current.close();
      current = null;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The buffer being filled, or a new one; a new one may be streamed ({@link #plan}). */
  private PartBuffer currentOrNew(boolean mayStream) throws IOException {
    if (current == null) {
      long size = target.partSize();
      if (deferUploads) {
        long held = pending.stream().mapToLong(p -> p.buffer().capacity()).sum();
        if (held + size > uploader.temp().budget()) {
          throw new IOException(
              "a provisional (checksummed) chunk needs more than the S3 temp budget of "
                  + uploader.temp().budget()
                  + " bytes; use smaller client chunks or a larger budget");
        }
      }
      current = uploader.temp().allocate(size, uploader.budgetWait());
      if (mayStream && !deferUploads) {
        long streamSize =
            planned >= size
                ? size
                : planned >= S3StoreConfig.MIN_PART_SIZE
                        && shortParts.allow(planned, nextPartNumber)
                    ? planned
                    : 0;
        if (streamSize > 0) {
          startStream(streamSize);
        }
      }
    }
    return current;
  }

  /** Starts uploading the next part, of {@code size} bytes, from {@link #current} as it fills. */
  private void startStream(long size) throws IOException {
    PartBuffer buffer = current;
    int number = nextPartNumber;
    buffer.startFollowing();
    try {
      harvest();
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a part upload slot");
    }
    Callable<PartRef> task = () -> streamPart(number, size, buffer);
    try {
      streamed = new Streamed(number, size, uploader.executor().submit(task));
    } catch (RejectedExecutionException e) {
      permits.release();
      throw new IOException("the S3 store is closed", e);
    }
  }

  /**
   * The upload task of a streamed part: owns the buffer once it is sealed (and then uploads it
   * again from the file if the streamed request failed), never if it was abandoned.
   */
  private PartRef streamPart(int number, long size, PartBuffer buffer) throws Exception {
    try {
      PartRef ref;
      try {
        ref =
            uploader
                .multipart()
                .uploadPart(
                    target.key(), target.uploadId(), number,
                    () -> buffer.follow(size, uploader.streamStall()), size);
      } catch (IOException | RuntimeException e) {
        if (!buffer.awaitSealed(uploader.streamStall())) {
          throw new IOException("streamed part " + number + " abandoned", e);
        }
        ref =
            uploader
                .multipart()
                .uploadPart(target.key(), target.uploadId(), number, buffer.path(), size);
      }
      if (buffer.awaitSealed(uploader.streamStall())) {
        buffer.close();
      }
      return ref;
    } catch (Exception e) {
      if (buffer.sealed()) {
        buffer.close(); // the writer let go of it
      }
      throw e;
    } finally {
      permits.release();
    }
  }

  /** The streamed part got all its bytes: it is the next part, uploading. */
  private void sealStream() throws IOException {
    if (current.seal()) {
      inFlight.add(streamed.upload());
      streamed = null;
      current = null;
      nextPartNumber++;
    } else {
      settleStream(); // stalled just before its last byte: an ordinary full buffer
      cutPart();
    }
  }

  /**
   * Ends a stream whose part did not get all its bytes: its request is abandoned, and {@link
   * #current} is an ordinary buffer with the bytes written so far.
   */
  private void settleStream() throws IOException {
    if (!abandonStream()) {
      throw new InterruptedIOException("interrupted waiting for an abandoned part upload");
    }
  }

  /**
   * Abandons the streamed request, if any, and waits for its task to end (its failure is
   * expected; the buffer stays with the writer); false if interrupted while waiting.
   */
  private boolean abandonStream() {
    if (streamed == null) {
      return true;
    }
    current.abandon();
    Future<PartRef> upload = streamed.upload();
    streamed = null;
    try {
      upload.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      // expected: the follower's reads fail once the fill is abandoned
    }
    return true;
  }

  private void upload(int number, PartBuffer buffer) throws IOException {
    submit(
        () ->
            uploader
                .multipart()
                .uploadPart(target.key(), target.uploadId(), number, buffer.path(), buffer.size()),
        buffer);
  }

  /**
   * Starts {@code task} once fewer than maxInFlight parts are uploading; closes {@code buffer}
   * after.
   */
  private void submit(Callable<PartRef> task, PartBuffer buffer) throws IOException {
    try {
      harvest();
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(buffer);
      throw new InterruptedIOException("interrupted waiting for a part upload slot");
    } catch (IOException e) {
      closeQuietly(buffer);
      throw e;
    }
    try {
      inFlight.add(uploader.executor().submit(() -> runAndRelease(task, buffer)));
    } catch (RejectedExecutionException e) {
      permits.release();
      closeQuietly(buffer);
      throw new IOException("the S3 store is closed", e);
    }
  }

  private PartRef runAndRelease(Callable<PartRef> task, PartBuffer buffer) throws Exception {
    try {
      return task.call();
    } finally {
      closeQuietly(buffer);
      permits.release();
    }
  }

  /** Collects the parts that finished already, so a failure surfaces at the next write. */
  private void harvest() throws IOException {
    for (Iterator<Future<PartRef>> it = inFlight.iterator(); it.hasNext(); ) {
      Future<PartRef> future = it.next();
      if (future.isDone()) {
        it.remove();
        collect(future);
      }
    }
  }

  private void collect(Future<PartRef> future) throws IOException {
    try {
      done.add(future.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.add(future);
      throw new InterruptedIOException("interrupted waiting for a part upload");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      failure =
          cause instanceof IOException || cause instanceof TusException
              ? (Exception) cause
              : new IOException("part upload failed: " + cause.getMessage(), cause);
      throw rethrow(failure);
    }
  }

  /** Throws the first part failure again; S3 being unavailable stays {@link TusException}. */
  private void checkHealthy() throws IOException {
    if (failure instanceof TusException tus) {
      throw new TusException(
          tus.code(), tus.detail(), tus.headers(), new IOException("an earlier part upload failed", tus));
    }
    if (failure != null) {
      throw new IOException("an earlier part upload failed: " + failure.getMessage(), failure);
    }
  }

  private static IOException rethrow(Exception failure) {
    if (failure instanceof TusException tus) {
      throw tus;
    }
    return (IOException) failure;
  }

  private static void closeQuietly(PartBuffer buffer) {
    if (buffer != null) {
      buffer.close();
    }
  }
}
