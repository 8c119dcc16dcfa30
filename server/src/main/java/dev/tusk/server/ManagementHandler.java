package dev.tusk.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.server.health.Readiness;
import dev.tusk.server.metrics.TuskMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code /metrics} (Prometheus text format), {@code /health/live} and {@code /health/ready}:
 * unauthenticated, GET or HEAD, answered before the tus chain (no CORS, no Tus-Resumable, not
 * counted in the request metrics). Every other path goes to {@code next}. Liveness is 200 while the
 * process serves HTTP, also while it drains; readiness is 503 while the store fails its probe or
 * the server shuts down.
 */
public final class ManagementHandler implements HttpHandler {
  public static final String METRICS = "/metrics";
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpHandler next;
  private final TuskMetrics metrics;
  private final boolean metricsEnabled;
  private final Readiness readiness;

  /** @param next where other paths go; null answers them 404 (a management-only listener) */
  public ManagementHandler(HttpHandler next, TuskMetrics metrics, boolean metricsEnabled, Readiness readiness) {
    this.next = next;
    this.metrics = metrics;
    this.metricsEnabled = metricsEnabled;
    this.readiness = readiness;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRequestPath();
    boolean managed = path.equals(LIVE) || path.equals(READY) || (metricsEnabled && path.equals(METRICS));
    if (!managed) {
      if (next != null) {
        next.handleRequest(exchange);
      } else {
        exchange.setStatusCode(404);
        exchange.endExchange();
      }
      return;
    }
    if (!Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
      exchange.setStatusCode(405);
      exchange.endExchange();
      return;
    }
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    switch (path) {
      case LIVE -> health(exchange, Optional.empty());
      case READY -> exchange.dispatch(SameThreadExecutor.INSTANCE, () ->
          readiness.check().whenComplete((reason, error) -> exchange.getIoThread().execute(() ->
              health(exchange, error != null ? Optional.of(error.toString()) : reason))));
      default -> exchange.dispatch(() -> {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        send(exchange, body);
      });
    }
  }

  private static void health(HttpServerExchange exchange, Optional<String> problem) {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", problem.isEmpty() ? "UP" : "DOWN");
    problem.ifPresent(p -> node.put("detail", p));
    exchange.setStatusCode(problem.isEmpty() ? 200 : 503);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    send(exchange, node.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpServerExchange exchange, byte[] body) {
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    if (Methods.HEAD.equals(exchange.getRequestMethod())) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
  }
}
