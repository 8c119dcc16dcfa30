package dev.tusk.server.hooks;

import dev.tusk.server.hooks.BlockingCalls.Result;
import dev.tusk.server.hooks.Outbox.Entry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox's notifications at least once: each ready entry is sent to its receiver,
 * deleted after a 2xx (or exit 0), and otherwise retried with exponential backoff until it is
 * older than the give-up age or the receiver refuses it for good (then it goes to {@code dead/}).
 * On start every ready entry is sent again and every pending one is resolved (promoted or
 * dropped, see {@link PendingRule}); pending entries the request never released are resolved the
 * same way after a minute. Thread-safe.
 */
final class Deliverer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
  static final Duration PENDING_GRACE = Duration.ofMinutes(1);

  /** Decides a pending entry whose request never released it: true promote, false drop. */
  interface PendingRule {
    boolean promote(Entry entry) throws IOException;
  }

  /** Acts on a delivered notification's answer (post-finish ProcessingStatus). */
  interface Answered {
    void accept(Entry entry, HookResponse response) throws IOException;
  }

  private final Outbox outbox;
  private final Map<String, Receiver> receivers;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final Duration giveUpAfter;
  private final Clock clock;
  private final HookMetrics metrics;
  private final PendingRule pendingRule;
  private final Answered answered;
  private final Set<String> orphansWarned = ConcurrentHashMap.newKeySet();

  Deliverer(
      Outbox outbox,
      Map<String, Receiver> receivers,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      Duration giveUpAfter,
      Clock clock,
      HookMetrics metrics,
      PendingRule pendingRule,
      Answered answered) {
    this.outbox = outbox;
    this.receivers = Map.copyOf(receivers);
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.giveUpAfter = giveUpAfter;
    this.clock = clock;
    this.metrics = metrics;
    this.pendingRule = pendingRule;
    this.answered = answered;
  }

  /** Re-sends what a previous run left and starts the periodic pending sweep. */
  void start() throws IOException {
    for (Entry e : outbox.list(false)) {
      ready(e);
    }
    resolvePending(Duration.ZERO);
    long every = PENDING_GRACE.toMillis();
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        resolvePending(PENDING_GRACE);
      } catch (IOException | RuntimeException e) {
        LOG.warn("event=outbox_sweep_failed error={}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  /** Stages entries (durably) for an event that is about to happen. */
  void stage(List<Entry> entries) throws IOException {
    for (Entry e : entries) {
      outbox.write(e, true);
    }
  }

  /** Releases staged entries; those that were not staged are written ready now. */
  void publish(List<Entry> entries) throws IOException {
    for (Entry e : entries) {
      if (!outbox.promote(e)) {
        outbox.write(e, false);
      }
      ready(e);
    }
  }

  /** Drops staged entries of an event that did not happen. */
  void discard(List<Entry> entries) throws IOException {
    for (Entry e : entries) {
      outbox.delete(e, true);
    }
  }

  private void resolvePending(Duration minAge) throws IOException {
    for (Entry e : outbox.list(true)) {
      if (Duration.between(e.createdAt(), clock.instant()).compareTo(minAge) < 0) {
        continue;
      }
      if (pendingRule.promote(e)) {
        if (outbox.promote(e)) {
          ready(e);
        }
      } else {
        outbox.delete(e, true);
        LOG.info("event=outbox_pending_dropped type={} eventId={} upload={}", e.type(), e.eventId(), e.uploadId());
      }
    }
  }

  private void ready(Entry e) {
    metrics.queued(e.type(), 1);
    schedule(e, 0, Duration.ZERO);
  }

  private void schedule(Entry e, int attempt, Duration delay) {
    try {
      scheduler.schedule(() -> attempt(e, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // shutting down: the file stays and is sent after the next start
    }
  }

  private void attempt(Entry waiting, int attempt) {
    Entry e;
    try {
      e = waiting.request() != null ? waiting : outbox.reload(waiting).orElse(null);
    } catch (IOException ex) {
      LOG.warn("event=outbox_io_failed type={} eventId={} error={}", waiting.type(), waiting.eventId(), ex.toString());
      schedule(waiting, attempt + 1, backoff.delay(attempt, ThreadLocalRandom.current().nextDouble()));
      return;
    }
    if (e == null) { // delivered or buried meanwhile
      metrics.queued(waiting.type(), -1);
      return;
    }
    Receiver receiver = receivers.get(e.receiver());
    if (receiver == null) {
      if (orphansWarned.add(e.receiver())) {
        LOG.warn("event=outbox_orphaned receiver={} dir={} (no receiver of that name is configured)",
            e.receiver(), outbox.dir());
      }
      metrics.queued(e.type(), -1);
      return;
    }
    Result result = BlockingCalls.once(receiver, new Invocation(e.type(), e.eventId(), e.request()), metrics);
    try {
      if (result.ok()) {
        answered.accept(e, result.response());
        outbox.delete(e, false);
        metrics.queued(e.type(), -1);
        metrics.delivery(e.type(), e.receiver(), "delivered");
        LOG.debug("event=hook_delivered type={} receiver={} eventId={}", e.type(), e.receiver(), e.eventId());
        return;
      }
      if (result.failure().permanent() || Duration.between(e.createdAt(), clock.instant()).compareTo(giveUpAfter) > 0) {
        outbox.bury(e);
        metrics.queued(e.type(), -1);
        metrics.delivery(e.type(), e.receiver(), "dead");
        LOG.error("event=hook_given_up type={} receiver={} eventId={} upload={} attempts={} error={}",
            e.type(), e.receiver(), e.eventId(), e.uploadId(), attempt + 1, result.failure().getMessage());
        return;
      }
    } catch (IOException | RuntimeException ex) {
      LOG.warn("event=outbox_io_failed type={} eventId={} error={}", e.type(), e.eventId(), ex.toString());
    }
    Duration delay = backoff.delay(attempt, ThreadLocalRandom.current().nextDouble());
    metrics.delivery(e.type(), e.receiver(), "retried");
    LOG.warn("event=hook_retry type={} receiver={} eventId={} attempt={} nextInMs={} error={}",
        e.type(), e.receiver(), e.eventId(), attempt + 1, delay.toMillis(),
        result.ok() ? "answer could not be applied" : result.failure().getMessage());
    schedule(e.light(), attempt + 1, delay);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
