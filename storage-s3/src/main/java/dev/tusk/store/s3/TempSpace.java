package dev.tusk.store.s3;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temp directory of part buffers and its byte budget. A buffer reserves its maximum size before
 * it is created and gives it back when deleted, so the files on disk never exceed the budget; a
 * caller that finds the budget used up waits (back-pressure) until other buffers are uploaded and
 * deleted. Thread-safe.
 */
final class TempSpace {
  static final String FILE_PREFIX = "tusk-s3-";
  static final String FILE_SUFFIX = ".buf";
  private static final Logger LOG = LoggerFactory.getLogger(TempSpace.class);

  private final Path dir;
  private final long budget;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private long reserved;
  private long peak;

  TempSpace(Path dir, long budget) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.budget = budget;
  }

  /** Deletes buffers left by a process that died; returns how many. Call before first use. */
  int deleteLeftovers() throws IOException {
    int deleted = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, FILE_PREFIX + "*" + FILE_SUFFIX)) {
      for (Path file : files) {
        if (Files.deleteIfExists(file)) {
          deleted++;
        }
      }
    }
    if (deleted > 0) {
      LOG.info("event=s3_temp_leftovers_deleted dir={} files={}", dir, deleted);
    }
    return deleted;
  }

  /**
   * Reserves {@code size} bytes and creates an empty buffer file, waiting up to {@code maxWait} for
   * the budget. Fails with {@link TusException} {@link ErrorCode#STORAGE_UNAVAILABLE} when the wait
   * times out and with {@link InterruptedIOException} when interrupted.
   */
  PartBuffer allocate(long size, Duration maxWait) throws IOException {
    reserve(size, maxWait);
    try {
      return new PartBuffer(this, Files.createTempFile(dir, FILE_PREFIX, FILE_SUFFIX), size);
    } catch (IOException | RuntimeException e) {
      release(size);
      throw e;
    }
  }

  void release(long size) {
    lock.lock();
    try {
      reserved -= size;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long budget() {
    return budget;
  }

  long reserved() {
    lock.lock();
    try {
      return reserved;
    } finally {
      lock.unlock();
    }
  }

  /** The most bytes ever reserved at once. */
  long peak() {
    lock.lock();
    try {
      return peak;
    } finally {
      lock.unlock();
    }
  }

  Path dir() {
    return dir;
  }

  boolean isWritable() {
    return Files.isDirectory(dir) && Files.isWritable(dir);
  }

  private void reserve(long size, Duration maxWait) throws IOException {
    if (size > budget) {
      throw new IOException("a buffer of " + size + " bytes exceeds the S3 temp budget " + budget);
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    lock.lock();
    try {
      while (reserved + size > budget) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !released.await(left, TimeUnit.NANOSECONDS) && reserved + size > budget) {
          throw new TusException(
              ErrorCode.STORAGE_UNAVAILABLE,
              "no temp space for S3 part buffers within " + maxWait + " (budget " + budget + ")",
              Map.of("Retry-After", "5"),
              null);
        }
      }
      reserved += size;
      peak = Math.max(peak, reserved);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for S3 temp space");
    } finally {
      lock.unlock();
    }
  }
}
