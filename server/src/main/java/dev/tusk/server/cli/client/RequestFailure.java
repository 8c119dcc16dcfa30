package dev.tusk.server.cli.client;

import java.util.Optional;

/**
 * A request that did not do what the client asked: a network error (status 0) or an answer the
 * client does not accept. {@link #retryable()} says whether trying again may help: network errors
 * the statuses of {@link Retries#retryable(int)}, and a PATCH that another request for the same
 * upload took over ({@link Retries#INTERRUPTED}).
 */
final class RequestFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Optional<String> retryAfter;

  RequestFailure(int status, String message, Optional<String> retryAfter) {
    this(status, null, message, retryAfter);
  }

  /** With the {@code code} of a problem+json body ({@code ERR_…}), or null. */
  RequestFailure(int status, String code, String message, Optional<String> retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  static RequestFailure network(Exception cause) {
    String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    RequestFailure f = new RequestFailure(0, "network error: " + what, Optional.empty());
    f.initCause(cause);
    return f;
  }

  /** The HTTP status, or 0 when no answer came. */
  int status() {
    return status;
  }

  boolean retryable() {
    return status == 0 || Retries.retryable(status) || Retries.INTERRUPTED.equals(code);
  }

  /** The server's {@code Retry-After} header, if it sent one. */
  Optional<String> retryAfter() {
    return retryAfter;
  }
}
