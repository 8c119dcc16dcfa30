package dev.tusk.server.expiry;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps a background scan to a share of one core, so that a full scan of a large store does not
 * compete with the requests the server answers meanwhile: the scan calls {@link #tick()} once per
 * item, and after each stretch of work the pacer rests long enough that the work takes at most
 * {@code share} of the scan's wall time. The scan takes longer; a request served during it sees a
 * busy core for at most one stretch.
 *
 * <p>Work is measured as wall time since the last rest, so a scan descheduled by a busy machine
 * rests as if it had worked: it backs off further when the machine is loaded, which is the point.
 * Not thread-safe: one scan uses one pacer at a time.
 */
final class ScanPacer {
  /** How many items pass between two looks at the time. */
  static final int ITEMS_PER_LOOK = 256;

  /** Sleeps for a number of nanoseconds; a seam for tests. */
  @FunctionalInterface
  interface Rest {
    void rest(long nanos) throws InterruptedException;
  }

  private final double share;
  private final long stretchNanos;
  private final LongSupplier nanoTime;
  private final Rest rest;
  private long items;
  private long stretchStart;
  private boolean started;

  /**
   * @param share the largest share of wall time the scan works, in (0, 1]; 1 never rests
   * @param stretchNanos how long the scan works before it rests
   */
  ScanPacer(double share, long stretchNanos, LongSupplier nanoTime, Rest rest) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1]: " + share);
    }
    if (stretchNanos <= 0) {
      throw new IllegalArgumentException("stretch must be positive: " + stretchNanos);
    }
    this.share = share;
    this.stretchNanos = stretchNanos;
    this.nanoTime = nanoTime;
    this.rest = rest;
  }

  /** A pacer that never rests (a scan someone waits for). */
  static ScanPacer unpaced() {
    return new ScanPacer(1, Long.MAX_VALUE, System::nanoTime, nanos -> {});
  }

  /** A pacer of the background repair: a fifth of a core, in stretches of 50 ms. */
  static ScanPacer background() {
    return new ScanPacer(0.2, 50_000_000L, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  /**
   * Counts one item, and rests when the stretch is over.
   *
   * @throws InterruptedIOException when the thread is interrupted while resting (the server is
   *     stopping); the scan should end
   */
  void tick() throws InterruptedIOException {
    if (share >= 1) {
      return;
    }
    if (!started) {
      stretchStart = nanoTime.getAsLong();
      started = true;
    }
    if (++items % ITEMS_PER_LOOK != 0) {
      return;
    }
    long worked = nanoTime.getAsLong() - stretchStart;
    if (worked < stretchNanos) {
      return;
    }
    long pause = (long) (worked * (1 - share) / share);
    try {
      rest.rest(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("scan stopped while resting");
    }
    stretchStart = nanoTime.getAsLong();
  }
}
