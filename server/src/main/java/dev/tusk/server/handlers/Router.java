package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Map;

/**
 * Routes tus requests: the collection ({@code <base>}: OPTIONS, POST) and one upload
 * ({@code <base><id>}: HEAD, PATCH, GET, DELETE, OPTIONS). A path segment that is not a valid
 * upload id is a 404 and never reaches a store.
 */
public final class Router implements HttpHandler {
  private static final AttachmentKey<UploadId> UPLOAD_ID = AttachmentKey.create(UploadId.class);

  private final String basePath;
  private final Map<HttpString, HttpHandler> collection;
  private final Map<HttpString, HttpHandler> resource;
  private final Map<HttpString, HttpHandler> subResources;

  /**
   * @param subResources handlers for {@code <base><id>/details}-style GETs (and PATCHes, which
   *     the handler may refuse), keyed by the sub-path's name as an HttpString (e.g. {@code
   *     details})
   */
  public Router(
      String basePath,
      Map<HttpString, HttpHandler> collection,
      Map<HttpString, HttpHandler> resource,
      Map<HttpString, HttpHandler> subResources) {
    this.basePath = basePath;
    this.collection = Map.copyOf(collection);
    this.resource = Map.copyOf(resource);
    this.subResources = Map.copyOf(subResources);
  }

  /** The id of the upload the request is about; set by the router. */
  public static UploadId uploadId(HttpServerExchange exchange) {
    return exchange.getAttachment(UPLOAD_ID);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRequestPath();
    HttpString method = exchange.getRequestMethod();
    if (path.equals(basePath) || path.equals(basePath.substring(0, basePath.length() - 1))) {
      dispatch(collection, method, exchange);
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
    exchange.putAttachment(UPLOAD_ID, id);
    if (slash < 0) {
      dispatch(resource, method, exchange);
      return;
    }
    HttpHandler sub = subResources.get(new HttpString(rest.substring(slash + 1)));
    if (sub == null) {
      throw new TusException(ErrorCode.NOT_FOUND, "no resource at " + printable(path));
    }
    if (!Methods.GET.equals(method) && !Methods.HEAD.equals(method) && !Methods.PATCH.equals(method)) {
      throw methodNotAllowed(method);
    }
    sub.handleRequest(exchange);
  }

  private static void dispatch(
      Map<HttpString, HttpHandler> handlers, HttpString method, HttpServerExchange exchange)
      throws Exception {
    HttpHandler handler = handlers.get(method);
    if (handler == null) {
      throw methodNotAllowed(method);
    }
    handler.handleRequest(exchange);
  }

  private static TusException methodNotAllowed(HttpString method) {
    return new TusException(
        ErrorCode.METHOD_NOT_ALLOWED, "method " + printable(method.toString()) + " is not allowed here");
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 200 ? p.substring(0, 200) + "..." : p;
  }
}
