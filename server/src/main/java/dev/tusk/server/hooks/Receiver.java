package dev.tusk.server.hooks;

/**
 * Delivers one hook request to one receiver and returns its answer. Implementations are
 * thread-safe and block for at most their configured timeout (plus process clean-up).
 */
interface Receiver {
  /** The receiver's configured name (outbox files, metrics, logs). */
  String name();

  /** How long one call may take. */
  java.time.Duration timeout();

  /**
   * Sends {@code invocation} once.
   *
   * @return the parsed answer; {@link HookResponse#EMPTY} for an empty one
   * @throws HookFailure if no usable answer came back; for a notification, a delivered event
   *     whose answer is unreadable still returns (the answer is then {@link HookResponse#EMPTY})
   */
  HookResponse call(Invocation invocation) throws HookFailure;
}
