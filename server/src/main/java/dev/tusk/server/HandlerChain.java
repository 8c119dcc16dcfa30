package dev.tusk.server;

import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.handlers.CreateHandler;
import dev.tusk.server.handlers.DeleteHandler;
import dev.tusk.server.handlers.DetailsHandler;
import dev.tusk.server.handlers.DownloadHandler;
import dev.tusk.server.handlers.HeadHandler;
import dev.tusk.server.handlers.OptionsHandler;
import dev.tusk.server.handlers.PatchHandler;
import dev.tusk.server.handlers.Router;
import dev.tusk.server.handlers.RufhHandler;
import dev.tusk.server.handlers.SimpleUploadHandler;
import dev.tusk.server.handlers.TusContext;
import dev.tusk.server.health.Readiness;
import dev.tusk.server.health.ShutdownGate;
import dev.tusk.server.http.CorsHandler;
import dev.tusk.server.http.ErrorMappingHandler;
import dev.tusk.server.http.MethodOverrideHandler;
import dev.tusk.server.logging.RequestObserver;
import dev.tusk.server.metrics.TuskMetrics;
import dev.tusk.server.page.PageHandler;
import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Composes the request path, outermost first:
 * request metrics and log → error mapping → CORS → shutdown gate → method override → filter
 * (authentication, rate limits) → dialect (a request speaking Resumable Uploads for HTTP goes to
 * {@link RufhHandler}) → router (a plain POST, then Tus-Resumable, then the route) → one handler
 * per verb. {@code /metrics}
 * and {@code /health/*} are answered in front of it (or on the management listener), and so is the
 * upload page.
 */
final class HandlerChain {
  private HandlerChain() {}

  /**
   * @param filter wraps the tus handlers inside CORS and method override, before the version
   *     check (authentication and rate limits go here; preflights never reach it)
   * @param gate turns requests away once the server shuts down and counts those in flight
   */
  static HttpHandler build(
      TusContext ctx, UnaryOperator<HttpHandler> filter, ShutdownGate gate, TuskMetrics metrics) {
    OptionsHandler options = new OptionsHandler(ctx);
    Map<HttpString, HttpHandler> collection =
        Map.of(Methods.OPTIONS, options, Methods.POST, new CreateHandler(ctx));
    Map<HttpString, HttpHandler> resource =
        new HashMap<>(
            Map.of(
                Methods.OPTIONS, options,
                Methods.HEAD, new HeadHandler(ctx),
                Methods.PATCH, new PatchHandler(ctx),
                Methods.GET, new DownloadHandler(ctx)));
    // tus termination only where the store can terminate; elsewhere DELETE is a 405
    ctx.uploads().capabilities().terminator()
        .ifPresent(terminator -> resource.put(Methods.DELETE, new DeleteHandler(ctx, terminator)));
    Map<HttpString, HttpHandler> subResources =
        Map.of(new HttpString("details"), new DetailsHandler(ctx));
    HttpHandler router =
        new Router(ctx.config().basePath(), new SimpleUploadHandler(ctx), collection, resource, subResources);
    HttpHandler dialects = ctx.config().rufh().enabled() ? new RufhHandler(ctx, router) : router;
    HttpHandler overridden = new MethodOverrideHandler(filter.apply(dialects));
    HttpHandler gated = gate.wrap(overridden);
    HttpHandler cors = new CorsHandler(gated, ctx.config().corsOrigins());
    HttpHandler mapped = new ErrorMappingHandler(cors);
    return new RequestObserver(mapped, metrics, ctx.config().basePath(), ctx.config().logRequests());
  }

  /**
   * The upload page in front of {@code next} (unauthenticated, outside the request metrics, like
   * {@code /metrics}); {@code next} alone when the page is off.
   */
  static HttpHandler page(HttpHandler next, ServerConfig config) {
    return config.page().enabled() ? new PageHandler(next, config) : next;
  }

  /**
   * {@code /metrics} and {@code /health/*} in front of {@code next}; with a null {@code next} a
   * management-only handler (everything else is 404).
   */
  static HttpHandler management(
      HttpHandler next, ServerConfig config, TuskMetrics metrics, Readiness readiness) {
    return new ManagementHandler(next, metrics, config.metricsEnabled(), readiness);
  }
}
