package dev.tusk.server.handlers;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for request bodies. A buffer is held only while bytes are in flight between the
 * socket and the store, never by an idle request, so memory is bounded by concurrency of actual
 * transfers. Past {@code maxDirect} buffers outstanding, heap buffers are handed out instead so
 * direct memory stays bounded. Thread-safe.
 */
public final class BufferPool {
  private final int bufferSize;
  private final int maxDirect;
  private final ArrayBlockingQueue<ByteBuffer> free;
  private final AtomicInteger directOutstanding = new AtomicInteger();

  public BufferPool(int bufferSize, int maxPooled, int maxDirect) {
    this.bufferSize = bufferSize;
    this.maxDirect = maxDirect;
    this.free = new ArrayBlockingQueue<>(maxPooled);
  }

  /** A cleared buffer of {@link #bufferSize()} bytes. */
  public ByteBuffer acquire() {
    ByteBuffer buffer = free.poll();
    if (buffer != null) {
      directOutstanding.incrementAndGet();
      return buffer.clear();
    }
    if (directOutstanding.incrementAndGet() <= maxDirect) {
      return ByteBuffer.allocateDirect(bufferSize);
    }
    directOutstanding.decrementAndGet();
    return ByteBuffer.allocate(bufferSize);
  }

  /** Returns a buffer obtained from {@link #acquire()}; the caller must not touch it afterwards. */
  public void release(ByteBuffer buffer) {
    if (!buffer.isDirect()) {
      return;
    }
    directOutstanding.decrementAndGet();
    free.offer(buffer);
  }

  public int bufferSize() {
    return bufferSize;
  }
}
