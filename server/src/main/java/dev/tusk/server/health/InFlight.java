package dev.tusk.server.health;

import dev.tusk.core.ErrorCode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The request bodies being pumped into uploads right now (PATCH and creation-with-upload), each
 * with a way to ask it to stop. On shutdown {@link #stopAll} asks every one of them, and every one
 * registered later, to commit what it has and end. Thread-safe.
 */
public final class InFlight {
  private final Set<Consumer<ErrorCode>> active = ConcurrentHashMap.newKeySet();
  private volatile ErrorCode stopping;

  /**
   * Registers a body; {@code stop} is called (on any thread, maybe more than once) to end it.
   *
   * @return unregisters the body; call when its exchange completes
   */
  public Runnable track(Consumer<ErrorCode> stop) {
    active.add(stop);
    ErrorCode reason = stopping;
    if (reason != null) {
      stop.accept(reason);
    }
    return () -> active.remove(stop);
  }

  /** Bodies registered and not yet unregistered. */
  public int size() {
    return active.size();
  }

  /** Asks every body, present and future, to stop with {@code reason}. */
  public void stopAll(ErrorCode reason) {
    stopping = reason;
    for (Consumer<ErrorCode> stop : active) {
      stop.accept(reason);
    }
  }
}
