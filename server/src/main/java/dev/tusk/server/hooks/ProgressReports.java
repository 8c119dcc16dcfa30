package dev.tusk.server.hooks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * post-receive: at most one report per upload per interval, sent in the background so the body
 * pump never waits for a receiver, and never two at once for an upload. A receiver's {@code
 * StopUpload} is remembered and stops the upload at its next stored buffer (in this request or the
 * next PATCH). Best effort: one attempt, no outbox. Thread-safe.
 */
final class ProgressReports {
  private static final class State {
    Instant last;
    boolean inFlight;
    boolean stop;
  }

  private final Duration interval;
  private final Clock clock;
  private final Executor executor;
  private final Function<Invocation, List<BlockingCalls.Result>> send;
  private final Cache<UploadId, State> states =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();

  /**
   * @param send delivers one report to every post-receive receiver (one attempt each)
   */
  ProgressReports(
      Duration interval, Clock clock, Executor executor,
      Function<Invocation, List<BlockingCalls.Result>> send) {
    this.interval = interval;
    this.clock = clock;
    this.executor = executor;
    this.send = send;
  }

  /** True if a receiver asked to stop this upload; otherwise reports progress if one is due. */
  boolean onProgress(UploadInfo info, Function<UploadInfo, Invocation> report) {
    State s = states.get(info.id(), k -> new State());
    Instant now = clock.instant();
    synchronized (s) {
      if (s.stop) {
        s.stop = false;
        return true;
      }
      if (s.inFlight || (s.last != null && now.isBefore(s.last.plus(interval)))) {
        return false;
      }
      s.inFlight = true;
      s.last = now;
    }
    Invocation invocation = report.apply(info);
    try {
      executor.execute(() -> {
        boolean stop = false;
        try {
          stop = send.apply(invocation).stream().anyMatch(r -> r.ok() && r.response().stopUpload());
        } finally {
          synchronized (s) {
            s.inFlight = false;
            s.stop |= stop;
          }
        }
      });
    } catch (RejectedExecutionException e) {
      synchronized (s) {
        s.inFlight = false;
      }
    }
    return false;
  }

  void forget(UploadId id) {
    states.invalidate(id);
  }
}
