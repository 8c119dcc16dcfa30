package dev.tusk.core;

import java.util.Map;

/**
 * The one exception of the project: an {@link ErrorCode} and a human-readable detail that names
 * what was wrong. Optional extra response headers (e.g. {@code Retry-After}) travel with it.
 */
public final class TusException extends RuntimeException {
  private final ErrorCode code;
  private final Map<String, String> headers;

  public TusException(ErrorCode code, String detail) {
    this(code, detail, Map.of(), null);
  }

  public TusException(ErrorCode code, String detail, Throwable cause) {
    this(code, detail, Map.of(), cause);
  }

  public TusException(ErrorCode code, String detail, Map<String, String> headers, Throwable cause) {
    super(detail, cause, false, cause != null);
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  /** Extra headers to set on the error response. */
  public Map<String, String> headers() {
    return headers;
  }
}
