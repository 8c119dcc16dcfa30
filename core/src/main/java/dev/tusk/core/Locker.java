package dev.tusk.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One writer per upload. A requester that finds the upload held asks the holder to let go (the
 * holder's {@code onReleaseRequested} runs, it commits what it has and releases); the requester
 * gets the lock as soon as it is free, or fails after {@code maxWait}.
 *
 * <p>Thread-safe. Methods never block: they return futures completed from the locker's own
 * threads or the releasing thread. Futures fail with {@link TusException} {@link
 * ErrorCode#UPLOAD_LOCKED} after the wait, or {@link ErrorCode#LOCKER_UNAVAILABLE} when the lock
 * service cannot be reached.
 */
public interface Locker {

  /**
   * Acquires the exclusive lock of {@code id}.
   *
   * @param onReleaseRequested called (on any thread, possibly more than once) while this lock is
   *     held and another request wants the upload; the holder should stop and release soon
   */
  CompletableFuture<Lock> lock(UploadId id, Duration maxWait, Runnable onReleaseRequested);

  /**
   * Completes once nobody holds {@code id}, asking a current holder to let go; used by requests
   * that only read (HEAD) so they never queue behind one another. Completes at once if free.
   */
  CompletableFuture<Void> awaitReleased(UploadId id, Duration maxWait);

  /**
   * A cheap check for the readiness probe: throws if the lock service cannot be reached or this
   * instance would not hear release requests. The in-process locker is always ready.
   */
  default void probe() throws java.io.IOException {}

  /** A held lock. */
  interface Lock extends AutoCloseable {
    /** Releases the lock; idempotent, never throws. */
    @Override
    void close();
  }
}
