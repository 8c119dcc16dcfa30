package dev.tusk.server.http;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

/**
 * The root handler of every listener: checks how the request body is framed before any route
 * sees the request. Undertow itself answers a bare 400 to a {@code Content-Length} that is not
 * digits, to two of them and to both {@code Content-Length} and {@code Transfer-Encoding}; what
 * it lets through is checked here:
 *
 * <ul>
 *   <li>a {@code Content-Length} of digits that does not fit a long (Undertow's parser wraps it
 *       around silently) is a 400 {@link ErrorCode#INVALID_CONTENT_LENGTH} and the connection
 *       closes, since where the body ends is unknown (RFC 9112 6.3: "the server MUST respond with
 *       a 400 (Bad Request) status code and then close the connection");
 *   <li>a chunked body is decoded by {@link ChunkedRequestConduit}, which ends a malformed one with
 *       {@link MalformedBodyException} instead of closing the connection, so that the handler
 *       reading it can still answer 400.
 * </ul>
 */
public final class FramingHandler implements HttpHandler {
  private final HttpHandler next;

  public FramingHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    HeaderValues lengths = exchange.getRequestHeaders().get(Headers.CONTENT_LENGTH);
    if (lengths != null) {
      for (String length : lengths) {
        if (!isLength(length)) {
          refuse(exchange, length);
          return;
        }
      }
    } else if (exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
      ChunkedRequestConduit.install(exchange);
    }
    next.handleRequest(exchange);
  }

  /** True for 1 or more ASCII digits whose value fits a long (leading zeros allowed). */
  static boolean isLength(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
        return false;
      }
      n = n * 10 + (c - '0');
    }
    return true;
  }

  /**
   * Answers 400 and closes the connection after the answer. The body is not read: the request is
   * ended at once, so Undertow does not try to drain a body of unknown length first.
   */
  private static void refuse(HttpServerExchange exchange, String length) {
    exchange.setPersistent(false);
    Connectors.terminateRequest(exchange);
    exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
    exchange.getResponseHeaders().put(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
    String shown = length.length() <= 40 ? length : length.substring(0, 40) + "...";
    Problems.send(
        exchange,
        new TusException(
            ErrorCode.INVALID_CONTENT_LENGTH,
            "Content-Length '" + shown.replaceAll("[^0-9]", "?")
                + "' is not a length: it must be decimal digits up to " + Long.MAX_VALUE));
  }
}
