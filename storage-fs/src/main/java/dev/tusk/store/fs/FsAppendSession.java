package dev.tusk.store.fs;

import static java.nio.file.StandardOpenOption.WRITE;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Appends to one data file with positional writes. A provisional session writes a pending marker
 * before its first uncommitted byte (see {@link PendingMarkers}). Not thread-safe, like every
 * {@link AppendSession}.
 */
final class FsAppendSession implements AppendSession {
  private final UploadInfo opened;
  private FileChannel data; // null while idle: a paused client holds no file descriptor
  private final boolean provisional;
  private final FsLayout layout;
  private final PendingMarkers markers;
  private final Clock clock;
  /** The kernel's time stamp of each write stands for the commit's ({@link FsLayout#kernelStamps}). */
  private final boolean kernelStamps;

  private long committed;
  private long offset;
  private boolean marked;
  private boolean dirty;
  private boolean closed;

  /**
   * Opens a session appending at {@code info.offset()}, first undoing what a crash left behind: a
   * stale pending marker (any marker is stale here, since the server holds the upload's lock)
   * truncates the data file to its offset, and bytes beyond {@code info.offset()} are cut off.
   *
   * @throws TusException {@link ErrorCode#MISMATCHED_OFFSET} if the data file is shorter than
   *     {@code info.offset()}, i.e. {@code info} is stale
   */
  static FsAppendSession open(
      UploadInfo info,
      boolean provisional,
      FsLayout layout,
      PendingMarkers markers,
      Clock clock,
      boolean kernelStamps)
      throws IOException {
    FileChannel data = FileChannel.open(layout.data(info.id()), WRITE);
    try {
      recover(info, data, layout, markers);
      return new FsAppendSession(info, data, provisional, layout, markers, clock, kernelStamps);
    } catch (IOException | RuntimeException e) {
      FsLayout.closeQuietly(data, e);
      throw e;
    }
  }

  private static void recover(
      UploadInfo info, FileChannel data, FsLayout layout, PendingMarkers markers)
      throws IOException {
    OptionalLong stale = markers.read(info.id());
    if (stale.isPresent()) {
      layout.truncate(data, stale.getAsLong());
      markers.clear(info.id());
    }
    long size = data.size();
    if (size < info.offset()) {
      throw new TusException(
          ErrorCode.MISMATCHED_OFFSET,
          "stored offset is " + size + ", the session was opened at " + info.offset());
    }
    if (size > info.offset()) {
      layout.truncate(data, info.offset());
    }
  }

  /** Takes ownership of {@code data}, whose size must be {@code opened.offset()}. */
  private FsAppendSession(
      UploadInfo opened,
      FileChannel data,
      boolean provisional,
      FsLayout layout,
      PendingMarkers markers,
      Clock clock,
      boolean kernelStamps) {
    this.opened = opened;
    this.data = data;
    this.provisional = provisional;
    this.layout = layout;
    this.markers = markers;
    this.clock = clock;
    this.kernelStamps = kernelStamps;
    this.committed = opened.offset();
    this.offset = opened.offset();
  }

  @Override
  public long offset() {
    return offset;
  }

  /**
   * {@inheritDoc} A write that runs out of space keeps the bytes that fitted ({@link #offset()}
   * counts them) and fails with {@link TusException} {@link ErrorCode#STORAGE_FULL}.
   */
  @Override
  public void write(ByteBuffer src) throws IOException {
    ensureOpen();
    if (!src.hasRemaining()) {
      return;
    }
    try {
      if (provisional && !marked) {
        markers.mark(opened.id(), committed);
        marked = true;
      }
      dirty = true;
      FileChannel channel = channel();
      while (src.hasRemaining()) {
        offset += channel.write(src, offset);
      }
    } catch (IOException e) {
      throw NoSpace.check(layout.directory(), e);
    }
  }

  /**
   * Closes the data file while the client is paused, so ten thousand stalled uploads do not hold
   * ten thousand descriptors; written bytes are in the file already (and forced first with fsync).
   */
  @Override
  public void idle() throws IOException {
    ensureOpen();
    if (data == null) {
      return;
    }
    if (dirty && layout.fsync()) {
      data.force(false);
    }
    FileChannel channel = data;
    data = null;
    channel.close();
  }

  private FileChannel channel() throws IOException {
    if (data == null) {
      data = FileChannel.open(layout.data(opened.id()), java.nio.file.StandardOpenOption.WRITE);
    }
    return data;
  }

  @Override
  public UploadInfo commit() throws IOException {
    ensureOpen();
    if (dirty && layout.fsync() && data != null) {
      try {
        data.force(false);
      } catch (IOException e) {
        throw NoSpace.check(layout.directory(), e);
      }
    }
    if (marked) {
      markers.clear(opened.id());
      marked = false;
    }
    Instant now = clock.instant();
    if (dirty && !kernelStamps) {
      layout.touch(opened.id(), now);
    }
    dirty = false;
    committed = offset;
    return opened.withOffset(offset, now);
  }

  @Override
  public void rollback() throws IOException {
    ensureOpen();
    if (!provisional) {
      throw new IllegalStateException("only a provisional session can roll back");
    }
    if (marked) {
      layout.truncate(channel(), committed);
      markers.clear(opened.id());
      marked = false;
      layout.touch(opened.id(), clock.instant());
    }
    dirty = false;
    offset = committed;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (provisional) {
        rollback();
      } else {
        commit();
      }
    } finally {
      closed = true;
      if (data != null) {
        data.close();
        data = null;
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("append session of " + opened.id() + " is closed");
    }
  }
}
