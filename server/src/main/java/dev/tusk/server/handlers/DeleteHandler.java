package dev.tusk.server.handlers;

import dev.tusk.core.Terminator;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * DELETE (termination): tus "When receiving a DELETE request for an existing upload the Server
 * SHOULD free associated resources and MUST respond with the 204 No Content status confirming
 * that the upload was terminated. For all future requests to this URL, the Server SHOULD respond
 * with the 404 Not Found or 410 Gone status." An in-flight PATCH of the upload is asked to let
 * go first.
 */
public final class DeleteHandler implements HttpHandler {
  private final TusContext ctx;
  private final Terminator terminator;

  /** Routed only over a store that has {@code terminator}. */
  public DeleteHandler(TusContext ctx, Terminator terminator) {
    this.ctx = ctx;
    this.terminator = terminator;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    UploadId id = Exchanges.uploadId(exchange);
    RequestContext rc = RequestContext.of(exchange);
    LockedRequest.runOnUpload(ctx, exchange, id, rc, UploadPolicy.Access.DELETE, (lock, relay) -> {
      UploadInfo info = ctx.uploads().require(id);
      ctx.policy().beforeTerminate(rc, info);
      terminator.terminate(info);
      exchange.setStatusCode(204);
      Exchanges.end(exchange);
      ctx.policy().afterTerminate(rc, info);
    });
  }
}
