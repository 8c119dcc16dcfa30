package dev.tusk.server.policy;

import dev.tusk.server.http.Exchanges;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts about an HTTP request that hooks and policies may see, detached from the exchange so
 * they can be used on any thread and serialized (tusd's {@code HTTPRequest}).
 *
 * @param method the effective method (after X-HTTP-Method-Override)
 * @param uri the request URI with its query string
 * @param remoteAddr the peer's address and port
 * @param headers every request header, names as sent
 * @param principal the authenticated caller, if any
 * @param traceId the request's trace id (also in logs and error bodies)
 */
public record RequestContext(
    String method,
    String uri,
    String remoteAddr,
    Map<String, List<String>> headers,
    Optional<Principal> principal,
    String traceId) {

  /** For events without a request (expiry, lazily completed concatenations). */
  public static RequestContext system() {
    return new RequestContext("", "", "", Map.of(), Optional.empty(), "");
  }

  public static RequestContext of(HttpServerExchange exchange) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HeaderValues values : exchange.getRequestHeaders()) {
      headers.put(values.getHeaderName().toString(), List.copyOf(values));
    }
    String query = exchange.getQueryString();
    InetSocketAddress peer = exchange.getSourceAddress();
    return new RequestContext(
        exchange.getRequestMethod().toString(),
        exchange.getRequestURI() + (query == null || query.isEmpty() ? "" : "?" + query),
        peer == null ? "" : peer.getHostString() + ":" + peer.getPort(),
        headers,
        Optional.ofNullable(exchange.getAttachment(Principal.KEY)),
        Exchanges.traceId(exchange));
  }
}
