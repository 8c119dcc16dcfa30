package dev.tusk.server.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.server.config.ServerConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The upload page at {@link ServerConfig.Page#path()}: a fixed set of files read from the jar once
 * at start-up, plus {@code config.json} built from the server's configuration (the upload endpoint
 * and the chunk size). Unauthenticated, GET or HEAD, answered in front of the tus chain like {@code
 * /metrics}; uploads from the page go through the tus chain with whatever credential the page was
 * given. Every other path goes to {@code next}: a request path only ever selects a key of the
 * in-memory table, never a classpath or file name.
 *
 * <p>Every answer carries a Content-Security-Policy that allows scripts, styles and connections to
 * this origin only (no inline script), {@code nosniff}, no referrer (a page URL may carry a token)
 * and a strong ETag; browsers revalidate ({@code no-cache}) and get 304 while the jar is unchanged.
 */
public final class PageHandler implements HttpHandler {
  /** The policy of every page response. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " media-src 'self' blob:; connect-src 'self'; font-src 'self'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  private static final String RESOURCES = "/dev/tusk/server/page/";
  private static final HttpString CSP = new HttpString("Content-Security-Policy");
  private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
  private static final HttpString REFERRER = new HttpString("Referrer-Policy");
  private static final HttpString FRAME = new HttpString("X-Frame-Options");

  /** Served name → content type; the page's whole allow-list. */
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "page.js", "text/javascript; charset=utf-8",
          "page.css", "text/css; charset=utf-8",
          "uppy.min.js", "text/javascript; charset=utf-8",
          "uppy.min.css", "text/css; charset=utf-8");

  private record Asset(String contentType, byte[] body, String etag) {}

  private final HttpHandler next;
  private final String path;
  private final Map<String, Asset> assets;

  /**
   * Reads the page's files from the jar.
   *
   * @throws IllegalStateException if one is missing (a jar built without the page)
   */
  public PageHandler(HttpHandler next, ServerConfig config) {
    this.next = next;
    this.path = config.page().path();
    Map<String, Asset> table = new LinkedHashMap<>();
    FILES.forEach((name, type) -> table.put(path + name, asset(type, read(name))));
    table.put(path, table.get(path + "index.html"));
    table.put(path + "config.json", asset("application/json", configJson(config)));
    this.assets = Map.copyOf(table);
  }

  /** What the page reads at start: where to upload and how big a PATCH is. */
  static byte[] configJson(ServerConfig config) {
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("endpoint", config.basePath());
    node.put("chunkSize", config.page().chunkSize());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String requestPath = exchange.getRequestPath();
    Asset asset = assets.get(requestPath);
    boolean bare = asset == null && !path.equals("/") && requestPath.equals(path.substring(0, path.length() - 1));
    if (asset == null && !bare) {
      next.handleRequest(exchange);
      return;
    }
    if (!Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
      exchange.setStatusCode(405);
      exchange.endExchange();
      return;
    }
    if (bare) {
      exchange.getResponseHeaders().put(Headers.LOCATION, path);
      exchange.setStatusCode(308);
      exchange.endExchange();
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.put(CSP, CONTENT_SECURITY_POLICY);
    headers.put(NOSNIFF, "nosniff");
    headers.put(REFERRER, "no-referrer");
    headers.put(FRAME, "DENY");
    headers.put(Headers.CACHE_CONTROL, "no-cache");
    headers.put(Headers.ETAG, asset.etag());
    if (matches(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), asset.etag())) {
      exchange.setStatusCode(304);
      exchange.endExchange();
      return;
    }
    headers.put(Headers.CONTENT_TYPE, asset.contentType());
    headers.put(Headers.CONTENT_LENGTH, asset.body().length);
    if (Methods.HEAD.equals(exchange.getRequestMethod())) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseSender().send(ByteBuffer.wrap(asset.body()));
  }

  /** RFC 9110 If-None-Match: {@code *} or a list of entity tags, weak comparison. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static Asset asset(String type, byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return new Asset(type, body, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = PageHandler.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "the upload page's " + name + " is missing from the jar (build it with `mvn package`, which"
                + " needs npm); or turn the page off with page.enabled=false");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
