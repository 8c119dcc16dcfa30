package dev.tusk.server.handlers;

import dev.tusk.server.http.Exchanges;
import io.undertow.server.HttpServerExchange;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Writes a response body made of segments — literal bytes (multipart delimiters) and slices of
 * the stored upload — to the raw response channel without blocking an I/O thread. A slice the
 * store returns as a {@link FileChannel} is sent with {@code transferFrom} (sendfile on plain
 * HTTP/1.1), exactly its length, from the channel's position, unless it is the whole body and at
 * most {@value #COALESCE_MAX} bytes: then it goes out in one write with the head ({@link
 * #sendWithHead}). Any other channel is streamed by {@link ChannelStreamer}. Sources are opened on the executor one at a time and closed as soon as
 * their slice is sent, or when the exchange completes.
 *
 * <p>Ends exactly once: after the last segment the exchange is ended; on any failure after the
 * status line may have gone out the connection is closed (the promised length cannot be kept).
 * Status and headers must be set before {@link #start}.
 */
final class BodySender {
  private static final Logger LOG = LoggerFactory.getLogger(BodySender.class);

  /** Bodies up to this many bytes from a file go out in one write with the head. */
  static final int COALESCE_MAX = 64 * 1024;

  /** Per-thread scratch space for {@link #sendWithHead}; only used within one call. */
  private static final ThreadLocal<ByteBuffer> SCRATCH =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(COALESCE_MAX));

  /** A part of the body. */
  sealed interface Segment permits Bytes, Slice {}

  /** Literal bytes. */
  record Bytes(ByteBuffer data) implements Segment {}

  /** {@code length} bytes of the upload from {@code position}. */
  record Slice(long position, long length) implements Segment {}

  /** Opens a slice of the upload (blocking; runs on the executor). */
  @FunctionalInterface
  interface Opener {
    ReadableByteChannel open(long position, long length) throws IOException;
  }

  /** What a step calls when it is over. */
  interface Continuation {
    void done();

    void failed(Throwable error);
  }

  private final HttpServerExchange exchange;
  private final Executor executor;
  private final Opener opener;
  private final Deque<Segment> pending;
  private final AtomicReference<ReadableByteChannel> source = new AtomicReference<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile ReadableByteChannel prepared;
  private volatile StreamSinkChannel sink;

  BodySender(HttpServerExchange exchange, Executor executor, Opener opener, List<Segment> body) {
    this.exchange = exchange;
    this.executor = executor;
    this.opener = opener;
    this.pending = new ArrayDeque<>(body);
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          ended.set(true);
          closeSource();
          next.proceed();
        });
  }

  /**
   * Opens the first slice now, on the calling (storage) thread, so that a store that cannot serve
   * it still produces an error response rather than a cut connection.
   */
  void prepare() throws IOException {
    Segment first = pending.peek();
    if (first instanceof Slice slice) {
      ReadableByteChannel channel = opener.open(slice.position(), slice.length());
      adopt(channel);
      prepared = channel;
    }
  }

  /** Starts writing; call once the status and headers are set. */
  void start() {
    sink = exchange.getResponseChannel();
    if (prepared instanceof FileChannel file && isSmallWholeBody()) {
      sendWithHead(file, ((Slice) pending.poll()).length());
    } else if (prepared instanceof FileChannel) {
      writeHead();
    } else {
      next();
    }
  }

  private boolean isSmallWholeBody() {
    return pending.size() == 1
        && pending.peek() instanceof Slice slice
        && slice.length() <= COALESCE_MAX;
  }

  /**
   * Sends a small file slice together with the status line and headers: the slice is read into a
   * scratch buffer and written behind the pending head, one gathering write. Compared with the
   * head's own write followed by {@code sendfile} that is one copy of at most 64 KiB more and one
   * TCP send less, so the client gets the response in one segment burst and one wake-up, which
   * is what small ranges are bound by. Bytes that do not
   * fit the socket now are copied out of the scratch buffer, which the next response on this
   * thread reuses, and written when it is writable.
   */
  private void sendWithHead(FileChannel file, long length) {
    ByteBuffer scratch = SCRATCH.get().clear().limit((int) length);
    try {
      long position = file.position();
      while (scratch.hasRemaining()) {
        if (file.read(scratch, position + scratch.position()) < 0) {
          throw new EOFException("the stored file ended " + scratch.remaining() + " bytes early");
        }
      }
      scratch.flip();
      prepared = null;
      closeSource(); // every byte is in memory now
      while (scratch.hasRemaining()) {
        if (sink.write(scratch) == 0) {
          ByteBuffer rest = ByteBuffer.allocate(scratch.remaining()).put(scratch).flip();
          awaitWritable(sink, () -> writeBytes(rest));
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
      return;
    }
    next();
  }

  /**
   * Writes the status line and headers on their own, one small write, before a file slice goes
   * out by sendfile. Left pending, they make Undertow's {@code transferFrom} read a buffer's worth
   * of the file (up to 16 KiB) into a pooled buffer and write it behind them: one {@code read} and
   * one copy more per response than {@code write(head)} plus {@code sendfile}, which is all the
   * sendfile ceiling does.
   */
  private void writeHead() {
    try {
      if (!sink.flush()) {
        awaitWritable(sink, this::writeHead);
        return;
      }
    } catch (IOException e) {
      fail(e);
      return;
    }
    next();
  }

  /** Waits (without blocking) until {@code sink} is writable again, then runs {@code then}. */
  static void awaitWritable(StreamSinkChannel sink, Runnable then) {
    sink.getWriteSetter()
        .set(
            ch -> {
              ch.suspendWrites();
              ch.getWriteSetter().set(null);
              then.run();
            });
    sink.resumeWrites();
  }

  private void next() {
    Segment segment = pending.poll();
    if (segment == null) {
      finish();
    } else if (segment instanceof Bytes bytes) {
      writeBytes(bytes.data());
    } else {
      Slice slice = (Slice) segment;
      ReadableByteChannel ready = prepared;
      prepared = null;
      if (ready != null) {
        sendSlice(ready, slice.length());
        return;
      }
      // dispatch, not execute: on an I/O thread still inside the handler (a multipart body begun
      // there) Undertow would otherwise end the exchange as soon as the handler returns
      exchange.dispatch(
          executor,
          () -> {
            ReadableByteChannel channel;
            try {
              channel = opener.open(slice.position(), slice.length());
            } catch (IOException | RuntimeException e) {
              fail(e);
              return;
            }
            adopt(channel);
            sendSlice(channel, slice.length());
          });
    }
  }

  private void writeBytes(ByteBuffer data) {
    try {
      while (data.hasRemaining()) {
        if (sink.write(data) == 0) {
          awaitWritable(sink, () -> writeBytes(data));
          return;
        }
      }
    } catch (IOException e) {
      fail(e);
      return;
    }
    next();
  }

  private void sendSlice(ReadableByteChannel channel, long length) {
    Continuation sliceSent =
        new Continuation() {
          @Override
          public void done() {
            closeSource();
            next();
          }

          @Override
          public void failed(Throwable error) {
            fail(error);
          }
        };
    if (channel instanceof FileChannel file) {
      long position;
      try {
        position = file.position();
      } catch (IOException e) {
        fail(e);
        return;
      }
      Sendfile.send(sink, file, position, length, sliceSent);
    } else {
      new ChannelStreamer(sink, channel, length, executor, sliceSent).start();
    }
  }

  private void adopt(ReadableByteChannel channel) {
    source.set(channel);
    if (ended.get()) {
      closeSource();
    }
  }

  private void closeSource() {
    ReadableByteChannel channel = source.getAndSet(null);
    if (channel != null) {
      IoUtils.safeClose(channel);
    }
  }

  private void finish() {
    if (ended.compareAndSet(false, true)) {
      closeSource();
      Exchanges.end(exchange);
    }
  }

  private void fail(Throwable error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    closeSource();
    String trace = Exchanges.traceId(exchange);
    if (error instanceof IOException && !(error instanceof EOFException)) {
      LOG.debug("event=download_aborted trace={} error={}", trace, error.toString());
    } else {
      LOG.error("event=download_failed trace={} path={}", trace, exchange.getRequestPath(), error);
    }
    IoUtils.safeClose(exchange.getConnection());
  }
}
