package dev.tusk.server.health;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the store has been failing, from the outcome of the store calls requests make. A call
 * that fails because the store is unavailable ({@link ErrorCode#STORAGE_UNAVAILABLE}, 503) or full
 * (507) marks the store failing; any later call that succeeds clears the mark. {@link Readiness}
 * consults it, so {@code /health/ready} reports not ready while the store keeps failing, and ready
 * again by itself: at once when a call succeeds, or once no call has failed for {@link #HOLD}
 * (a server taken out of the load balancer's rotation gets no calls that could succeed), provided
 * the store's own probe passes.
 *
 * <p>Failures that say nothing about the store's health (a request's own 4xx, such as a mismatched
 * offset) count as the store answering. Time comes from the injected clock. Thread-safe,
 * lock-free; never blocks.
 */
public final class StoreHealth {
  /** How long a failure keeps the store marked failing when no call succeeds after it. */
  public static final Duration HOLD = Duration.ofSeconds(5);

  /** The kind of a failed store call; its {@link #tag()} is a metric tag. */
  public enum Kind {
    /** The store cannot be reached or answers with its own trouble (503). */
    UNAVAILABLE,
    /** The store has no room left (507). */
    FULL,
    /** The store did not answer within the store timeout (503). */
    TIMEOUT,
    /** Any other failure (a bug, a corrupt record: 500). */
    OTHER;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record Failure(Kind kind, String detail, long atMillis) {}

  private final Clock clock;
  private final AtomicReference<Failure> failing = new AtomicReference<>();
  private final AtomicLong lastSuccessMillis;

  public StoreHealth(Clock clock) {
    this.clock = clock;
    this.lastSuccessMillis = new AtomicLong(clock.millis());
  }

  /** Records a store call that succeeded: clears the failing mark. */
  public void succeeded() {
    lastSuccessMillis.set(clock.millis());
    if (failing.get() != null) {
      failing.set(null);
    }
  }

  /**
   * Records a store call that threw {@code failure}. Returns its kind, or empty if it is not a
   * store error (a client error the store answered with, which counts as a success).
   */
  public Optional<Kind> failed(Throwable failure) {
    Optional<Kind> kind = kindOf(failure);
    if (kind.isEmpty()) {
      succeeded();
    } else if (kind.get() != Kind.OTHER) {
      failing.set(new Failure(kind.get(), failure.getMessage(), clock.millis()));
    }
    return kind;
  }

  /** Why the store counts as failing now, or empty if it does not. */
  public Optional<String> problem() {
    Failure f = failing.get();
    if (f == null || clock.millis() - f.atMillis() >= HOLD.toMillis()) {
      return Optional.empty();
    }
    return Optional.of("store " + (f.kind() == Kind.FULL ? "full" : "unavailable") + ": " + f.detail());
  }

  /** Time since a store call last succeeded (since start-up if none has yet). */
  public Duration sinceLastSuccess() {
    return Duration.ofMillis(Math.max(0, clock.millis() - lastSuccessMillis.get()));
  }

  /**
   * The kind of a store failure: empty for a 4xx, {@link Kind#FULL} for a 507, {@link
   * Kind#TIMEOUT} for {@link ErrorCode#STORAGE_UNAVAILABLE} caused by a {@link TimeoutException},
   * {@link Kind#UNAVAILABLE} for any other 503, {@link Kind#OTHER} for the rest.
   */
  public static Optional<Kind> kindOf(Throwable failure) {
    if (!(failure instanceof TusException tus)) {
      return Optional.of(Kind.OTHER);
    }
    int status = tus.code().status();
    if (status < 500) {
      return Optional.empty();
    }
    if (status == 507) {
      return Optional.of(Kind.FULL);
    }
    if (tus.code() == ErrorCode.STORAGE_UNAVAILABLE) {
      for (Throwable t = tus.getCause(); t != null; t = t.getCause()) {
        if (t instanceof TimeoutException) {
          return Optional.of(Kind.TIMEOUT);
        }
      }
      return Optional.of(Kind.UNAVAILABLE);
    }
    return Optional.of(Kind.OTHER);
  }
}
