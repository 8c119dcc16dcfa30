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
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongPredicate;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

/**
 * Moves one request body into an {@link AppendSession} without blocking an I/O thread: the I/O
 * thread reads into a pooled buffer, suspends reads and hands the buffer to the storage executor,
 * which writes it and wakes reads again. At most one buffer per request is in flight, and none
 * while the client is idle.
 *
 * <p>Ends exactly once, on the storage executor: after the body ended and (if asked) the checksum
 * matched, the session is committed and {@link Outcome#completed} runs; on any failure the
 * session is rolled back if it is provisional and committed otherwise ("SHOULD store as much as
 * possible") and {@link Outcome#failed} runs. {@link #requestStop()} (another request wants the
 * upload) ends it early with {@link ErrorCode#UPLOAD_INTERRUPTED}.
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

  private static final int SMALL_CHUNK = 16 * 1024;

  private enum State { READING, WRITING, DONE }

  private enum End { MORE, EOF, STOP, GONE }

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
  private long allowed;
  private ByteBuffer buffer;
  private IOException readError;
  private State state = State.READING;
  private boolean stopRequested;
  private boolean started;
  private boolean finished;
  private int lastChunk; // bytes of the last buffer handed to the store; storage executor only
  private ErrorCode stopReason = ErrorCode.UPLOAD_INTERRUPTED;

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
    }
    if (channel == null) {
      executor.execute(() -> finish(End.GONE));
      return;
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
      if (state == State.DONE) {
        return;
      }
      if (!stopRequested) {
        stopReason = reason;
      }
      stopRequested = true;
    }
    exchange.getIoThread().execute(this::stopIfReading);
  }

  private void stopIfReading() {
    synchronized (this) {
      if (state != State.READING) {
        return;
      }
      state = State.WRITING;
    }
    channel.suspendReads();
    handOff(End.STOP);
  }

  @Override
  public void handleEvent(StreamSourceChannel ch) {
    synchronized (this) {
      if (state != State.READING) {
        return;
      }
      if (stopRequested) {
        state = State.WRITING;
        ch.suspendReads();
        handOff(End.STOP);
        return;
      }
    }
    if (buffer == null) {
      buffer = pool.acquire();
    }
    End end = read(ch);
    if (end == null) {
      if (buffer.position() == 0) {
        pool.release(buffer);
        buffer = null;
      }
      return;
    }
    synchronized (this) {
      state = State.WRITING;
    }
    ch.suspendReads();
    shrinkSmallChunk();
    handOff(end);
  }

  /**
   * A few bytes from a slow or stalled client travel in a buffer of their own size, and the pooled
   * buffer goes back at once: thousands of such clients then hold kilobytes, not 256 KiB each.
   */
  private void shrinkSmallChunk() {
    if (buffer != null && buffer.isDirect() && buffer.position() < SMALL_CHUNK) {
      ByteBuffer small = ByteBuffer.allocate(buffer.position());
      buffer.flip();
      small.put(buffer);
      pool.release(buffer);
      buffer = small;
    }
  }

  /** Reads until the buffer is full or nothing is available; null means "wait for more". */
  private End read(StreamSourceChannel ch) {
    while (true) {
      int n;
      try {
        n = ch.read(buffer);
      } catch (IOException e) {
        readError = e;
        return End.GONE;
      }
      if (n < 0) {
        return End.EOF;
      }
      if (!buffer.hasRemaining()) {
        return End.MORE;
      }
      if (n == 0) {
        return buffer.position() > 0 ? End.MORE : null;
      }
    }
  }

  private void handOff(End end) {
    executor.execute(() -> writeThenContinue(end));
  }

  private void writeThenContinue(End end) {
    try {
      boolean overflow = writeBuffered();
      if (overflow) {
        finishWith(
            new TusException(
                ErrorCode.UPLOAD_SIZE_EXCEEDED,
                "the body is longer than the upload's remaining length allows"));
        return;
      }
      if (stopAt.test(session.offset())) {
        finishWith(new TusException(ErrorCode.UPLOAD_STOPPED, "the upload was stopped by the server"));
        return;
      }
    } catch (Throwable t) {
      finishWith(t);
      return;
    }
    if (end != End.MORE) {
      finish(end);
      return;
    }
    if (lastChunk < pool.bufferSize() / 4) {
      // a short read that drained the socket: the client is slow or stalled, so the store may
      // let go of what it holds (an open file) until more bytes arrive
      try {
        session.idle();
      } catch (Throwable t) {
        finishWith(t);
        return;
      }
    }
    synchronized (this) {
      if (stopRequested) {
        finish(End.STOP);
        return;
      }
      state = State.READING;
    }
    channel.wakeupReads();
  }

  /** Writes the buffered bytes within the allowance; true if the body exceeded it. */
  private boolean writeBuffered() throws IOException {
    if (buffer == null) {
      return false;
    }
    try {
      buffer.flip();
      lastChunk = buffer.remaining();
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
      buffer = null;
    }
  }

  private void finish(End end) {
    switch (end) {
      case EOF -> Guarded.run(exchange, this::complete);
      case STOP -> finishWith(stopped());
      default -> finishWith(new ClientGoneException(readError == null ? new IOException("closed") : readError));
    }
  }

  private void complete() throws Exception {
    synchronized (this) {
      state = State.DONE;
    }
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

  private void finishWith(Throwable error) {
    synchronized (this) {
      state = State.DONE;
    }
    if (buffer != null) {
      pool.release(buffer);
      buffer = null;
    }
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
}
