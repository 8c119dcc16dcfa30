package dev.tusk.server.handlers;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.Problems;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.concurrent.CompletableFuture;

/**
 * HEAD: tus "The Server MUST always include the Upload-Offset header in the response for a HEAD
 * request" and "MUST prevent the client and/or proxies from caching the response by adding the
 * Cache-Control: no-store header". A HEAD never takes the upload's lock — HEADs never queue behind
 * one another — but if a PATCH holds it (typically one whose client vanished), that PATCH is asked
 * to commit and let go first, so the offset answered is where the client can resume.
 */
public final class HeadHandler implements HttpHandler {
  /** Writes the response describing an upload once no request holds it. */
  @FunctionalInterface
  interface Responder {
    void respond(HttpServerExchange exchange, UploadInfo info) throws Exception;
  }

  private final TusContext ctx;
  private final Responder responder;

  public HeadHandler(TusContext ctx) {
    this.ctx = ctx;
    this.responder = this::describe;
  }

  /** A HEAD answered by {@code responder} (another dialect's headers). */
  HeadHandler(TusContext ctx, Responder responder) {
    this.ctx = ctx;
    this.responder = responder;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    UploadId id = Exchanges.uploadId(exchange);
    RequestContext request = RequestContext.of(exchange);
    exchange.dispatch(
        ctx.storage(),
        Guarded.task(
            exchange,
            () -> {
              // who may see the upload is decided before a holder of its lock is asked anything
              ctx.uploads().access(request, id, UploadPolicy.Access.HEAD);
              CompletableFuture<Void> released =
                  ctx.locker().awaitReleased(id, ctx.config().lockWait());
              if (released.isDone() && !released.isCompletedExceptionally()) {
                respond(exchange, id);
                return;
              }
              Bounded.bounded(released, ctx.config().lockWait())
                  .whenComplete(
                      (v, error) -> {
                        if (error != null) {
                          Problems.send(exchange, error);
                        } else {
                          ctx.storage().execute(Guarded.task(exchange, () -> respond(exchange, id)));
                        }
                      });
            }));
  }

  /** Answers with the upload as stored once no request holds it (the caller passed access). */
  private void respond(HttpServerExchange exchange, UploadId id) throws Exception {
    responder.respond(exchange, ctx.uploads().settleFinal(ctx.uploads().require(id)));
  }

  private void describe(HttpServerExchange exchange, UploadInfo info) {
    UploadHeaders.describe(exchange.getResponseHeaders(), info, ctx.config().basePath());
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.setStatusCode(200);
    Exchanges.end(exchange);
  }
}
