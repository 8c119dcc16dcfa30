package dev.tusk.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CORS for browser clients (tus-js-client, Uppy). Allowed origins get
 * {@code Access-Control-Allow-Origin} (the origin itself, with {@code Vary: Origin}) and the
 * exposed tus headers on every response, errors included. A preflight is answered here and never
 * reaches the tus handlers.
 */
public final class CorsHandler implements HttpHandler {
  static final String EXPOSE =
      "Location, Upload-Offset, Upload-Length, Upload-Defer-Length, Upload-Metadata, "
          + "Upload-Expires, Upload-Concat, Upload-Checksum, Tus-Version, Tus-Resumable, "
          + "Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm, Content-Range, Accept-Ranges, "
          + "Content-Disposition, ETag, Last-Modified, Retry-After, RateLimit-Limit, "
          + "RateLimit-Remaining, RateLimit-Reset, Upload-Complete, Upload-Incomplete, "
          + "Upload-Limit, Upload-Draft-Interop-Version, Accept-Patch";
  static final String ALLOW_HEADERS =
      "Authorization, Origin, X-Requested-With, X-Request-ID, X-HTTP-Method-Override, "
          + "Content-Type, Upload-Length, Upload-Offset, Tus-Resumable, Upload-Metadata, "
          + "Upload-Defer-Length, Upload-Concat, Upload-Checksum, Range, If-Range, If-None-Match, "
          + "If-Modified-Since, Upload-Complete, Upload-Incomplete, Upload-Draft-Interop-Version";
  static final String ALLOW_METHODS = "POST, HEAD, PATCH, OPTIONS, GET, DELETE, PUT";
  private static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
  private static final HttpString REQUEST_HEADERS = new HttpString("Access-Control-Request-Headers");
  private static final Pattern HEADER_LIST = Pattern.compile("[A-Za-z0-9\\-_, ]{0,2000}");

  private final HttpHandler next;
  private final List<String> origins;

  /** @param origins allowed origins; {@code *} allows any; empty disables CORS */
  public CorsHandler(HttpHandler next, List<String> origins) {
    this.next = next;
    this.origins = List.copyOf(origins);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
    if (origin == null || !allowed(origin)) {
      next.handleRequest(exchange);
      return;
    }
    HeaderMap out = exchange.getResponseHeaders();
    out.put(new HttpString("Access-Control-Allow-Origin"), origin);
    out.add(Headers.VARY, "Origin");
    boolean preflight =
        Methods.OPTIONS.equals(exchange.getRequestMethod())
            && exchange.getRequestHeaders().contains(REQUEST_METHOD);
    if (!preflight) {
      out.put(new HttpString("Access-Control-Expose-Headers"), EXPOSE);
      next.handleRequest(exchange);
      return;
    }
    String requested = exchange.getRequestHeaders().getFirst(REQUEST_HEADERS);
    String allowHeaders =
        requested != null && HEADER_LIST.matcher(requested).matches()
            ? ALLOW_HEADERS + ", " + requested
            : ALLOW_HEADERS;
    out.put(new HttpString("Access-Control-Allow-Methods"), ALLOW_METHODS);
    out.put(new HttpString("Access-Control-Allow-Headers"), allowHeaders);
    out.put(new HttpString("Access-Control-Max-Age"), "86400");
    exchange.setStatusCode(204);
    exchange.endExchange();
  }

  private boolean allowed(String origin) {
    return origins.contains("*") || origins.contains(origin);
  }
}
