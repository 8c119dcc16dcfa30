package dev.tusk.server.http;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.io.IOException;

/**
 * A request body whose framing is broken (a chunked body that does not follow RFC 9112 7.1): the
 * client's mistake, answered with 400 {@link ErrorCode#MALFORMED_BODY}, not a client that went
 * away. Thrown by reads of the request channel; the connection is still open for the answer.
 */
public final class MalformedBodyException extends IOException {
  private final String what;

  MalformedBodyException(String what, Throwable cause) {
    super("malformed request body: " + what, cause);
    this.what = what;
  }

  /** The problem to answer with. */
  public TusException problem() {
    return new TusException(
        ErrorCode.MALFORMED_BODY,
        "the chunked request body is malformed (" + what + "); the bytes before it are stored");
  }
}
