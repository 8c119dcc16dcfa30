package dev.tusk.core;

import java.util.Map;
import java.util.Optional;

/**
 * The one exception of the project: an {@link ErrorCode} and a human-readable detail that names
 * what was wrong. Optional extra response headers (e.g. {@code Retry-After}) travel with it. A
 * hook receiver's rejection may also choose the response's status and body ({@link #withResponse}).
 */
public final class TusException extends RuntimeException {
  private final ErrorCode code;
  private final Map<String, String> headers;
  private final int status;
  private final String body;

  public TusException(ErrorCode code, String detail) {
    this(code, detail, Map.of(), null);
  }

  public TusException(ErrorCode code, String detail, Throwable cause) {
    this(code, detail, Map.of(), cause);
  }

  public TusException(ErrorCode code, String detail, Map<String, String> headers, Throwable cause) {
    this(code, detail, headers, code.status(), null, cause);
  }

  private TusException(
      ErrorCode code, String detail, Map<String, String> headers, int status, String body,
      Throwable cause) {
    super(detail, cause, false, cause != null);
    this.code = code;
    this.headers = Map.copyOf(headers);
    this.status = status;
    this.body = body;
  }

  /**
   * An error whose response someone outside the server chose (a hook receiver's {@code
   * HTTPResponse}): {@code status} (400..599) replaces the code's, and a non-empty {@code body} is
   * sent verbatim instead of the problem document. The code still names the failure in logs.
   */
  public static TusException withResponse(
      ErrorCode code, String detail, int status, Map<String, String> headers, String body) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status must be 400..599, was " + status);
    }
    return new TusException(
        code, detail, headers, status, body == null || body.isEmpty() ? null : body, null);
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  /** The HTTP status to answer: the code's, unless {@link #withResponse} chose another. */
  public int status() {
    return status;
  }

  /** A body to send verbatim instead of the problem document, if one was chosen. */
  public Optional<String> body() {
    return Optional.ofNullable(body);
  }

  /** Extra headers to set on the error response. */
  public Map<String, String> headers() {
    return headers;
  }
}
