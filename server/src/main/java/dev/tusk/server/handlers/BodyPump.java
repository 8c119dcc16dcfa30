package dev.tusk.server.handlers;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.protocol.Checksum;
import dev.tusk.server.protocol.ChecksumAlgorithm;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.util.HeaderMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongPredicate;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

/**
 * Moves one request body into an {@link AppendSession} without blocking an I/O thread, reading
 * and writing at the same time: the I/O thread reads into pooled buffers and queues them, one
 * writer task at a time drains the queue on the storage executor, and reads pause only while
 * {@value #IN_FLIGHT} buffers are read but not yet written. No buffer is held while the client
 * is idle, and a short chunk travels in a buffer of its own size.
 *
 * <p>Ends exactly once, on the storage executor, after every queued byte was written: after the
 * body ended and (if asked) the checksum matched, the session is committed and {@link
 * Outcome#completed} runs; on any failure the session is rolled back if it is provisional and
 * committed otherwise ("SHOULD store as much as possible") and {@link Outcome#failed} runs.
 * {@link #requestStop()} (another request wants the upload) ends it early with {@link
 * ErrorCode#UPLOAD_INTERRUPTED}; the bytes already received are kept.
 *
 * <p>Thread-safety: the reader's current buffer belongs to the I/O thread; everything else shared
 * between reader and writer is guarded by this object's monitor; the session, digests and
 * allowance belong to the single active writer.
 */
public final class BodyPump implements ChannelListener<StreamSourceChannel> {
  /** What happens once the body ended. Both run on the storage executor. */
  public interface Outcome {
    void completed(UploadInfo info) throws Exception;

    void failed(Throwable error, UploadInfo infoAfter) throws Exception;
  }

  /** A body read failed: the client went away or stalled past the read timeout. */
  public static final class ClientGoneException extends IOException {
    ClientGoneException(IOException cause) {
      super("client went away: " + cause.getMessage(), cause);
    }
  }

  private static final int IN_FLIGHT = 2;
  private static final int SMALL_CHUNK = 16 * 1024;

  private enum End { EOF, STOP, GONE }

  private final HttpServerExchange exchange;
  private final StreamSourceChannel channel;
  private final Executor executor;
  private final BufferPool pool;
  private final AppendSession session;
  private final Optional<Checksum> checksum;
  private final Map<ChecksumAlgorithm, MessageDigest> digests = new EnumMap<>(ChecksumAlgorithm.class);
  private final Outcome outcome;
  private final Runnable settled;
  private final LongPredicate stopAt;

  // I/O thread only
  private ByteBuffer reading;

  // writer only (one writer task at a time; hand-over through the monitor)
  private long allowed;

  // guarded by this
  private final ArrayDeque<ByteBuffer> filled = new ArrayDeque<>();
  private boolean writing;
  private boolean paused;
  private End end;
  private IOException readError;
  private boolean done;
  private boolean stopRequested;
  private ErrorCode stopReason = ErrorCode.UPLOAD_INTERRUPTED;
  private boolean started;
  private boolean finished;

  /**
   * @param allowed how many body bytes may be stored; more is a 413
   * @param checksumTrailer the checksum arrives as a trailer (every algorithm is computed)
   * @param settled runs right after the session was committed or rolled back (releases the lock)
   * @param stopAt called on the storage executor with the new offset after each stored buffer;
   *     true ends the request with {@link ErrorCode#UPLOAD_STOPPED}
   */
  public BodyPump(
      HttpServerExchange exchange,
      Executor executor,
      BufferPool pool,
      AppendSession session,
      long allowed,
      Optional<Checksum> checksum,
      boolean checksumTrailer,
      Runnable settled,
      LongPredicate stopAt,
      Outcome outcome) {
    this.exchange = exchange;
    this.channel = exchange.getRequestChannel();
    this.executor = executor;
    this.pool = pool;
    this.session = session;
    this.allowed = allowed;
    this.checksum = checksum;
    this.settled = settled;
    this.stopAt = stopAt;
    this.outcome = outcome;
    checksum.ifPresent(c -> digests.put(c.algorithm(), c.algorithm().newDigest()));
    if (checksum.isEmpty() && checksumTrailer) {
      for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
        digests.put(a, a.newDigest());
      }
    }
  }

  /** Starts reading; may be called from any thread. */
  public void start() {
    synchronized (this) {
      started = true;
      if (channel == null) {
        end = End.GONE;
        readError = new IOException("the request body was already taken");
        kick();
        return;
      }
    }
    channel.getReadSetter().set(this);
    channel.wakeupReads();
  }

  /**
   * True from {@link #start()} until the session was committed or rolled back and closed and the
   * lock released. While it runs the pump owns the session and the lock: the exchange's own
   * completion (e.g. a disconnect) must leave them to it.
   */
  public synchronized boolean isRunning() {
    return started && !finished;
  }

  /** Asks the pump to stop reading, commit what it has and end; safe from any thread. */
  public void requestStop() {
    requestStop(ErrorCode.UPLOAD_INTERRUPTED);
  }

  /**
   * As {@link #requestStop()}, ending with {@code reason} (e.g. {@link ErrorCode#SERVER_SHUTDOWN})
   * unless a stop was requested already.
   */
  public void requestStop(ErrorCode reason) {
    synchronized (this) {
      if (done || end != null) {
        return;
      }
      if (!stopRequested) {
        stopReason = reason;
      }
      stopRequested = true;
    }
    exchange.getIoThread().execute(this::stopReading);
  }

  /** On the I/O thread: no more reads; the writer ends once the queue is written. */
  private void stopReading() {
    synchronized (this) {
      if (done || end != null) {
        return;
      }
      end = End.STOP;
      kick();
    }
    channel.suspendReads();
  }

  @Override
  public void handleEvent(StreamSourceChannel ch) {
    while (true) {
      synchronized (this) {
        if (done || end != null) {
          ch.suspendReads();
          return;
        }
        if (stopRequested) {
          end = End.STOP;
          ch.suspendReads();
          kick();
          return;
        }
      }
      if (reading == null) {
        reading = pool.acquire();
      }
      Read result = read(ch);
      if (result == Read.NOTHING) {
        pool.release(reading);
        reading = null;
        return; // reads stay armed
      }
      if (!enqueue(ch, result) || result != Read.FULL) {
        return;
      }
      // a full buffer: there may be more right away, read on while a slot is free
    }
  }

  private enum Read { NOTHING, PARTIAL, FULL, EOF, FAILED }

  /** Reads until the buffer is full, nothing more is available, the body ended or reading failed. */
  private Read read(StreamSourceChannel ch) {
    while (true) {
      int n;
      try {
        n = ch.read(reading);
      } catch (IOException e) {
        synchronized (this) {
          readError = e;
        }
        return Read.FAILED;
      }
      if (n < 0) {
        return Read.EOF;
      }
      if (!reading.hasRemaining()) {
        return Read.FULL;
      }
      if (n == 0) {
        return reading.position() > 0 ? Read.PARTIAL : Read.NOTHING;
      }
    }
  }

  /**
   * Queues what was read (if anything) and starts the writer. Returns true if reading may go on
   * at once: the body continues and a buffer slot is free.
   */
  private boolean enqueue(StreamSourceChannel ch, Read result) {
    ByteBuffer chunk = reading;
    reading = null;
    if (chunk.position() == 0) {
      pool.release(chunk);
      chunk = null;
    } else if (chunk.position() < SMALL_CHUNK) {
      chunk = shrink(chunk);
    }
    synchronized (this) {
      if (done) {
        if (chunk != null) {
          pool.release(chunk);
        }
        ch.suspendReads();
        return false;
      }
      if (chunk != null) {
        filled.add(chunk);
      }
      if (result == Read.EOF || result == Read.FAILED) {
        end = result == Read.EOF ? End.EOF : End.GONE;
        ch.suspendReads();
        kick();
        return false;
      }
      kick();
      if (filled.size() + (writing ? 1 : 0) >= IN_FLIGHT) {
        paused = true;
        ch.suspendReads();
        return false;
      }
      return true;
    }
  }

  /** A few bytes go on in a buffer of their own size; the pooled buffer goes back at once. */
  private ByteBuffer shrink(ByteBuffer pooled) {
    ByteBuffer small = ByteBuffer.allocate(pooled.position());
    pooled.flip();
    small.put(pooled);
    pool.release(pooled);
    return small;
  }

  /** Starts the writer if it is not running and there is work; caller holds the monitor. */
  private void kick() {
    if (!writing && !done && (!filled.isEmpty() || end != null)) {
      writing = true;
      executor.execute(this::drain);
    }
  }

  /** The writer: writes queued buffers in order, then ends the request once the body ended. */
  private void drain() {
    while (true) {
      ByteBuffer next;
      End ended;
      boolean wake = false;
      synchronized (this) {
        if (done) {
          writing = false;
          return;
        }
        next = filled.poll();
        ended = end;
        if (next == null && ended == null) {
          writing = false;
          return;
        }
        if (next != null && paused && end == null) {
          paused = false; // a slot is free again: read while this buffer is written
          wake = true;
        }
      }
      if (wake) {
        channel.wakeupReads();
      }
      if (next == null) {
        finish(ended);
        return;
      }
      try {
        int size = next.position();
        if (write(next)) {
          finishWith(new TusException(ErrorCode.UPLOAD_SIZE_EXCEEDED,
              "the body is longer than the upload's remaining length allows"));
          return;
        }
        if (stopAt.test(session.offset())) {
          finishWith(new TusException(ErrorCode.UPLOAD_STOPPED, "the upload was stopped by the server"));
          return;
        }
        idleIfPaused(size);
      } catch (Throwable t) {
        finishWith(t);
        return;
      }
    }
  }

  /**
   * After a short chunk that left nothing queued, the client is slow or stalled: the store may let
   * go of what it holds (an open file) until more bytes arrive.
   */
  private void idleIfPaused(int size) throws IOException {
    boolean quiet;
    synchronized (this) {
      quiet = filled.isEmpty() && end == null;
    }
    if (quiet && size < pool.bufferSize() / 4) {
      session.idle();
    }
  }

  /** Writes one buffer within the allowance and releases it; true if the body exceeded it. */
  private boolean write(ByteBuffer buffer) throws IOException {
    try {
      buffer.flip();
      boolean overflow = buffer.remaining() > allowed;
      if (overflow) {
        buffer.limit(buffer.position() + (int) allowed);
      }
      allowed -= buffer.remaining();
      for (MessageDigest d : digests.values()) {
        d.update(buffer.duplicate());
      }
      while (buffer.hasRemaining()) {
        session.write(buffer);
      }
      return overflow;
    } finally {
      pool.release(buffer);
    }
  }

  private void finish(End ended) {
    switch (ended) {
      case EOF -> Guarded.run(exchange, this::complete);
      case STOP -> finishWith(stopped());
      default -> {
        IOException cause;
        synchronized (this) {
          cause = readError == null ? new IOException("closed") : readError;
        }
        finishWith(new ClientGoneException(cause));
      }
    }
  }

  private void complete() throws Exception {
    markDone();
    UploadInfo info;
    try {
      verifyChecksum();
      info = session.commit();
    } catch (Throwable t) {
      settleAfterFailure(t);
      return;
    }
    settle();
    outcome.completed(info);
  }

  private void verifyChecksum() {
    if (digests.isEmpty()) {
      return;
    }
    Checksum expected = checksum.orElseGet(this::trailerChecksum);
    MessageDigest digest = digests.get(expected.algorithm());
    // tus checksum: "If the checksums do not match, the Server MUST respond with the 460 Checksum
    // Mismatch status" and the chunk is discarded.
    if (!MessageDigest.isEqual(digest.digest(), expected.expected())) {
      throw new TusException(
          ErrorCode.CHECKSUM_MISMATCH,
          "the " + expected.algorithm().tusName() + " checksum of the body does not match Upload-Checksum");
    }
  }

  private Checksum trailerChecksum() {
    HeaderMap trailers = exchange.getAttachment(HttpAttachments.REQUEST_TRAILERS);
    String value = trailers == null ? null : trailers.getFirst("Upload-Checksum");
    if (value == null) {
      throw new TusException(
          ErrorCode.INVALID_CHECKSUM_HEADER,
          "Trailer announced Upload-Checksum but the body ended without it");
    }
    return Checksum.parse(value);
  }

  private synchronized TusException stopped() {
    return stopReason == ErrorCode.UPLOAD_INTERRUPTED
        ? new TusException(stopReason, "another request for this upload took over; resume from its offset")
        : new TusException(stopReason, "the server is shutting down; the bytes received are stored, resume from the upload's offset");
  }

  /** No more reads or writes: queued buffers go back to the pool. */
  private void markDone() {
    synchronized (this) {
      done = true;
      for (ByteBuffer b; (b = filled.poll()) != null; ) {
        pool.release(b);
      }
    }
    if (channel != null) {
      channel.suspendReads();
    }
  }

  private void finishWith(Throwable error) {
    markDone();
    settleAfterFailure(error);
  }

  private void settleAfterFailure(Throwable error) {
    UploadInfo after = null;
    try {
      if (!digests.isEmpty()) {
        session.rollback();
      } else {
        after = session.commit();
      }
    } catch (Throwable t) {
      error.addSuppressed(t);
    }
    settle();
    try {
      outcome.failed(error, after);
    } catch (Throwable t) {
      dev.tusk.server.http.Problems.send(exchange, t);
    }
  }

  private void settle() {
    try {
      session.close();
    } catch (IOException | RuntimeException ignored) {
      // committed or rolled back already; closing only frees resources
    }
    settled.run();
    synchronized (this) {
      finished = true;
    }
  }
}
