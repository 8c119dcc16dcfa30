package dev.tusk.server.expiry;

import dev.tusk.core.ExpiryIndex;
import dev.tusk.core.Locker;
import dev.tusk.core.NamedThreads;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.server.metrics.TuskMetrics;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.uploads.UploadService;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiry work of one server: the sweep on the server's scheduler every {@code
 * sweep-interval}, and the expiry index repair on a thread of its own ({@code
 * tusk-expiry-repair-1}), once at start (in the background: readiness does not wait) and then every
 * {@code expiry.repair-interval}, paced to a fifth of a core ({@link ScanPacer}). Both are timed into the metrics; a failed run is logged and the
 * next one tries again.
 *
 * <p>A store that cannot list or delete uploads gets no sweep; a store without an {@link
 * ExpiryIndex} is swept by listing every upload and gets no repair.
 */
public final class ExpiryJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryJobs.class);

  private final ExpirySweeper sweeper;
  private final ExpiryRepair repair;
  /** Runs the repair, which may take minutes, apart from the sweeps and timers. */
  private final ScheduledExecutorService repairs =
      new ScheduledThreadPoolExecutor(1, NamedThreads.daemon("expiry-repair"));
  private final TuskMetrics metrics;
  private final Clock clock;
  private volatile ScheduledFuture<?> sweeps;

  public ExpiryJobs(
      StoreCapabilities capabilities,
      UploadService uploads,
      Locker locker,
      Duration lockWait,
      UploadPolicy policies,
      TuskMetrics metrics,
      Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
    ExpiryIndex index = capabilities.get(ExpiryIndex.class).orElse(null);
    this.sweeper =
        capabilities.lister().isPresent() && capabilities.terminator().isPresent()
            ? new ExpirySweeper(uploads, capabilities.lister().get(), index,
                capabilities.terminator().get(), locker, lockWait, policies)
            : null;
    this.repair =
        sweeper != null && index != null
            ? new ExpiryRepair(capabilities.store(), capabilities.lister().get(), index)
            : null;
  }

  /** Schedules the sweeps on {@code scheduler} and the repair on its own thread. */
  public void start(
      ScheduledExecutorService scheduler, Duration sweepInterval, Duration repairInterval) {
    long every = sweepInterval.toMillis();
    if (sweeper != null) {
      sweeps =
          scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    if (repair != null) {
      repairs.scheduleWithFixedDelay(
          this::repairQuietly, 0, repairInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Stops scheduling sweeps (a sweep already running finishes). */
  public void stopSweeps() {
    ScheduledFuture<?> scheduled = sweeps;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  /** Runs one expiry sweep now (as the schedule does); returns how many uploads were deleted. */
  public int sweepExpired() throws IOException {
    if (sweeper == null) {
      return 0;
    }
    long start = System.nanoTime();
    boolean ok = false;
    try {
      Sweep sweep = sweeper.sweep();
      ok = true;
      if (sweep.swept()) {
        metrics.sweepWork(sweep.examined(), sweep.deleted(), sweep.storeCalls());
      }
      return (int) Math.min(Integer.MAX_VALUE, sweep.deleted());
    } finally {
      metrics.sweep(System.nanoTime() - start, ok, clock.millis());
    }
  }

  /**
   * Runs one scan of the expiry index repair now, as fast as it goes (the scheduled scans are
   * paced); returns how many missing entries it wrote.
   */
  public int repairExpiryIndex() throws IOException {
    return repairExpiryIndex(ScanPacer.unpaced());
  }

  private int repairExpiryIndex(ScanPacer pacer) throws IOException {
    if (repair == null) {
      return 0;
    }
    long start = System.nanoTime();
    int written;
    try {
      written = repair.repairOnce(pacer);
    } catch (InterruptedIOException stopping) {
      throw stopping; // the server stopped the scan: neither a run nor a failure of the store
    } catch (IOException | RuntimeException e) {
      metrics.repair(System.nanoTime() - start, false, 0);
      throw e;
    }
    metrics.repair(System.nanoTime() - start, true, written);
    return written;
  }

  private void repairQuietly() {
    try {
      int written = repairExpiryIndex(ScanPacer.background());
      LOG.atInfo().addKeyValue("event", "expiry_repaired").addKeyValue("written", written)
          .log("expiry index checked");
    } catch (InterruptedIOException stopping) {
      LOG.atDebug().addKeyValue("event", "expiry_repair_stopped").log("expiry index scan stopped");
    } catch (Exception e) {
      LOG.atWarn().addKeyValue("event", "expiry_repair_failed").addKeyValue("error", e.toString())
          .log("expiry index repair failed");
    }
  }

  private void sweepQuietly() {
    try {
      sweepExpired();
    } catch (Exception e) {
      LOG.atWarn().addKeyValue("event", "sweep_failed").addKeyValue("error", e.toString())
          .log("sweep failed");
    }
  }

  /** Stops the repair thread at once (a scan in progress is interrupted). */
  @Override
  public void close() {
    stopSweeps();
    repairs.shutdownNow();
  }
}
