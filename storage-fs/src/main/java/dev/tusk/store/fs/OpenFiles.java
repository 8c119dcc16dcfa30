package dev.tusk.store.fs;

import static java.nio.file.StandardOpenOption.READ;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.tusk.core.UploadId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Read-only file channels of complete uploads, kept open and shared between downloads, so a range
 * GET costs no {@code open} and {@code close} of the data file (a tenth of the I/O thread's CPU
 * for 64 KiB ranges). Only complete uploads qualify: their bytes no longer change. Each
 * reader gets its own {@link View}, a {@link FileChannel} with its own position whose {@code
 * transferTo} is the shared channel's (sendfile stays sendfile) and whose {@code close} releases
 * the shared channel instead of closing it.
 *
 * <p>At most {@value #MAX_OPEN} files are held, each until {@value #IDLE_SECONDS} s after its last
 * use; {@link #forget} closes an upload's file before it is deleted (termination, expiry). A file
 * evicted or forgotten while views are reading it closes when the last view closes, so eviction
 * never cuts a download. A shared channel closed underneath (a reader thread interrupted during
 * I/O closes a {@code FileChannel} for everyone) is replaced by a fresh one at the next open.
 * Thread-safe.
 */
final class OpenFiles {
  static final int MAX_OPEN = 128;
  static final int IDLE_SECONDS = 10;

  private final Cache<UploadId, Shared> files;

  /** @param clock measures the idle time (a fixed clock keeps files until evicted or forgotten) */
  OpenFiles(Clock clock) {
    this.files =
        Caffeine.newBuilder()
            .maximumSize(MAX_OPEN)
            .expireAfterAccess(Duration.ofSeconds(IDLE_SECONDS))
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .scheduler(Scheduler.systemScheduler())
            .executor(Runnable::run) // retire on the thread that evicts or forgets, at once
            .removalListener((UploadId key, Shared shared, RemovalCause cause) -> shared.retire())
            .build();
  }

  /** A channel on {@code path}'s bytes at {@code position}; the caller closes it. */
  FileChannel open(UploadId id, Path path, long position) throws IOException {
    for (int attempt = 0; attempt < 2; attempt++) {
      Shared shared;
      try {
        shared = files.get(id, opener(path));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      if (shared.acquire()) {
        return new View(shared, position);
      }
      files.asMap().remove(id, shared); // closed underneath, or retired concurrently
    }
    return openAt(path, position); // a concurrent forget won both times: read without sharing
  }

  /** A channel of its own on {@code path} at {@code position}; the caller closes it. */
  static FileChannel openAt(Path path, long position) throws IOException {
    FileChannel channel = FileChannel.open(path, READ);
    try {
      return channel.position(position);
    } catch (IOException | RuntimeException e) {
      FsLayout.closeQuietly(channel, e);
      throw e;
    }
  }

  private static Function<UploadId, Shared> opener(Path path) {
    return id -> {
      try {
        return new Shared(FileChannel.open(path, READ));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Stops sharing {@code id}'s file; closes it now, or when its last reader is done. */
  void forget(UploadId id) {
    files.invalidate(id);
  }

  /** How many files are held open for sharing (tests). */
  long held() {
    files.cleanUp();
    return files.estimatedSize();
  }

  /** One open file and the number of views reading it. */
  static final class Shared {
    private final FileChannel channel;
    private int readers;
    private boolean retired;

    Shared(FileChannel channel) {
      this.channel = channel;
    }

    synchronized boolean acquire() {
      if (retired || !channel.isOpen()) {
        return false;
      }
      readers++;
      return true;
    }

    synchronized void release() {
      readers--;
      if (readers == 0 && retired) {
        close();
      }
    }

    synchronized void retire() {
      retired = true;
      if (readers == 0) {
        close();
      }
    }

    private void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closing a read-only channel loses nothing
      }
    }

    /** Whether the underlying channel is still open (tests). */
    synchronized boolean isOpen() {
      return channel.isOpen();
    }
  }

  /**
   * A reader's view of a shared channel: reads from its own position, writes nothing, and releases
   * the shared channel when closed. Locking and mapping are not offered: a download needs neither.
   */
  static final class View extends FileChannel {
    private final Shared shared;
    private long position;

    View(Shared shared, long position) {
      this.shared = shared;
      this.position = position;
    }

    /** The shared file this view reads (tests). */
    Shared shared() {
      return shared;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
      ensureOpen();
      int n = shared.channel.read(dst, position);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public synchronized long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      ensureOpen();
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        while (dsts[i].hasRemaining()) {
          int n = shared.channel.read(dsts[i], position);
          if (n <= 0) {
            return total == 0 && n < 0 ? -1 : total;
          }
          position += n;
          total += n;
        }
      }
      return total;
    }

    @Override
    public int read(ByteBuffer dst, long at) throws IOException {
      ensureOpen();
      return shared.channel.read(dst, at);
    }

    @Override
    public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
      ensureOpen();
      return shared.channel.transferTo(at, count, target);
    }

    @Override
    public synchronized long position() throws IOException {
      ensureOpen();
      return position;
    }

    @Override
    public synchronized FileChannel position(long newPosition) throws IOException {
      ensureOpen();
      if (newPosition < 0) {
        throw new IllegalArgumentException("negative position " + newPosition);
      }
      position = newPosition;
      return this;
    }

    @Override
    public long size() throws IOException {
      ensureOpen();
      return shared.channel.size();
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      throw new NonWritableChannelException();
    }

    @Override
    public int write(ByteBuffer src, long at) {
      throw new NonWritableChannelException();
    }

    @Override
    public FileChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) {
      throw new NonWritableChannelException();
    }

    @Override
    public void force(boolean metaData) {
      // nothing written through a view, so nothing to force
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long at, long size) {
      throw new UnsupportedOperationException("a shared download channel is not mapped");
    }

    @Override
    public FileLock lock(long at, long size, boolean sharedLock) {
      throw new UnsupportedOperationException("a shared download channel is not locked");
    }

    @Override
    public FileLock tryLock(long at, long size, boolean sharedLock) {
      throw new UnsupportedOperationException("a shared download channel is not locked");
    }

    @Override
    protected void implCloseChannel() {
      shared.release();
    }

    private void ensureOpen() throws IOException {
      if (!isOpen()) {
        throw new ClosedChannelException();
      }
    }
  }
}
