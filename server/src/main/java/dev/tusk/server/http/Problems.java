package dev.tusk.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one function that turns any throwable into a response: an {@code application/problem+json}
 * body (RFC 9457) with {@code type}, {@code title}, {@code status}, {@code detail}, {@code code}
 * and {@code traceId}; no body for HEAD. 4xx are logged at debug without a stack trace, 5xx at
 * error with one.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TYPE_BASE = "https://tusk.dev/problems/";

  /** The error code of the problem sent for an exchange; read by the request metrics and log. */
  public static final io.undertow.util.AttachmentKey<ErrorCode> ERROR_CODE =
      io.undertow.util.AttachmentKey.create(ErrorCode.class);

  private Problems() {}

  /** Maps {@code failure} to its error code; unknown failures are internal errors. */
  public static TusException classify(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    if (t instanceof TusException tus) {
      return tus;
    }
    return new TusException(ErrorCode.INTERNAL, "an internal error occurred", t);
  }

  /**
   * Sends the error response for {@code failure} unless a response was already started, in which
   * case the connection is closed. Safe to call from any thread.
   */
  public static void send(HttpServerExchange exchange, Throwable failure) {
    TusException error = classify(failure);
    String traceId = Exchanges.traceId(exchange);
    ErrorCode code = error.code();
    exchange.putAttachment(ERROR_CODE, code);
    // the client's path and the detail (which may quote client input) are key-value pairs, so
    // both formats quote and escape them
    if (error.status() >= 500 && code != ErrorCode.SERVER_SHUTDOWN) { // refusals while draining are expected
      LOG.atError()
          .addKeyValue("trace", traceId)
          .addKeyValue("method", exchange.getRequestMethod())
          .addKeyValue("path", exchange.getRequestPath())
          .addKeyValue("code", code.code())
          .addKeyValue("detail", error.detail())
          .setCause(error.getCause() != null ? error.getCause() : error)
          .log("request failed");
    } else if (LOG.isDebugEnabled()) {
      LOG.atDebug()
          .addKeyValue("trace", traceId)
          .addKeyValue("method", exchange.getRequestMethod())
          .addKeyValue("path", exchange.getRequestPath())
          .addKeyValue("code", code.code())
          .addKeyValue("detail", error.detail())
          .log("request rejected");
    }
    if (exchange.isResponseStarted()) {
      closeConnection(exchange);
      return;
    }
    exchange.setStatusCode(error.status());
    for (Map.Entry<String, String> h : error.headers().entrySet()) {
      exchange.getResponseHeaders().put(new HttpString(h.getKey()), h.getValue());
    }
    if (Methods.HEAD.equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
      Exchanges.end(exchange);
      return;
    }
    if (error.body().isPresent()) { // a hook receiver's rejection, sent as it is (tusd HTTPResponse)
      byte[] raw = error.body().get().getBytes(StandardCharsets.UTF_8);
      if (!exchange.getResponseHeaders().contains(Headers.CONTENT_TYPE)) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
      }
      exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, raw.length);
      Exchanges.send(exchange, java.nio.ByteBuffer.wrap(raw));
      return;
    }
    byte[] body = body(code, error.status(), error.detail(), traceId);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    Exchanges.send(exchange, java.nio.ByteBuffer.wrap(body));
  }

  static byte[] body(ErrorCode code, String detail, String traceId) {
    return body(code, code.status(), detail, traceId);
  }

  static byte[] body(ErrorCode code, int status, String detail, String traceId) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", TYPE_BASE + code.code().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    node.put("title", code.title());
    node.put("status", status);
    node.put("detail", detail == null ? code.title() : detail);
    node.put("code", code.code());
    node.put("traceId", traceId);
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      return ("{\"code\":\"" + code.code() + "\"}").getBytes(StandardCharsets.UTF_8);
    }
  }

  private static void closeConnection(HttpServerExchange exchange) {
    try {
      exchange.getConnection().close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
