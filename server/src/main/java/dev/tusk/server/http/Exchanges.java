package dev.tusk.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Small helpers over {@link HttpServerExchange} shared by the handlers. */
public final class Exchanges {
  private static final AttachmentKey<String> TRACE_ID = AttachmentKey.create(String.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Exchanges() {}

  /** The request's trace id: created on first use, echoed in error bodies and logs. */
  public static String traceId(HttpServerExchange exchange) {
    String id = exchange.getAttachment(TRACE_ID);
    if (id == null) {
      byte[] bytes = new byte[8];
      RANDOM.nextBytes(bytes);
      id = HexFormat.of().formatHex(bytes);
      exchange.putAttachment(TRACE_ID, id);
    }
    return id;
  }

  /** The first value of a request header, trimmed, or null. */
  public static String header(HttpServerExchange exchange, HttpString name) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null ? null : value.trim();
  }

  /** True if the request announces a body (a positive Content-Length or chunked encoding). */
  public static boolean hasBody(HttpServerExchange exchange) {
    long length = exchange.getRequestContentLength();
    if (length > 0) {
      return true;
    }
    return length < 0
        && exchange.getRequestHeaders().contains(io.undertow.util.Headers.TRANSFER_ENCODING);
  }
}
