package dev.tusk.server.hooks;

/**
 * A hook call that did not produce an answer: the receiver could not be reached, timed out,
 * answered with a non-2xx status or a non-zero exit code, or answered something unreadable.
 */
final class HookFailure extends Exception {
  /** What went wrong, which decides whether trying again can help. */
  enum Kind { CONNECT, IO, TIMEOUT, SERVER_ERROR, CLIENT_ERROR, EXIT_CODE, BAD_RESPONSE }

  private final Kind kind;
  private final int status;

  HookFailure(Kind kind, int status, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
  }

  HookFailure(Kind kind, String message) {
    this(kind, 0, message);
  }

  Kind kind() {
    return kind;
  }

  /** The receiver's HTTP status, 0 if it did not answer one. */
  int status() {
    return status;
  }

  /** Blocking hooks retry only what a quick second attempt may fix: connection errors and 5xx. */
  boolean retryableNow() {
    return kind == Kind.CONNECT || kind == Kind.IO || kind == Kind.SERVER_ERROR;
  }

  /**
   * Notifications retry everything except a receiver's explicit, lasting refusal: a 4xx other
   * than 408, 409, 425 and 429.
   */
  boolean permanent() {
    return kind == Kind.CLIENT_ERROR && status != 408 && status != 409 && status != 425 && status != 429;
  }

  /** A short low-cardinality reason for metrics. */
  String reason() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
