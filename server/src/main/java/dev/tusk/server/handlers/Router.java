package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.http.TusVersion;
import dev.tusk.server.protocol.SimpleUploadRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Routes requests. First the dialect: a POST on the collection that is not a tus request (no
 * {@code Tus-Resumable}, no tus creation header: {@link SimpleUploadRequest#isPlain}) is a
 * single-request upload; everything else is tus and must carry its version ({@link TusVersion}).
 * Then the tus routes: the collection ({@code <base>}: OPTIONS, POST) and one upload
 * ({@code <base><id>}: HEAD, PATCH, GET, DELETE, OPTIONS; DELETE only over a store that can
 * terminate). A path segment that is not a valid upload id is a 404 and never reaches a store; a
 * method the resource does not offer is a 405 whose {@code Allow} lists those it does.
 */
public final class Router implements HttpHandler {
  private static final List<HttpString> ORDER =
      List.of(Methods.OPTIONS, Methods.POST, Methods.HEAD, Methods.PATCH, Methods.GET, Methods.DELETE);

  private final String basePath;
  private final boolean tusVersion;
  private final HttpHandler plainPost;
  private final Map<HttpString, HttpHandler> collection;
  private final Map<HttpString, HttpHandler> resource;
  private final Map<HttpString, HttpHandler> subResources;
  private final String collectionAllow;
  private final String resourceAllow;

  /**
   * @param plainPost the single-request upload: a POST on the collection without tus headers;
   *     null to treat it as a tus request (which then lacks its version: 412)
   * @param subResources handlers for {@code <base><id>/details}-style GETs (and PATCHes, which
   *     the handler may refuse), keyed by the sub-path's name as an HttpString (e.g. {@code
   *     details})
   */
  public Router(
      String basePath,
      HttpHandler plainPost,
      Map<HttpString, HttpHandler> collection,
      Map<HttpString, HttpHandler> resource,
      Map<HttpString, HttpHandler> subResources) {
    this(basePath, plainPost, collection, resource, subResources, true);
  }

  /**
   * A router for another dialect over the same routes: no plain POST and no {@code Tus-Resumable}
   * check (the dialect decided the request is its own before it got here).
   */
  public static Router forDialect(
      String basePath,
      Map<HttpString, HttpHandler> collection,
      Map<HttpString, HttpHandler> resource,
      Map<HttpString, HttpHandler> subResources) {
    return new Router(basePath, null, collection, resource, subResources, false);
  }

  private Router(
      String basePath,
      HttpHandler plainPost,
      Map<HttpString, HttpHandler> collection,
      Map<HttpString, HttpHandler> resource,
      Map<HttpString, HttpHandler> subResources,
      boolean tusVersion) {
    this.tusVersion = tusVersion;
    this.basePath = basePath;
    this.plainPost = plainPost;
    this.collection = Map.copyOf(collection);
    this.resource = Map.copyOf(resource);
    this.subResources = Map.copyOf(subResources);
    this.collectionAllow = allow(this.collection);
    this.resourceAllow = allow(this.resource);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRequestPath();
    HttpString method = exchange.getRequestMethod();
    boolean onCollection =
        path.equals(basePath) || path.equals(basePath.substring(0, basePath.length() - 1));
    if (onCollection && plainPost != null && Methods.POST.equals(method) && isPlain(exchange)) {
      plainPost.handleRequest(exchange);
      return;
    }
    if (tusVersion) {
      TusVersion.require(exchange);
    }
    if (onCollection) {
      dispatch(collection, collectionAllow, method, exchange);
      return;
    }
    if (!path.startsWith(basePath)) {
      throw new TusException(ErrorCode.NOT_FOUND, "no resource at " + printable(path));
    }
    String rest = path.substring(basePath.length());
    int slash = rest.indexOf('/');
    String idPart = slash < 0 ? rest : rest.substring(0, slash);
    UploadId id =
        UploadId.parse(idPart)
            .orElseThrow(() -> new TusException(ErrorCode.UPLOAD_NOT_FOUND, "upload not found"));
    Exchanges.setUploadId(exchange, id);
    if (slash < 0) {
      dispatch(resource, resourceAllow, method, exchange);
      return;
    }
    HttpHandler sub = subResources.get(new HttpString(rest.substring(slash + 1)));
    if (sub == null) {
      throw new TusException(ErrorCode.NOT_FOUND, "no resource at " + printable(path));
    }
    if (!Methods.GET.equals(method) && !Methods.HEAD.equals(method) && !Methods.PATCH.equals(method)) {
      throw methodNotAllowed(method, "GET, HEAD, PATCH");
    }
    sub.handleRequest(exchange);
  }

  private static boolean isPlain(HttpServerExchange exchange) {
    return SimpleUploadRequest.isPlain(
        Exchanges.header(exchange, TusHeaders.TUS_RESUMABLE),
        Exchanges.header(exchange, TusHeaders.UPLOAD_LENGTH),
        Exchanges.header(exchange, TusHeaders.UPLOAD_DEFER_LENGTH),
        Exchanges.header(exchange, TusHeaders.UPLOAD_CONCAT),
        Exchanges.header(exchange, TusHeaders.UPLOAD_METADATA));
  }

  private static void dispatch(
      Map<HttpString, HttpHandler> handlers, String allow, HttpString method, HttpServerExchange exchange)
      throws Exception {
    HttpHandler handler = handlers.get(method);
    if (handler == null) {
      throw methodNotAllowed(method, allow);
    }
    handler.handleRequest(exchange);
  }

  /**
   * 405 with the methods the resource offers: RFC 9110 "The origin server MUST generate an Allow
   * header field in a 405 (Method Not Allowed) response".
   */
  private static TusException methodNotAllowed(HttpString method, String allow) {
    return new TusException(
        ErrorCode.METHOD_NOT_ALLOWED,
        "method " + printable(method.toString()) + " is not allowed here",
        Map.of(Headers.ALLOW_STRING, allow),
        null);
  }

  /** The {@code Allow} value of a route table, in a fixed order. */
  private static String allow(Map<HttpString, HttpHandler> handlers) {
    return Stream.concat(
            ORDER.stream().filter(handlers::containsKey),
            handlers.keySet().stream().filter(m -> !ORDER.contains(m)).sorted())
        .map(HttpString::toString)
        .collect(Collectors.joining(", "));
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 200 ? p.substring(0, 200) + "..." : p;
  }
}
