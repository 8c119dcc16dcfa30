package dev.tusk.store.s3;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One part being filled, as a temp file that holds at most its reservation. Filled by one session
 * thread, then handed whole to one upload task. {@link #close()} deletes the file and returns the
 * reservation; it is idempotent and safe from any thread.
 *
 * <p>A part can also be uploaded while it fills: {@link #follow} gives the upload task a stream
 * of the first bytes that waits for them to be written. The writer then ends the fill with {@link
 * #seal()} (every byte is there: the task owns the buffer from now on) or {@link #abandon()} (the
 * stream fails and the writer keeps the buffer); the stream abandons the fill itself when no byte
 * arrives for a while, so a stalled client never holds an upload thread for long.
 */
final class PartBuffer implements Closeable {
  private static final int COPY_CHUNK = 256 * 1024;

  /** A followed fill: growing, sealed or abandoned. */
  private enum Fill { GROWING, SEALED, ABANDONED }

  /** Thrown by a follower's stream once the fill was abandoned: the part is not uploaded. */
  static final class Abandoned extends RuntimeException {
    Abandoned(String message) {
      super(message, null, false, false);
    }
  }

  private final TempSpace space;
  private final Path path;
  private final long capacity;
  private final FileChannel channel;
  private long size;
  private boolean closed;
  private boolean followed; // writer thread only
  private final Object growth = new Object();
  private long visible; // guarded by growth: bytes a follower may read
  private Fill fill = Fill.GROWING; // guarded by growth
  private long lastGrowth; // guarded by growth: System.nanoTime() of the last growth

  PartBuffer(TempSpace space, Path path, long capacity) throws IOException {
    this.space = space;
    this.path = path;
    this.capacity = capacity;
    this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  Path path() {
    return path;
  }

  long size() {
    return size;
  }

  long capacity() {
    return capacity;
  }

  long free() {
    return capacity - size;
  }

  /** Appends every remaining byte of {@code src}; there must be room for them. */
  void write(ByteBuffer src) throws IOException {
    if (src.remaining() > free()) {
      throw new IllegalStateException("part buffer overflow");
    }
    while (src.hasRemaining()) {
      size += channel.write(src, size);
    }
    if (followed) {
      synchronized (growth) {
        visible = size;
        lastGrowth = System.nanoTime();
        growth.notifyAll();
      }
    }
  }

  /**
   * A stream of bytes {@code [0, length)} that waits for them to be written (after {@link
   * #startFollowing}); each call starts at byte 0 again (for a retried request). Its reads throw {@link Abandoned} once the fill is
   * abandoned, also by the stream itself after {@code stall} without a new byte.
   */
  InputStream follow(long length, Duration stall) {
    if (length > capacity) {
      throw new IllegalArgumentException(length + " bytes do not fit in " + capacity);
    }
    return new Follower(length, stall.toNanos());
  }

  /** Makes later writes visible to followers; called by the writer before any follower starts. */
  void startFollowing() {
    synchronized (growth) {
      followed = true;
      visible = size;
      lastGrowth = System.nanoTime();
    }
  }

  /** Ends a followed fill with every byte written; false if it was abandoned already. */
  boolean seal() {
    return end(Fill.SEALED);
  }

  /** Ends a followed fill early; false if it was sealed already. */
  boolean abandon() {
    return end(Fill.ABANDONED);
  }

  boolean abandoned() {
    return is(Fill.ABANDONED);
  }

  boolean sealed() {
    return is(Fill.SEALED);
  }

  /** Moves a growing fill to {@code to}; true if the fill is {@code to} afterwards. */
  private boolean end(Fill to) {
    synchronized (growth) {
      if (fill == Fill.GROWING) {
        fill = to;
        growth.notifyAll();
      }
      return fill == to;
    }
  }

  private boolean is(Fill state) {
    synchronized (growth) {
      return fill == state;
    }
  }

  /**
   * Waits until the writer sealed or abandoned the fill, abandoning it after {@code stall}
   * without a new byte; true if sealed.
   */
  boolean awaitSealed(Duration stall) throws InterruptedException {
    synchronized (growth) {
      awaitChange(Long.MAX_VALUE, stall.toNanos());
      return fill == Fill.SEALED;
    }
  }

  /** Waits while the fill grows and at most {@code position} bytes are visible; holds growth. */
  private void awaitChange(long position, long stallNanos) throws InterruptedException {
    while (fill == Fill.GROWING && visible <= position) {
      long left = lastGrowth + stallNanos - System.nanoTime();
      if (left <= 0) {
        fill = Fill.ABANDONED;
        return;
      }
      growth.wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Reads the followed bytes as they become visible. */
  private final class Follower extends InputStream {
    private final long length;
    private final long stallNanos;
    private long position;

    Follower(long length, long stallNanos) {
      this.length = length;
      this.stallNanos = stallNanos;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= length) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      long available;
      synchronized (growth) {
        try {
          awaitChange(position, stallNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted following a part buffer");
        }
        if (fill == Fill.ABANDONED) {
          throw new Abandoned("part " + path.getFileName() + " abandoned at " + position);
        }
        available = Math.min(visible, length);
      }
      int n = (int) Math.min(len, available - position);
      int read = channel.read(ByteBuffer.wrap(b, off, n), position);
      if (read < 0) {
        throw new EOFException(path + " ended at " + position);
      }
      position += read;
      return read;
    }
  }

  /** Appends exactly {@code n} bytes read from {@code in}; there must be room for them. */
  void writeFrom(InputStream in, long n) throws IOException {
    byte[] chunk = new byte[(int) Math.min(COPY_CHUNK, Math.max(1, n))];
    long left = n;
    while (left > 0) {
      int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
      if (read < 0) {
        throw new EOFException("stream ended " + left + " bytes early");
      }
      write(ByteBuffer.wrap(chunk, 0, read));
      left -= read;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      path.toFile().deleteOnExit();
    } finally {
      space.release(capacity);
    }
  }
}
