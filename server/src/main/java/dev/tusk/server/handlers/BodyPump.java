package dev.tusk.server.handlers;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.MalformedBodyException;
import dev.tusk.server.protocol.Checksum;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongPredicate;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

/**
 * Moves one request body into an {@link AppendSession} without ever blocking an I/O thread or
 * holding a thread while the client is silent. One task on the storage executor reads the socket
 * and writes the store in turn, with one pooled buffer, for as long as bytes are waiting in the
 * socket: no hand-off between threads per buffer, the same loop as a plain blocking copy. When a
 * read finds nothing, the task writes what it has, lets go of its buffer (and, after a short chunk,
 * of the store's open file) and arms a read listener; the I/O thread then only notices readiness
 * and schedules the task again. A fast client therefore costs one thread doing
 * {@code read}/{@code write} system calls, and a stalled one costs no thread and no buffer. After
 * {@value #SLICE} bytes a task requeues itself, so other storage work is not starved.
 *
 * <p>Ends exactly once, on the storage executor, after every byte read was written: after the
 * body ended and (if asked) the checksum matched, the session is committed and {@link
 * Outcome#completed} runs; on any failure the session is rolled back if it is provisional and
 * committed otherwise ("SHOULD store as much as possible") and {@link Outcome#failed} runs.
 * {@link #requestStop()} (another request wants the upload) ends it early with {@link
 * ErrorCode#UPLOAD_INTERRUPTED}; the bytes already received are kept.
 *
 * <p>Thread-safety: at most one task runs at a time (the {@link Phase}, guarded by this object's
 * monitor, hands the channel and the session between the task and the I/O thread's listener); the
 * buffer, session, digests and allowance belong to the running task. {@code BodyPumpTest} drives
 * each phase and ending through a real exchange.
 *
 * <p>Longer than most classes: the read/write loop, the hand-over to the listener and the four
 * endings share the phase and must be read together; the checksum lives in {@link BodyDigests}.
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

  /** Bytes one task moves before it requeues itself behind other storage work. */
  static final long SLICE = 16L * 1024 * 1024;

  private enum End { EOF, STOP, GONE }

  /**
   * Who holds the channel and the session. NEW → RUNNING (a task reads and writes) ⇄ WAITING (the
   * read listener is armed; no thread, no buffer) → ENDING (no more reads: committing or rolling
   * back) → SETTLED (session closed, lock released, the outcome runs or ran).
   */
  private enum Phase { NEW, RUNNING, WAITING, ENDING, SETTLED }

  private final HttpServerExchange exchange;
  private final StreamSourceChannel channel;
  private final Executor executor;
  private final BufferPool pool;
  private final AppendSession session;
  private final BodyDigests digests;
  private final Outcome outcome;
  private final Runnable settled;
  private final LongPredicate stopAt;

  // the running task only
  private long allowed;

  // guarded by this
  private Phase phase = Phase.NEW;
  private End end; // why the body ended, once known
  private IOException readError; // with End.GONE
  private ErrorCode stopReason; // a stop was requested, for this reason
  private boolean outcomeRan; // the outcome returned (or threw)
  private final List<Runnable> afterOutcome = new ArrayList<>();

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
    this.digests = new BodyDigests(checksum, checksumTrailer);
    this.settled = settled;
    this.stopAt = stopAt;
    this.outcome = outcome;
  }

  /**
   * Starts pumping on the storage executor; may be called from any thread. From now on the
   * exchange's end (the connection closed by the client, the read timeout or the server) ends the
   * pump as a client that went away, even while it waits for bytes that can no longer come.
   */
  public void start() {
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          exchangeEnded();
          next.proceed();
        });
    synchronized (this) {
      if (channel == null) {
        end = End.GONE;
        readError = new IOException("the request body was already taken");
      }
      phase = Phase.RUNNING;
    }
    if (channel != null) {
      channel.getReadSetter().set(this);
    }
    executor.execute(this::pump);
  }

  /**
   * True from {@link #start()} until the session was committed or rolled back and closed and the
   * lock released. While it runs the pump owns the session and the lock: the exchange's own
   * completion (e.g. a disconnect) must leave them to it.
   */
  public synchronized boolean isRunning() {
    return phase != Phase.NEW && phase != Phase.SETTLED;
  }

  /**
   * Runs {@code action} once the pump has ended and its outcome has run, at once if the pump was
   * never started or has ended already; safe from any thread. What the exchange's end would
   * release while the pump runs (the upload's lock) is handed over here, so it is released
   * exactly when the pump no longer needs it, whichever of the two ends first.
   */
  public void afterOutcome(Runnable action) {
    synchronized (this) {
      if (phase != Phase.NEW && !outcomeRan) {
        afterOutcome.add(action);
        return;
      }
    }
    action.run();
  }

  /**
   * The exchange ended while the pump runs: no more bytes can arrive, so a pump waiting for them
   * wakes up and ends as if the client went away (a pump that ended already is not affected).
   */
  private void exchangeEnded() {
    synchronized (this) {
      if (phase == Phase.NEW || ended() || end != null) {
        return;
      }
      end = End.GONE;
      if (readError == null) {
        readError = new IOException("the exchange ended before its body did");
      }
      if (phase == Phase.RUNNING) {
        return; // the running task sees it before its next read
      }
    }
    exchange.getIoThread().execute(this::resume);
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
      if (ended() || end != null) {
        return;
      }
      if (stopReason == null) {
        stopReason = reason;
      }
      if (phase == Phase.RUNNING) {
        return; // the running task sees the request before its next read
      }
    }
    exchange.getIoThread().execute(this::resume); // a pump waiting for bytes wakes up to end
  }

  /** On the I/O thread: bytes arrived (or the connection ended); the task takes over again. */
  @Override
  public void handleEvent(StreamSourceChannel ch) {
    resume();
  }

  /** On the I/O thread: schedules the task if it was waiting for the listener. */
  private void resume() {
    if (take()) {
      executor.execute(this::pump);
    }
  }

  /**
   * Disarms the listener; true if the caller must now schedule the task. Reads are suspended
   * under the monitor, like {@link #await()} resumes them, so a late event cannot suspend the
   * reads of a task that has just armed.
   */
  private boolean take() {
    synchronized (this) {
      if (channel != null) {
        channel.suspendReads();
      }
      if (phase != Phase.WAITING) {
        return false;
      }
      phase = Phase.RUNNING;
      return true;
    }
  }

  private enum Read { NOTHING, PARTIAL, FULL, EOF, FAILED }

  /** The task. Its last step (ending the request) runs after its buffer went back to the pool. */
  private void pump() {
    Runnable last;
    try {
      last = move();
    } catch (Throwable t) {
      last = () -> finishWith(t);
    }
    if (last != null) {
      last.run();
    }
  }

  /**
   * Reads and writes until the socket has nothing more for now (then the listener is armed), a
   * slice is used up (then the task requeues), or the request must end: returns how, or null.
   */
  private Runnable move() throws IOException {
    long moved = 0;
    int last = 0; // bytes of the last write
    ByteBuffer buffer = null; // set to null before the listener or a requeued task may run
    try {
      while (true) {
        End ended;
        synchronized (this) {
          if (ended()) {
            return null;
          }
          if (stopReason != null && end == null) {
            end = End.STOP;
          }
          ended = end;
        }
        if (ended != null) {
          return () -> finish(ended);
        }
        if (buffer == null) {
          buffer = pool.acquire();
        }
        Read result = read(buffer);
        int size = buffer.position();
        if (size > 0) {
          if (write(buffer)) {
            return () -> finishWith(new TusException(ErrorCode.UPLOAD_SIZE_EXCEEDED,
                "the body is longer than the upload's remaining length allows"));
          }
          if (stopAt.test(session.offset())) {
            return () -> finishWith(
                new TusException(ErrorCode.UPLOAD_STOPPED, "the upload was stopped by the server"));
          }
          moved += size;
        }
        switch (result) {
          case EOF, FAILED -> {
            synchronized (this) {
              if (end == null) {
                end = result == Read.EOF ? End.EOF : End.GONE;
              }
            }
          }
          case NOTHING -> {
            pool.release(buffer);
            buffer = null;
            if (last > 0 && last < pool.bufferSize() / 4) {
              session.idle(); // a slow or stalled client: let go of the open file meanwhile
            }
            if (await()) {
              return null;
            }
          }
          case FULL, PARTIAL -> {
            // PARTIAL: the socket ran dry, but more has likely arrived while this was written
            last = size;
            if (moved >= SLICE) {
              pool.release(buffer);
              buffer = null;
              executor.execute(this::pump);
              return null;
            }
          }
        }
      }
    } finally {
      if (buffer != null) {
        pool.release(buffer);
      }
    }
  }

  /**
   * Arms the read listener unless the pump must end; true if the task should return (the listener
   * schedules it again), false if it should loop on (to end).
   */
  private boolean await() {
    synchronized (this) {
      if (ended() || stopReason != null || end != null) {
        return false;
      }
      phase = Phase.WAITING;
      channel.resumeReads();
      return true;
    }
  }

  /** Reads until the buffer is full, nothing more is available, the body ended or reading failed. */
  private Read read(ByteBuffer buffer) {
    while (true) {
      int n;
      try {
        n = channel.read(buffer);
      } catch (IOException e) {
        synchronized (this) {
          readError = e;
        }
        return Read.FAILED;
      }
      if (n < 0) {
        return Read.EOF;
      }
      if (!buffer.hasRemaining()) {
        return Read.FULL;
      }
      if (n == 0) {
        return buffer.position() > 0 ? Read.PARTIAL : Read.NOTHING;
      }
    }
  }

  /** Writes the buffer's bytes within the allowance and clears it; true if the body exceeded it. */
  private boolean write(ByteBuffer buffer) throws IOException {
    buffer.flip();
    boolean overflow = buffer.remaining() > allowed;
    if (overflow) {
      buffer.limit(buffer.position() + (int) allowed);
    }
    allowed -= buffer.remaining();
    digests.update(buffer);
    while (buffer.hasRemaining()) {
      session.write(buffer);
    }
    buffer.clear();
    return overflow;
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
        finishWith(
            cause instanceof MalformedBodyException malformed
                ? malformed.problem()
                : new ClientGoneException(cause));
      }
    }
  }

  private void complete() throws Exception {
    markDone();
    UploadInfo info;
    try {
      digests.verify(exchange);
      info = session.commit();
    } catch (Throwable t) {
      settleAfterFailure(t);
      return;
    }
    settle();
    try {
      outcome.completed(info);
    } finally {
      outcomeRan();
    }
  }

  private synchronized TusException stopped() {
    return stopReason == ErrorCode.UPLOAD_INTERRUPTED
        ? new TusException(stopReason, "another request for this upload took over; resume from its offset")
        : new TusException(stopReason, "the server is shutting down; the bytes received are stored, resume from the upload's offset");
  }

  /** True once the body ended: no more reads or writes. */
  private boolean ended() {
    return phase == Phase.ENDING || phase == Phase.SETTLED;
  }

  /** No more reads or writes. */
  private void markDone() {
    synchronized (this) {
      phase = Phase.ENDING;
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
      if (digests.verifies()) {
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
    } finally {
      outcomeRan();
    }
  }

  /** Runs what waited for the outcome ({@link #afterOutcome}). */
  private void outcomeRan() {
    List<Runnable> actions;
    synchronized (this) {
      outcomeRan = true;
      actions = List.copyOf(afterOutcome);
      afterOutcome.clear();
    }
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(BodyPump.class)
            .warn("event=after_body_failed error={}", e.toString());
      }
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
      phase = Phase.SETTLED;
    }
  }
}
