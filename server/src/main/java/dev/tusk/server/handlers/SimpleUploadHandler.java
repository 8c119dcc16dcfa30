package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStore;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.http.Urls;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.SimpleUploadRequest;
import dev.tusk.server.protocol.Ttl;
import dev.tusk.server.protocol.TusExtensions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Instant;
import java.util.Deque;

/**
 * The single-request upload: {@code POST <base path>?filename=<name>&ttl=<seconds>} without
 * {@code Tus-Resumable} (the rule is {@link SimpleUploadRequest#isPlain}'s, applied by the {@link
 * Router}) creates a complete upload from the body and answers 201 with {@code Location} and the
 * details document.
 *
 * <p>The upload is created with the body's length (or deferred for a chunked body, declared when
 * it ends) and filled and ended by the same {@link BodyCompletion} as a PATCH ({@link
 * BodyCompletion.OnFailure#DISCARD}, the body as the last part); the policy sees it like a tus
 * creation (pre-create, post-create, post-receive, pre-finish, post-finish). It is all or nothing:
 * a body over the maximum size (413), one cut off by the client, or one the policy rejects at
 * pre-finish is terminated, so nothing is kept. The upload's lock is held until the exchange ends
 * and the body's outcome ran (created or discarded), so no other request sees it half-written;
 * a connection closed under the body ends both, so the lock is released then too.
 */
public final class SimpleUploadHandler implements HttpHandler {
  private final TusContext ctx;

  /** 201 with {@code Location} and the details once every byte is stored; nothing kept otherwise. */
  private final BodyCompletion.Ending stored;

  public SimpleUploadHandler(TusContext ctx) {
    this.ctx = ctx;
    this.stored =
        new BodyCompletion.Ending(
            (exchange, upload) -> {
              exchange.getResponseHeaders().put(
                  Headers.LOCATION,
                  Urls.upload(exchange, ctx.config().basePath(), ctx.config().behindProxy(), upload.id()));
              DetailsHandler.send(ctx, exchange, upload, 201);
            },
            BodyCompletion.OnFailure.DISCARD,
            true);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    var config = ctx.config();
    long contentLength = exchange.getRequestContentLength();
    SimpleUploadRequest request =
        SimpleUploadRequest.parse(
            query(exchange, "filename"),
            query(exchange, "ttl"),
            contentLength,
            contentLength < 0 && Exchanges.hasBody(exchange),
            TusHeaders.single(exchange, Headers.CONTENT_TYPE),
            config.defaultTtl(),
            config.maxTtl(),
            config.maxSize());
    UploadStore store = ctx.uploads().store();
    if (request.length().isEmpty() && ctx.uploads().capabilities().lengthDeferrer().isEmpty()) {
      throw new TusException(
          ErrorCode.INVALID_REQUEST, "this store needs a Content-Length for a single-request upload");
    }
    RequestContext rc = RequestContext.of(exchange);
    UploadId id = UploadId.random();
    LockedRequest.run(ctx, exchange, id, (lock, relay) -> {
      Instant now = ctx.uploads().now();
      UploadInfo draft =
          ctx.policy().beforeCreate(
              rc, UploadInfo.draft(
                  id, request.length(), request.metadata(), now, Ttl.expiry(now, request.ttl())));
      UploadInfo info = store.create(draft);
      ctx.policy().afterCreate(rc, info);
      if (info.isComplete()) {
        new BodyCompletion(ctx, exchange, rc, info, stored).completed(info);
        return;
      }
      long allowed =
          request.length().isPresent()
              ? request.length().getAsLong()
              : config.maxSize() > 0 ? config.maxSize() : Long.MAX_VALUE;
      PatchRequest body = PatchRequest.forBody("0", null, null, null, contentLength, config.maxSize());
      // no release by the pump: LockedRequest releases the lock once the exchange ended and the
      // pump's outcome ran, so nobody sees the upload half-written
      BodyCompletion.start(ctx, exchange, rc, info, body, allowed, relay, () -> {}, stored);
    });
  }

  private static String query(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null ? null : values.peekFirst();
  }
}
