package dev.tusk.server;

import dev.tusk.server.handlers.CreateHandler;
import dev.tusk.server.handlers.DeleteHandler;
import dev.tusk.server.handlers.DownloadHandler;
import dev.tusk.server.handlers.HeadHandler;
import dev.tusk.server.handlers.OptionsHandler;
import dev.tusk.server.handlers.PatchHandler;
import dev.tusk.server.handlers.Router;
import dev.tusk.server.handlers.TusContext;
import dev.tusk.server.http.CorsHandler;
import dev.tusk.server.http.ErrorMappingHandler;
import dev.tusk.server.http.MethodOverrideHandler;
import dev.tusk.server.http.TusResumableHandler;
import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Composes the request path, innermost first. */
final class HandlerChain {
  private HandlerChain() {}

  /**
   * @param filter wraps the tus handlers inside CORS and method override, before the version
   *     check (authentication and rate limits go here; preflights never reach it)
   */
  static HttpHandler build(TusContext ctx, UnaryOperator<HttpHandler> filter) {
    OptionsHandler options = new OptionsHandler(ctx);
    Map<HttpString, HttpHandler> collection =
        Map.of(Methods.OPTIONS, options, Methods.POST, new CreateHandler(ctx));
    Map<HttpString, HttpHandler> resource =
        Map.of(
            Methods.OPTIONS, options,
            Methods.HEAD, new HeadHandler(ctx),
            Methods.PATCH, new PatchHandler(ctx),
            Methods.GET, new DownloadHandler(ctx),
            Methods.DELETE, new DeleteHandler(ctx));
    HttpHandler router = new Router(ctx.config().basePath(), collection, resource, Map.of());
    HttpHandler versioned = new TusResumableHandler(router, null);
    HttpHandler overridden = new MethodOverrideHandler(filter.apply(versioned));
    HttpHandler cors = new CorsHandler(overridden, ctx.config().corsOrigins());
    return new ErrorMappingHandler(cors);
  }
}
