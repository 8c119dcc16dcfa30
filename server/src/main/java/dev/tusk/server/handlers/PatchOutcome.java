package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Terminator;
import dev.tusk.server.policy.RequestContext;
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

  /** tusd pre-finish for a request that completed its upload; the upload otherwise. */
  static UploadInfo beforeFinish(TusContext ctx, RequestContext request, UploadInfo info)
      throws IOException {
    return info.isComplete() ? ctx.policy().beforeFinish(request, info) : info;
  }

  /** tusd post-finish for a request that completed its upload. */
  static void afterFinish(TusContext ctx, RequestContext request, UploadInfo info) {
    if (info.isComplete()) {
      ctx.policy().afterFinish(request, info);
    }
  }

  /**
   * A request that failed after its bytes completed the upload (a chunked body running past the
   * length: 413 after the last allowed byte) still finishes it: pre-finish checks such as a
   * link's checksum run, and may terminate the upload, before post-finish is sent. A pre-finish
   * rejection here cannot reach the client, which already gets the request's own error.
   */
  static void finishAfterFailure(TusContext ctx, RequestContext request, UploadInfo after) {
    if (after == null || !after.isComplete()) {
      return;
    }
    try {
      afterFinish(ctx, request, beforeFinish(ctx, request, after));
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(PatchOutcome.class)
          .debug("event=finish_rejected upload={} error={}", after.id(), e.toString());
    }
  }

  /** An upload stopped by the policy (tusd StopUpload) is terminated. */
  static void terminateIfStopped(
      TusContext ctx, RequestContext request, Throwable error, UploadInfo after) throws IOException {
    if (after != null
        && Problems.classify(error).code() == ErrorCode.UPLOAD_STOPPED
        && ctx.uploads().store() instanceof Terminator terminator) {
      terminator.terminate(after);
      ctx.policy().afterTerminate(request, after);
    }
  }
}
