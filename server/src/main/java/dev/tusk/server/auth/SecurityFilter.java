package dev.tusk.server.auth;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.links.UploadLink;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.Scopes;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The request side of access control, inside CORS and method override and before the tus version
 * check, in this order: open routes (OPTIONS, {@code /health/*}, {@code /metrics} unless
 * protected) pass; header and metadata sizes (431); who is calling — a signed link ({@code
 * ?link=}), else a bearer credential (401 without one, in modes keys and jwt); rate limits (429);
 * {@code POST <base>links}; caps on uploads and bytes in flight (429); then the tus handlers, with
 * the principal on the exchange ({@link Principal#KEY}) and the request's state registered for
 * the policy.
 */
final class SecurityFilter implements HttpHandler {
  static final String LINK_PARAM = "link";
  private static final HttpString WWW_AUTHENTICATE = new HttpString("WWW-Authenticate");

  /** Who is calling: the principal (none in mode none), the key its limits are kept under. */
  private record Caller(
      Optional<Principal> principal, String limitKey, String tier, Optional<UploadLink> link, String token) {
    static final Caller ANONYMOUS = new Caller(Optional.empty(), null, null, Optional.empty(), null);
  }

  private final HttpHandler next;
  private final Security.Parts parts;
  private final String basePath;
  private final Clock clock;

  SecurityFilter(HttpHandler next, Security.Parts parts, String basePath, Clock clock) {
    this.next = next;
    this.parts = parts;
    this.basePath = basePath;
    this.clock = clock;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRequestPath();
    HttpString method = exchange.getRequestMethod();
    if (Methods.OPTIONS.equals(method) || path.equals("/health") || path.startsWith("/health/")) {
      next.handleRequest(exchange);
      return;
    }
    checkSizes(exchange);
    if (path.equals("/metrics")) {
      parts.metrics().check(exchange);
      next.handleRequest(exchange);
      return;
    }
    Caller caller = identify(exchange, path, method);
    caller.principal().ifPresent(p -> exchange.putAttachment(Principal.KEY, p));
    // PUT creates uploads in Resumable Uploads for HTTP, as POST does in both dialects
    boolean write =
        Methods.POST.equals(method) || Methods.PUT.equals(method) || Methods.DELETE.equals(method);
    if (caller.limitKey() != null) {
      parts.rateLimiter().take(caller.limitKey(), caller.tier(), write)
          .forEach((k, v) -> exchange.getResponseHeaders().put(new HttpString(k), v));
    }
    if (Methods.POST.equals(method) && path.equals(basePath + "links")) {
      if (parts.links() == null) {
        throw new TusException(ErrorCode.NOT_FOUND, "upload links are not enabled on this server");
      }
      parts.links().handle(exchange, caller.principal());
      return;
    }
    admit(exchange, caller, method);
    if (caller.link().isPresent()) {
      if (Methods.POST.equals(method)) {
        String token = caller.token();
        exchange.addResponseCommitListener(ex -> continueWithLink(ex, token));
      }
      stripLink(exchange);
    }
    next.handleRequest(exchange);
  }

  /** Counts the request against the caps and registers its state until the exchange ends. */
  private void admit(HttpServerExchange exchange, Caller caller, HttpString method) {
    boolean body =
        (Methods.PATCH.equals(method) || Methods.POST.equals(method) || Methods.PUT.equals(method))
            && Exchanges.hasBody(exchange);
    long length = exchange.getRequestContentLength();
    boolean counted = body && caller.limitKey() != null;
    if (counted) {
      parts.uploadCaps().acquire(caller.limitKey(), length);
    }
    String trace = Exchanges.traceId(exchange);
    parts.states().open(trace, clock.instant(), caller.link());
    exchange.addExchangeCompleteListener(
        (ex, nextListener) -> {
          parts.states().close(trace);
          if (counted) {
            parts.uploadCaps().release(caller.limitKey(), length);
          }
          nextListener.proceed();
        });
  }

  private Caller identify(HttpServerExchange exchange, String path, HttpString method) {
    Deque<String> link = exchange.getQueryParameters().get(LINK_PARAM);
    if (link != null && !link.isEmpty()) {
      return linkCaller(exchange, path, method, link.getFirst());
    }
    if (parts.authenticator() == null) {
      return Caller.ANONYMOUS;
    }
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
      throw unauthorized("this server requires a bearer credential (Authorization: Bearer ...)", null);
    }
    Authenticator.Result result = parts.authenticator().authenticate(header.substring(7).trim());
    Principal principal =
        result.principal().orElseThrow(() -> unauthorized(result.reason(), "invalid_token"));
    String tier = principal.claims().getOrDefault(Principal.TIER_CLAIM, "default");
    return new Caller(Optional.of(principal), "owner:" + principal.id(), tier, Optional.empty(), null);
  }

  private Caller linkCaller(HttpServerExchange exchange, String path, HttpString method, String token) {
    if (parts.signer() == null) {
      throw new TusException(ErrorCode.LINK_INVALID, "upload links are not enabled on this server");
    }
    UploadLink link = parts.signer().verify(token);
    if (path.equals(basePath + "links")) {
      throw new TusException(ErrorCode.FORBIDDEN, "an upload link cannot issue links");
    }
    if (path.equals(basePath) || path.equals(basePath.substring(0, basePath.length() - 1))) {
      // the link's lifetime bounds when the upload may be created; its follow-up requests are
      // bounded by the upload's own expiry
      if (Methods.POST.equals(method) && !clock.instant().isBefore(link.expiresAt())) {
        throw new TusException(
            ErrorCode.LINK_EXPIRED, "the upload link expired at " + link.expiresAt() + "; ask for a new one");
      }
    } else if (path.startsWith(basePath)) {
      String rest = path.substring(basePath.length());
      int slash = rest.indexOf('/');
      String id = slash < 0 ? rest : rest.substring(0, slash);
      if (!id.equals(link.uploadId().value())) {
        throw new TusException(ErrorCode.UPLOAD_NOT_FOUND, "upload " + id.replaceAll("[^A-Za-z0-9_-]", "?") + " not found");
      }
    } else {
      throw new TusException(ErrorCode.LINK_INVALID, "an upload link is only valid for its upload");
    }
    Principal principal =
        new Principal(link.owner(), Set.of(Scopes.UPLOAD), Map.of(Principal.LINK_CLAIM, link.uploadId().value()));
    InetSocketAddress peer = exchange.getSourceAddress();
    String ip = peer == null ? "unknown" : peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    return new Caller(Optional.of(principal), "ip:" + ip, Security.LINK_TIER, Optional.of(link), token);
  }

  /** A link creation answers with a Location that carries the link, so PATCH and HEAD may follow. */
  private static void continueWithLink(HttpServerExchange exchange, String token) {
    String location = exchange.getResponseHeaders().getFirst(Headers.LOCATION);
    if (location != null && location.indexOf('?') < 0) {
      exchange.getResponseHeaders().put(Headers.LOCATION, location + "?" + LINK_PARAM + "=" + token);
    }
  }

  /** Keeps the link token out of what handlers, hooks and logs see of the request. */
  private static void stripLink(HttpServerExchange exchange) {
    exchange.getQueryParameters().remove(LINK_PARAM);
    StringJoiner kept = new StringJoiner("&");
    for (String pair : exchange.getQueryString().split("&")) {
      if (!pair.isEmpty() && !pair.equals(LINK_PARAM) && !pair.startsWith(LINK_PARAM + "=")) {
        kept.add(pair);
      }
    }
    exchange.setQueryString(kept.toString());
  }

  private void checkSizes(HttpServerExchange exchange) {
    long total = 0;
    for (HeaderValues values : exchange.getRequestHeaders()) {
      for (String v : values) {
        total += values.getHeaderName().length() + v.length() + 4;
      }
    }
    AuthConfig config = parts.config();
    if (total > config.maxHeaderBytes()) {
      throw new TusException(
          ErrorCode.HEADERS_TOO_LARGE,
          "the request's header fields exceed " + config.maxHeaderBytes() + " bytes");
    }
    String metadata = exchange.getRequestHeaders().getFirst(TusHeaders.UPLOAD_METADATA);
    if (metadata != null) {
      if (metadata.length() > config.maxMetadataBytes()) {
        throw new TusException(
            ErrorCode.HEADERS_TOO_LARGE,
            "Upload-Metadata exceeds " + config.maxMetadataBytes() + " bytes");
      }
      if (metadata.chars().filter(c -> c == ',').count() + 1 > config.maxMetadataKeys()) {
        throw new TusException(
            ErrorCode.HEADERS_TOO_LARGE,
            "Upload-Metadata has more than " + config.maxMetadataKeys() + " keys");
      }
    }
  }

  private static TusException unauthorized(String detail, String error) {
    String challenge = "Bearer realm=\"tusk\"" + (error == null ? "" : ", error=\"" + error + "\"");
    return new TusException(
        ErrorCode.UNAUTHORIZED, detail, Map.of(WWW_AUTHENTICATE.toString(), challenge), null);
  }
}
