package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.InterimResponses;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.http.Urls;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.Ttl;
import dev.tusk.server.rufh.InteropVersion;
import dev.tusk.server.rufh.RufhHeaders;
import dev.tusk.server.rufh.RufhRequest;
import dev.tusk.server.rufh.UploadLimits;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Upload creation of the draft: a POST, PUT or PATCH on the collection carrying {@code
 * Upload-Complete} ({@code Upload-Incomplete} in version 3). "If the request is valid, the server
 * SHOULD create an upload resource. Then, the server MUST include the Location header field in
 * the response". The upload is created like a tus one (pre-create and post-create, the same ids
 * and stores), announced with a 104 carrying {@code Location} when the client sent its interop
 * version, and filled from the request content by the same body pump as a tus PATCH. With
 * {@code Upload-Complete: ?1} and a {@code Content-Length}, that length is recorded; with a
 * chunked body it is recorded when the content ends. A body cut off keeps what arrived and the
 * upload stays incomplete, so the client can resume.
 */
final class RufhCreateHandler implements HttpHandler {
  private final TusContext ctx;

  RufhCreateHandler(TusContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    var config = ctx.config();
    InteropVersion v = RufhHandler.version(exchange);
    RufhHandler.markIncomplete(exchange, v);
    if (v.hasUploadLimit()) {
      // -12: "A server responding with a 413 (Content Too Large) status code as a result of its
      // upload limits SHOULD include the Upload-Limit header field in this response"; the limits
      // of an upload created now, replaced by the upload's own once it exists
      exchange.getResponseHeaders().put(RufhHeaders.UPLOAD_LIMIT,
          UploadLimits.header(v, config.maxSize(), config.defaultTtl()));
    }
    RufhRequest.Creation creation = RufhHandler.request(exchange).creation(config.maxSize());
    if (creation.length().isEmpty() && ctx.uploads().capabilities().lengthDeferrer().isEmpty()) {
      throw new TusException(
          ErrorCode.INVALID_REQUEST,
          "this store needs the upload's length at creation (Upload-Length, or Upload-Complete: ?1"
              + " with a Content-Length)");
    }
    boolean hasBody = Exchanges.hasBody(exchange);
    Map<String, String> metadata = metadata(exchange);
    UploadId id = UploadId.random();
    RequestContext rc = RequestContext.of(exchange);
    LockedRequest.run(ctx, exchange, id, (lock, relay) -> {
      Instant now = ctx.uploads().now();
      UploadInfo draft =
          ctx.policy().beforeCreate(rc,
              UploadInfo.draft(id, creation.length(), metadata, now, Ttl.expiry(now, config.defaultTtl())));
      Runnable release = lock::close;
      if (!draft.id().equals(id)) { // a policy chose the id (hook ChangeFileInfo, upload link)
        Locker.Lock own =
            Bounded.lock(ctx.locker().lock(draft.id(), config.lockWait(), relay), config.lockWait())
                .get(config.lockWait().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        exchange.addExchangeCompleteListener((ex, next) -> {
          relay.afterPump(own::close);
          next.proceed();
        });
        release = () -> {
          own.close();
          lock.close();
        };
      }
      UploadInfo info;
      try {
        info = ctx.uploads().store().create(draft);
      } catch (FileAlreadyExistsException e) {
        throw new TusException(ErrorCode.UPLOAD_EXISTS, "an upload with id " + draft.id() + " exists already");
      }
      ctx.policy().afterCreate(rc, info);
      String location = Urls.upload(exchange, config.basePath(), config.behindProxy(), info.id());
      exchange.getResponseHeaders().put(Headers.LOCATION, location);
      announce(exchange, v, info, location);
      if (!hasBody) {
        new BodyCompletion(ctx, exchange, rc, info, ending(v, creation, BodyCompletion.Dialect.NONE))
            .completed(info);
        return;
      }
      long allowed =
          creation.length().isPresent()
              ? creation.length().getAsLong()
              : config.maxSize() > 0 ? config.maxSize() : Long.MAX_VALUE;
      PatchRequest body =
          PatchRequest.forBody("0", null, null, null, exchange.getRequestContentLength(), config.maxSize());
      BodyCompletion.start(ctx, exchange, rc, info, body, allowed, relay, release,
          ending(v, creation, new RufhProgress(ctx, exchange, v, info.offset())));
    });
  }

  /**
   * 201 with the upload's state, whether the content completed it or not; a failed body keeps
   * what was committed (the client resumes from the {@code Upload-Offset} it is told). With
   * {@code Upload-Complete: ?1} the content is the whole upload: a length not known before the
   * content ended is recorded as the offset reached.
   */
  private BodyCompletion.Ending ending(
      InteropVersion v, RufhRequest.Creation creation, BodyCompletion.Dialect dialect) {
    return new BodyCompletion.Ending(
        (exchange, upload) -> respond(exchange, v, upload),
        BodyCompletion.OnFailure.KEEP_CREATED,
        creation.complete() ? BodyCompletion.LastPart.DECLARES_LENGTH : BodyCompletion.LastPart.NO,
        dialect);
  }

  /**
   * 104 (Upload Resumption Supported) with {@code Location} ("In the first informational
   * response, the Location header field MUST be set to the URL pointing to the upload resource")
   * and, from version 6 on, {@code Upload-Limit} ("MUST include the Upload-Limit header field
   * with the corresponding limits"). Only for a client that sent its interop version: "Server
   * implementations of draft versions of the protocol MUST NOT send a 104 (Upload Resumption
   * Supported) informational response when the interop version indicated by the
   * Upload-Draft-Interop-Version header field in the request is missing or mismatching."
   */
  private void announce(HttpServerExchange exchange, InteropVersion v, UploadInfo info, String location) {
    if (!RufhHandler.versionSent(exchange) || !ctx.config().rufh().interim()) {
      return;
    }
    HeaderMap h = RufhHandler.interim(v);
    h.put(Headers.LOCATION, location);
    if (v.hasUploadLimit()) {
      h.put(RufhHeaders.UPLOAD_LIMIT, RufhHandler.limits(ctx, v, info));
    }
    InterimResponses.send(exchange, 104, h);
  }

  /**
   * -01: "Server is RECOMMENDED to use 201 (Created) response" for a complete upload, and an
   * incomplete one MUST be acknowledged "with the 201 (Created) status code"; later versions keep
   * 201 for both.
   */
  private void respond(HttpServerExchange exchange, InteropVersion v, UploadInfo info) {
    RufhHandler.state(ctx, exchange, v, info);
    exchange.setStatusCode(201);
    Exchanges.end(exchange);
  }

  /**
   * Representation metadata of the creation request ("Servers MAY interpret this metadata"):
   * {@code Content-Type} becomes the upload's {@code filetype}, as tus clients send it.
   */
  private static Map<String, String> metadata(HttpServerExchange exchange) {
    String type = TusHeaders.single(exchange, Headers.CONTENT_TYPE);
    if (type == null
        || type.isBlank()
        || type.length() > 200
        || type.toLowerCase(Locale.ROOT).startsWith(RufhHeaders.PARTIAL_UPLOAD)
        || !type.matches("[\\x20-\\x7e]+")) {
      return Map.of();
    }
    return Map.of("filetype", type.strip());
  }
}
