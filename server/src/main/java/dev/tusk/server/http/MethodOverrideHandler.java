package dev.tusk.server.http;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Locale;
import java.util.Set;

/**
 * {@code X-HTTP-Method-Override}: tus "The X-HTTP-Method-Override request header MUST be a string
 * which MUST be interpreted as the request's method by the Server, if the header is presented."
 * tus-java-client sends every chunk as POST with {@code X-HTTP-Method-Override: PATCH}.
 */
public final class MethodOverrideHandler implements HttpHandler {
  private static final Set<HttpString> ALLOWED =
      Set.of(Methods.PATCH, Methods.DELETE, Methods.HEAD, Methods.GET, Methods.POST, Methods.OPTIONS);
  private final HttpHandler next;

  public MethodOverrideHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String override = Exchanges.header(exchange, TusHeaders.METHOD_OVERRIDE);
    if (override != null) {
      HttpString method = new HttpString(override.toUpperCase(Locale.ROOT));
      if (!ALLOWED.contains(method)) {
        throw new TusException(
            ErrorCode.INVALID_REQUEST,
            "X-HTTP-Method-Override must be one of PATCH, DELETE, HEAD, GET, POST, OPTIONS");
      }
      exchange.setRequestMethod(method);
    }
    next.handleRequest(exchange);
  }
}
