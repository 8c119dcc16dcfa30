package dev.tusk.store.s3;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One part being filled, as a temp file that holds at most its reservation. Not thread-safe: filled
 * by one session thread, then handed whole to one upload task. {@link #close()} deletes the file
 * and returns the reservation; it is idempotent and safe from any thread.
 */
final class PartBuffer implements Closeable {
  private static final int COPY_CHUNK = 256 * 1024;

  private final TempSpace space;
  private final Path path;
  private final long capacity;
  private final FileChannel channel;
  private long size;
  private boolean closed;

  PartBuffer(TempSpace space, Path path, long capacity) throws IOException {
    this.space = space;
    this.path = path;
    this.capacity = capacity;
    this.channel = FileChannel.open(path, StandardOpenOption.WRITE);
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
