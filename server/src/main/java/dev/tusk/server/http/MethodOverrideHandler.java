package dev.tusk.server.http;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code X-HTTP-Method-Override}: tus "The X-HTTP-Method-Override request header MUST be a string
 * which MUST be interpreted as the request's method by the Server, if the header is presented."
 * tus-java-client sends every chunk as POST with {@code X-HTTP-Method-Override: PATCH}.
 */
public final class MethodOverrideHandler implements HttpHandler {
  /** The methods an override may name, by their upper-case name. */
  private static final Map<String, HttpString> ALLOWED =
      Stream.of(Methods.PATCH, Methods.DELETE, Methods.HEAD, Methods.GET, Methods.POST, Methods.OPTIONS)
          .collect(Collectors.toUnmodifiableMap(HttpString::toString, m -> m));
  private final HttpHandler next;

  public MethodOverrideHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String override = Exchanges.header(exchange, TusHeaders.METHOD_OVERRIDE);
    if (override != null) {
      // looked up, never built from the value: an HttpString of arbitrary client text throws
      HttpString method = ALLOWED.get(override.toUpperCase(Locale.ROOT));
      if (method == null) {
        throw new TusException(
            ErrorCode.INVALID_REQUEST,
            "X-HTTP-Method-Override must be one of PATCH, DELETE, HEAD, GET, POST, OPTIONS");
      }
      // RFC 9110 9.3.2: "The server SHOULD send the same header fields in response to a HEAD
      // request as it would have sent if the request method had been GET. However, a server MUST
      // NOT send content in the response to a HEAD request." The client of a HEAD reads no body
      // whatever the override said, so a body would be read as its next response.
      if (Methods.HEAD.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(method)) {
        throw new TusException(
            ErrorCode.INVALID_REQUEST, "X-HTTP-Method-Override cannot turn a HEAD request into " + method);
      }
      exchange.setRequestMethod(method);
    }
    next.handleRequest(exchange);
  }
}
