package dev.tusk.server.http;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.xnio.XnioExecutor;
import org.xnio.conduits.StreamSinkConduit;

/**
 * One exchange's interim responses: those queued and not yet written, and whether the final
 * response has begun. Every method synchronises on this object.
 *
 * <p>A response is queued by the caller's thread and written by the exchange's I/O thread. When
 * the final response begins (Undertow creates its conduit, on whichever thread starts it), what is
 * still queued goes out first: on HTTP/2 its frames are queued on the connection ahead of the final
 * HEADERS; on HTTP/1.1 a {@link DrainingConduit} writes the bytes ahead of the final response's
 * own. Nothing is queued after that.
 */
final class InterimState {
  /** HTTP/1.1 bytes beyond which a progress response is not queued (the client reads nothing). */
  private static final int MAX_PENDING_BYTES = 16 * 1024;

  private final HttpServerExchange exchange;
  private final boolean http2;
  private boolean ended;
  /** HTTP/2: interim responses not yet queued on the connection, as {status, fields}. */
  private final ArrayDeque<Object[]> frames = new ArrayDeque<>();
  /** HTTP/1.1: bytes not yet taken by the socket; null when none. */
  private ByteBuffer pending;
  private XnioExecutor.Key retry;

  InterimState(HttpServerExchange exchange, boolean http2) {
    this.exchange = exchange;
    this.http2 = http2;
  }

  synchronized boolean ended() {
    return ended;
  }

  /**
   * Queues one interim response and has the I/O thread write it. False if the final response has
   * begun, or if {@code progress} and earlier bytes are still waiting for a client that reads
   * nothing.
   */
  boolean send(int status, List<String[]> fields, boolean progress) {
    synchronized (this) {
      if (ended || exchange.isResponseStarted() || exchange.isComplete()) {
        return false;
      }
      if (http2) {
        frames.add(new Object[] {status, fields});
      } else {
        byte[] bytes = http11(status, fields);
        int waiting = pending == null ? 0 : pending.remaining();
        if (progress && waiting > 0 || waiting + bytes.length > MAX_PENDING_BYTES) {
          return false;
        }
        pending = append(pending, bytes);
      }
    }
    if (exchange.isInIoThread()) {
      write();
    } else {
      exchange.getIoThread().execute(this::write);
    }
    return true;
  }

  /** On the I/O thread: writes what is queued, unless the final response has taken it over. */
  private synchronized void write() {
    if (ended || exchange.isComplete()) {
      return;
    }
    try {
      if (http2) {
        writeFrames();
      } else if (pending != null && !drain()) {
        scheduleRetry();
      }
    } catch (IOException | RuntimeException e) {
      // advice only: a broken connection fails the final response instead
      ended = true;
      frames.clear();
      pending = null;
    }
  }

  /**
   * Called by Undertow where the final response's conduit is created, before any of its bytes:
   * ends interim responses and puts what is still queued ahead of the final response.
   */
  synchronized StreamSinkConduit finalResponse(StreamSinkConduit conduit) {
    ended = true;
    if (retry != null) {
      retry.remove();
      retry = null;
    }
    if (http2) {
      try {
        writeFrames();
      } catch (IOException | RuntimeException e) {
        frames.clear();
      }
      return conduit;
    }
    return pending == null ? conduit : new DrainingConduit(conduit, this);
  }

  private void writeFrames() throws IOException {
    for (Object[] f; (f = frames.poll()) != null; ) {
      @SuppressWarnings("unchecked")
      List<String[]> fields = (List<String[]>) f[1];
      InterimResponses.writeHttp2(exchange, (Integer) f[0], fields);
    }
  }

  /** HTTP/1.1: writes and flushes the pending bytes; true once none is left. */
  synchronized boolean drain() throws IOException {
    if (pending == null) {
      return true;
    }
    StreamSinkConduit socket = InterimResponses.socket(exchange);
    while (pending.hasRemaining()) {
      if (socket.write(pending) == 0) {
        return false;
      }
    }
    if (!socket.flush()) {
      return false;
    }
    pending = null;
    return true;
  }

  /** Tries again shortly on the I/O thread while the final response has not begun. */
  private void scheduleRetry() {
    if (retry == null) {
      retry = exchange.getIoThread().executeAfter(() -> {
        synchronized (this) {
          retry = null;
        }
        write();
      }, 20, TimeUnit.MILLISECONDS);
    }
  }

  private static byte[] http11(int status, List<String[]> fields) {
    StringBuilder head = new StringBuilder(128);
    head.append("HTTP/1.1 ").append(status).append(' ')
        .append(InterimResponses.reason(status)).append("\r\n");
    for (String[] field : fields) {
      head.append(field[0]).append(": ").append(field[1]).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static ByteBuffer append(ByteBuffer pending, byte[] bytes) {
    if (pending == null) {
      return ByteBuffer.wrap(bytes);
    }
    ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + bytes.length);
    return joined.put(pending).put(bytes).flip();
  }

  /** Sends one progress response per interval on the I/O thread until closed. */
  final class Ticker implements AutoCloseable, Runnable {
    private final int status;
    private final long intervalNanos;
    private final Supplier<List<String[]>> fields;
    private volatile boolean closed;
    private volatile XnioExecutor.Key key;

    Ticker(int status, long intervalNanos, Supplier<List<String[]>> fields) {
      this.status = status;
      this.intervalNanos = intervalNanos;
      this.fields = fields;
    }

    void schedule() {
      if (!closed && !ended()) {
        key = exchange.getIoThread().executeAfter(this, intervalNanos, TimeUnit.NANOSECONDS);
        if (closed) {
          key.remove();
        }
      }
    }

    @Override
    public void run() {
      if (closed || ended() || exchange.isComplete()) {
        return;
      }
      List<String[]> next;
      try {
        next = fields.get();
      } catch (RuntimeException e) {
        close(); // a supplier that fails (or names an invalid header) reports no more
        return;
      }
      if (next != null) {
        send(status, next, true);
      }
      schedule();
    }

    @Override
    public void close() {
      closed = true;
      XnioExecutor.Key k = key;
      if (k != null) {
        k.remove();
      }
    }
  }
}
