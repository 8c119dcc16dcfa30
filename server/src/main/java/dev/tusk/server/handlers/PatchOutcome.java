package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Terminator;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.Problems;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.policy.RequestContext;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Optional;

/** How a body-carrying tus request ends when its body did not complete normally. */
final class PatchOutcome {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PatchOutcome.class);

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

  /**
   * Ends a creation-with-upload whose body failed. The client learns an upload's URL only from a
   * 2xx, so the server's own trouble (5xx: storage full or unavailable, shutdown) must not leave an
   * upload it cannot find: if the bytes received were committed, the creation succeeds with what
   * was stored (201, {@code Upload-Offset}, the client resumes from there); if not, the upload is
   * terminated and the error answered. Other failures are answered as for a PATCH.
   */
  static void failCreation(
      TusContext ctx, HttpServerExchange exchange, RequestContext request, Throwable error,
      UploadInfo created, UploadInfo after) throws IOException {
    TusException tus = Problems.classify(error);
    if (error instanceof BodyPump.ClientGoneException || tus.status() < 500) {
      fail(exchange, error);
      return;
    }
    if (after != null) {
      LOG.warn(
          "event=creation_body_failed upload={} code={} stored={} detail={}",
          after.id(), tus.code().code(), after.offset(), tus.detail());
      exchange.setPersistent(false); // the rest of the body is not read
      exchange.getResponseHeaders().put(TusHeaders.UPLOAD_OFFSET, after.offset());
      exchange.setStatusCode(201);
      Exchanges.end(exchange);
      return;
    }
    Optional<Terminator> terminator = ctx.uploads().capabilities().terminator();
    if (terminator.isPresent()) {
      try {
        terminator.get().terminate(created);
        ctx.policy().afterTerminate(request, created);
      } catch (IOException | RuntimeException e) {
        error.addSuppressed(e);
      }
    }
    exchange.getResponseHeaders().remove(io.undertow.util.Headers.LOCATION);
    exchange.getResponseHeaders().remove(TusHeaders.UPLOAD_EXPIRES);
    fail(exchange, error);
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
        && ctx.uploads().capabilities().terminator().isPresent()) {
      ctx.uploads().capabilities().terminator().get().terminate(after);
      ctx.policy().afterTerminate(request, after);
    }
  }

  /** Deletes a half-received upload; a store that cannot delete gets it expired instead. */
  static void discard(TusContext ctx, UploadInfo info) {
    try {
      Optional<Terminator> terminator = ctx.uploads().capabilities().terminator();
      if (terminator.isPresent()) {
        terminator.get().terminate(info);
      } else {
        ctx.uploads().store().update(info.withExpiresAt(ctx.uploads().now()));
      }
    } catch (Exception e) {
      LOG.warn("event=discard_failed id={} error={}", info.id(), e.toString());
    }
  }
}
