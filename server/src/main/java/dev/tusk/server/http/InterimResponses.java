package dev.tusk.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import java.time.Duration;
import java.util.function.Supplier;

/** Interim (1xx) responses sent ahead of an exchange's final response. */
public final class InterimResponses {
  private InterimResponses() {}

  /**
   * Writes a 1xx interim response with these headers ahead of the final response (HTTP/1.1, h2,
   * h2c). Returns false, sending nothing, when the exchange cannot carry one (HTTP/1.0, response
   * started).
   */
  public static boolean send(HttpServerExchange exchange, int status, HeaderMap headers) {
    return false;
  }

  /**
   * Until closed (or the final response starts), sends {@code status} with headers from the
   * supplier every interval.
   */
  public static AutoCloseable every(
      HttpServerExchange exchange, int status, Duration interval, Supplier<HeaderMap> headers) {
    return () -> {};
  }
}
