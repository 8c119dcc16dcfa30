package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Problems;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;

/** How a body-carrying tus request ends when its body did not complete normally. */
final class PatchOutcome {
  private PatchOutcome() {}

  /**
   * Closes the connection of a client that went away; otherwise answers the error. A request
   * whose body was not read to the end cannot keep its connection.
   */
  static void fail(HttpServerExchange exchange, Throwable error) {
    if (error instanceof BodyPump.ClientGoneException) {
      try {
        exchange.getConnection().close();
      } catch (IOException ignored) {
        // already closed
      }
      return;
    }
    TusException tus = Problems.classify(error);
    if (tus.code() != ErrorCode.CHECKSUM_MISMATCH && tus.code() != ErrorCode.INVALID_CHECKSUM_HEADER) {
      exchange.setPersistent(false);
    }
    Problems.send(exchange, tus);
  }

  /** Default failure handling that ignores the state after the failure. */
  static void failed(HttpServerExchange exchange, Throwable error, UploadInfo ignored) {
    fail(exchange, error);
  }
}
