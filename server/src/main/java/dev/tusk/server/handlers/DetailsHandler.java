package dev.tusk.server.handlers;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.Urls;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.UploadDetails;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * GET {@code <upload URL>/details}: the upload's {@link UploadDetails} document. 404 for an
 * unknown upload and 410 for an expired one, like the download. Never cached. PATCH changes the
 * upload's expiry ({@link ExpiryHandler}).
 */
public final class DetailsHandler implements HttpHandler {
  private final TusContext ctx;
  private final ExpiryHandler expiry;

  public DetailsHandler(TusContext ctx) {
    this.ctx = ctx;
    this.expiry = new ExpiryHandler(ctx);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (Methods.PATCH.equals(exchange.getRequestMethod())) {
      expiry.handleRequest(exchange);
      return;
    }
    UploadId id = Exchanges.uploadId(exchange);
    RequestContext request = RequestContext.of(exchange);
    exchange.dispatch(ctx.storage(), Guarded.task(exchange, () -> respond(exchange, request, id)));
  }

  private void respond(HttpServerExchange exchange, RequestContext request, UploadId id)
      throws IOException {
    UploadInfo found = ctx.uploads().access(request, id, UploadPolicy.Access.DETAILS);
    send(ctx, exchange, ctx.uploads().settleFinal(found), 200);
  }

  /** Answers {@code status} with the details of {@code info} as the body. */
  static void send(TusContext ctx, HttpServerExchange exchange, UploadInfo info, int status) {
    String url = Urls.upload(exchange, ctx.config().basePath(), ctx.config().behindProxy(), info.id());
    byte[] json = UploadDetails.bytes(info, url);
    UploadHeaders.expires(exchange.getResponseHeaders(), info);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, json.length);
    exchange.setStatusCode(status);
    Exchanges.send(exchange, ByteBuffer.wrap(json));
  }
}
