package dev.tusk.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The outermost tus handler: puts {@code Tus-Resumable} on every response (tus: "The
 * Tus-Resumable header MUST be included in every request and response except for OPTIONS
 * requests" — sending it on OPTIONS responses too is harmless and what tusd does) and maps any
 * exception thrown synchronously by the chain to a problem response.
 */
public final class ErrorMappingHandler implements HttpHandler {
  private final HttpHandler next;

  public ErrorMappingHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
    try {
      next.handleRequest(exchange);
    } catch (Throwable t) {
      Problems.send(exchange, t);
    }
  }
}
