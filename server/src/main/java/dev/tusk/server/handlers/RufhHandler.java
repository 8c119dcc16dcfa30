package dev.tusk.server.handlers;

import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.InterimResponses;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.rufh.Dialect;
import dev.tusk.server.rufh.InteropVersion;
import dev.tusk.server.rufh.RufhHeaders;
import dev.tusk.server.rufh.RufhRequest;
import dev.tusk.server.rufh.UploadLimits;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dialect branch: a request that speaks Resumable Uploads for HTTP ({@link Dialect}) is
 * routed to the draft's handlers, every other request to {@code tus} unchanged. Both reach the
 * same uploads through the same stores, locks, policy (access decision, hooks) and body pump.
 *
 * <p>Draft routes: creation by POST, PUT or PATCH on the collection; on an upload, HEAD (and with
 * interop version 9, GET) retrieves the offset, PATCH appends, DELETE cancels. OPTIONS is the tus
 * handler's, which announces {@code Upload-Limit} and {@code Accept-Patch} too.
 */
public final class RufhHandler implements HttpHandler {
  private static final AttachmentKey<InteropVersion> VERSION =
      AttachmentKey.create(InteropVersion.class);

  private final TusContext ctx;
  private final HttpHandler tus;
  private final HttpHandler router;

  public RufhHandler(TusContext ctx, HttpHandler tus) {
    this.ctx = ctx;
    this.tus = tus;
    HttpHandler create = new RufhCreateHandler(ctx);
    HeadHandler offset = new HeadHandler(ctx, this::describe);
    DownloadHandler download = new DownloadHandler(ctx);
    OptionsHandler options = new OptionsHandler(ctx);
    HttpHandler head = exchange -> {
      request(exchange).requireNoUploadFields("offset retrieval");
      offset.handleRequest(exchange);
    };
    Map<HttpString, HttpHandler> resource = new HashMap<>();
    resource.put(Methods.OPTIONS, options);
    resource.put(Methods.HEAD, head);
    // -12: "It can fetch the offset by sending a HEAD or GET request"; earlier versions leave GET
    // to the download
    resource.put(Methods.GET, exchange -> {
      if (version(exchange).offsetByGet()) {
        head.handleRequest(exchange);
      } else {
        download.handleRequest(exchange);
      }
    });
    resource.put(Methods.PATCH, new RufhAppendHandler(ctx));
    ctx.uploads().capabilities().terminator().ifPresent(terminator -> {
      DeleteHandler delete = new DeleteHandler(ctx, terminator);
      resource.put(Methods.DELETE, exchange -> {
        request(exchange).requireNoUploadFields("cancellation");
        delete.handleRequest(exchange);
      });
    });
    this.router =
        Router.forDialect(
            ctx.config().basePath(),
            Map.of(Methods.POST, create, Methods.PUT, create, Methods.PATCH, create,
                Methods.OPTIONS, options),
            resource,
            Map.of(new HttpString("details"), new DetailsHandler(ctx)));
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    HeaderMap h = exchange.getRequestHeaders();
    boolean options = Methods.OPTIONS.equals(exchange.getRequestMethod());
    Optional<InteropVersion> version =
        Dialect.of(
            TusHeaders.single(exchange, RufhHeaders.INTEROP_VERSION),
            h.getFirst(TusHeaders.TUS_RESUMABLE),
            h.getFirst(RufhHeaders.UPLOAD_COMPLETE),
            h.getFirst(RufhHeaders.UPLOAD_INCOMPLETE),
            options);
    if (version.isEmpty() || options) {
      tus.handleRequest(exchange);
      return;
    }
    exchange.putAttachment(VERSION, version.get());
    router.handleRequest(exchange);
  }

  /** The interop version of a draft request; set by this handler. */
  static InteropVersion version(HttpServerExchange exchange) {
    return exchange.getAttachment(VERSION);
  }

  /** The draft's fields of the request, parsed for its version. */
  static RufhRequest request(HttpServerExchange exchange) {
    return RufhRequest.parse(
        version(exchange),
        TusHeaders.single(exchange, RufhHeaders.UPLOAD_COMPLETE),
        TusHeaders.single(exchange, RufhHeaders.UPLOAD_INCOMPLETE),
        TusHeaders.single(exchange, RufhHeaders.UPLOAD_OFFSET),
        TusHeaders.single(exchange, RufhHeaders.UPLOAD_LENGTH),
        exchange.getRequestContentLength());
  }

  /** True if the client named the interop version itself (104s are only sent then). */
  static boolean versionSent(HttpServerExchange exchange) {
    return exchange.getRequestHeaders().contains(RufhHeaders.INTEROP_VERSION);
  }

  /**
   * Offset retrieval. -01: "it MUST send back a 204 (No Content) response. The response MUST
   * include the Upload-Offset header ... MUST include the Upload-Incomplete header"; -05 on:
   * "MUST include the Upload-Length header field set to the upload's final size if one was
   * recorded"; -12: "MUST indicate the limits in the Upload-Limit header field" and every version
   * "SHOULD include a Cache-Control header field with the value no-store".
   */
  private void describe(HttpServerExchange exchange, UploadInfo info) {
    state(ctx, exchange, version(exchange), info);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    // Undertow frames a HEAD answer without a length as chunked, which no 204 may announce; -03
    // on allow "a 204 (No Content) or 200 (OK) status code", so those get 200 with length 0, and
    // -01, which requires 204, gets 204 with Content-Length: 0
    exchange.setResponseContentLength(0);
    exchange.setStatusCode(version(exchange).offsetStatus());
    Exchanges.end(exchange);
  }

  /** Writes the upload's offset, completeness, length and limits as {@code v} names them. */
  static void state(TusContext ctx, HttpServerExchange exchange, InteropVersion v, UploadInfo info) {
    HeaderMap out = exchange.getResponseHeaders();
    out.put(RufhHeaders.UPLOAD_OFFSET, info.offset());
    out.put(RufhHeaders.completenessField(v), RufhHeaders.completenessValue(v, info.isComplete()));
    if (v.hasUploadLength() && info.length().isPresent()) {
      out.put(RufhHeaders.UPLOAD_LENGTH, info.length().getAsLong());
    } else {
      out.remove(RufhHeaders.UPLOAD_LENGTH);
    }
    if (v.hasUploadLimit()) {
      out.put(RufhHeaders.UPLOAD_LIMIT, limits(ctx, v, info));
    }
  }

  static String limits(TusContext ctx, InteropVersion v, UploadInfo info) {
    return UploadLimits.header(v, ctx.config().maxSize(), ctx.uploads().now(), info.expiresAt());
  }

  /**
   * -06 on: "If the request didn't complete the upload, any response, successful or not, MUST
   * include the Upload-Complete header field with a false value": set before any check, replaced
   * when the request completes the upload.
   */
  static void markIncomplete(HttpServerExchange exchange, InteropVersion v) {
    if (v.completenessOnEveryResponse()) {
      exchange.getResponseHeaders().put(
          RufhHeaders.completenessField(v), RufhHeaders.completenessValue(v, false));
    }
  }

  /** The draft's interim response fields: always the interop version ("Server implementations
   * of draft versions of the protocol MUST also send a header field Upload-Draft-Interop-Version
   * ... to the 104 (Upload Resumption Supported) informational response"). */
  static HeaderMap interim(InteropVersion v) {
    HeaderMap h = new HeaderMap();
    h.put(RufhHeaders.INTEROP_VERSION, v.number());
    return h;
  }

  /**
   * Progress 104s with {@code Upload-Offset} while a body is stored (-03 on: "An informational
   * response MAY contain the Upload-Offset header field with the current upload offset"), every
   * {@code rufh-progress-interval}; none when that is zero, with {@code rufh-interim false}, for
   * versions 3 and 4, or when the client did not send its version. The offset reported is what the store accepted, which a disconnect
   * keeps, so later offsets are never smaller.
   */
  static AutoCloseable progress(
      TusContext ctx, HttpServerExchange exchange, InteropVersion v, AtomicLong offset) {
    Duration interval = ctx.config().rufh().progressInterval();
    if (interval.isZero() || !ctx.config().rufh().interim() || !v.progressReports()
        || !versionSent(exchange)) {
      return () -> {};
    }
    return InterimResponses.every(exchange, 104, interval, () -> {
      HeaderMap h = interim(v);
      h.put(RufhHeaders.UPLOAD_OFFSET, offset.get());
      return h;
    });
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // progress reports only
    }
  }
}
