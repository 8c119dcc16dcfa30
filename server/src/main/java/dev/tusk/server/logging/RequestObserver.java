package dev.tusk.server.logging;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.UploadId;
import dev.tusk.server.handlers.Router;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.Problems;
import dev.tusk.server.metrics.TuskMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost tus handler: when an exchange completes (success, error or disconnect alike) it
 * records the request's latency by method and status class, the body bytes in and out, the error
 * code of a problem response, and writes one line to the logger {@code tusk.request} with method,
 * route (the upload id replaced by {@code {id}}), upload id, status, bytes, duration and the trace
 * id that error bodies carry. Headers, query strings and metadata are never logged.
 */
public final class RequestObserver implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger("tusk.request");
  private final HttpHandler next;
  private final TuskMetrics metrics;
  private final String basePath;
  private final boolean log;

  public RequestObserver(HttpHandler next, TuskMetrics metrics, String basePath, boolean log) {
    this.next = next;
    this.metrics = metrics;
    this.basePath = basePath;
    this.log = log;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    long start = System.nanoTime();
    AtomicLong received = new AtomicLong();
    exchange.addRequestWrapper(
        (factory, ex) ->
            new CountingSourceConduit(
                factory.create(),
                n -> {
                  received.addAndGet(n);
                  metrics.received(n);
                }));
    exchange.addExchangeCompleteListener(
        (ex, nextListener) -> {
          try {
            completed(ex, System.nanoTime() - start, received.get());
          } finally {
            nextListener.proceed();
          }
        });
    next.handleRequest(exchange);
  }

  private void completed(HttpServerExchange exchange, long nanos, long received) {
    String method = exchange.getRequestMethod().toString();
    int status = exchange.getStatusCode();
    long sent = exchange.getResponseBytesSent();
    ErrorCode error = exchange.getAttachment(Problems.ERROR_CODE);
    metrics.request(method, status, nanos);
    metrics.sent(sent);
    if (error != null) {
      metrics.error(error);
    }
    if (!log || !LOG.isInfoEnabled()) {
      return;
    }
    var line =
        LOG.atInfo()
            .addKeyValue("method", method)
            .addKeyValue("route", route(exchange.getRequestPath()))
            .addKeyValue("status", status);
    String upload = uploadId(exchange);
    if (upload != null) {
      line = line.addKeyValue("upload", upload);
    }
    if (error != null) {
      line = line.addKeyValue("code", error.code());
    }
    line.addKeyValue("received", received)
        .addKeyValue("sent", sent)
        .addKeyValue("duration_ms", millis(nanos))
        .addKeyValue("protocol", exchange.getProtocol().toString())
        .addKeyValue("client", client(exchange))
        .addKeyValue("trace", Exchanges.traceId(exchange))
        .log("request");
  }

  /**
   * {@code nanos} as milliseconds with one decimal, rounded half up ({@code 1250000} is {@code
   * "1.3"}). {@code String.format} did the same at a tenth of a range GET's CPU.
   */
  static String millis(long nanos) {
    long tenths = (Math.max(0, nanos) + 50_000) / 100_000;
    return (tenths / 10) + "." + (tenths % 10);
  }

  /** The path with the upload id replaced: {@code /files/{id}}, {@code /files/{id}/details}. */
  public String route(String path) {
    if (path.equals(basePath) || path.equals(basePath.substring(0, basePath.length() - 1))) {
      return basePath;
    }
    if (!path.startsWith(basePath)) {
      return "other";
    }
    String rest = path.substring(basePath.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return basePath + "{id}";
    }
    String sub = rest.substring(slash + 1);
    return basePath + "{id}/" + (subResource(sub) ? sub : "*");
  }

  /** Whether {@code s} matches {@code [a-z][a-z-]{0,19}}, a name safe to log as a route. */
  static boolean subResource(String s) {
    if (s.isEmpty() || s.length() > 20 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 'a' || c > 'z') && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static String uploadId(HttpServerExchange exchange) {
    UploadId id = Exchanges.uploadId(exchange);
    if (id != null) {
      return id.value();
    }
    String location = exchange.getResponseHeaders().getFirst(Headers.LOCATION);
    if (location == null) {
      return null;
    }
    return UploadId.parse(location.substring(location.lastIndexOf('/') + 1)).map(UploadId::value).orElse(null);
  }

  private static String client(HttpServerExchange exchange) {
    InetSocketAddress peer = exchange.getSourceAddress();
    return peer == null || peer.getAddress() == null ? "-" : peer.getAddress().getHostAddress();
  }
}
