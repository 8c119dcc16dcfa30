package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.Terminator;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStore;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.SimpleUploadRequest;
import dev.tusk.server.protocol.Ttl;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.EOFException;
import java.time.Instant;
import java.util.Deque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-request upload: {@code POST <base path>?filename=<name>&ttl=<seconds>} without
 * {@code Tus-Resumable} (the rule is {@link SimpleUploadRequest}'s) creates a complete upload from
 * the body and answers 201 with {@code Location} and the details document.
 *
 * <p>The upload is created with the body's length (or deferred for a chunked body, declared when
 * it ends) and filled by the same {@link BodyPump} as a PATCH; the policy sees it like a tus
 * creation (pre-create, post-create, post-receive, pre-finish, post-finish). It is all or nothing:
 * a body over the maximum size (413), one cut off by the client, or one the policy rejects at
 * pre-finish is terminated, so nothing is kept. The upload's lock is held until the exchange ends,
 * so no other request sees it half-written.
 */
public final class SimpleUploadHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SimpleUploadHandler.class);
  private final TusContext ctx;

  public SimpleUploadHandler(TusContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String base = ctx.config().basePath();
    String path = exchange.getRequestPath();
    boolean collection = path.equals(base) || path.equals(base.substring(0, base.length() - 1));
    if (!collection
        || SimpleUploadRequest.looksLikeTus(
            Exchanges.header(exchange, TusHeaders.UPLOAD_LENGTH),
            Exchanges.header(exchange, TusHeaders.UPLOAD_DEFER_LENGTH),
            Exchanges.header(exchange, TusHeaders.UPLOAD_CONCAT),
            Exchanges.header(exchange, TusHeaders.UPLOAD_METADATA))) {
      throw missingVersion();
    }
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
    if (request.length().isEmpty() && !(store instanceof LengthDeferrer)) {
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
      Outcome outcome = new Outcome(exchange, rc, info);
      if (info.isComplete()) {
        outcome.completed(info);
        return;
      }
      long allowed =
          request.length().isPresent()
              ? request.length().getAsLong()
              : config.maxSize() > 0 ? config.maxSize() : Long.MAX_VALUE;
      PatchRequest body = PatchRequest.forBody("0", null, null, null, contentLength, config.maxSize());
      Appender.start(ctx, exchange, info, body, allowed, relay, () -> {}, rc, outcome);
    });
  }

  /** Ends the request: 201 with the details once every byte is stored, nothing kept otherwise. */
  private final class Outcome implements BodyPump.Outcome {
    private final HttpServerExchange exchange;
    private final RequestContext rc;
    private final UploadInfo created;

    Outcome(HttpServerExchange exchange, RequestContext rc, UploadInfo created) {
      this.exchange = exchange;
      this.rc = rc;
      this.created = created;
    }

    @Override
    public void completed(UploadInfo after) throws Exception {
      UploadInfo done = after;
      if (done.length().isEmpty()) {
        done = ((LengthDeferrer) ctx.uploads().store()).declareLength(done, done.offset());
      }
      if (!done.isComplete()) {
        failed(new BodyPump.ClientGoneException(new EOFException("the body ended early")), done);
        return;
      }
      try {
        done = PatchOutcome.beforeFinish(ctx, rc, done);
        // all or nothing: an upload whose 201 cannot be built is discarded, not left behind
        exchange.getResponseHeaders().put(
            Headers.LOCATION,
            Urls.upload(exchange, ctx.config().basePath(), ctx.config().behindProxy(), done.id()));
        DetailsHandler.send(ctx, exchange, done, 201);
      } catch (Exception e) {
        exchange.getResponseHeaders().remove(Headers.LOCATION);
        failed(e, done);
        return;
      }
      PatchOutcome.afterFinish(ctx, rc, done);
    }

    @Override
    public void failed(Throwable error, UploadInfo after) throws Exception {
      UploadInfo current = after != null ? after : created;
      PatchOutcome.terminateIfStopped(ctx, rc, error, current);
      discard(current);
      Throwable answer = error;
      if (created.length().isEmpty()
          && error instanceof TusException tus
          && tus.code() == ErrorCode.UPLOAD_SIZE_EXCEEDED) {
        answer =
            new TusException(
                ErrorCode.MAX_SIZE_EXCEEDED,
                "the body exceeds the maximum size " + ctx.config().maxSize());
      }
      PatchOutcome.fail(exchange, answer);
    }
  }

  /** Deletes a half-received upload; a store that cannot delete gets it expired instead. */
  private void discard(UploadInfo info) {
    try {
      UploadStore store = ctx.uploads().store();
      if (store instanceof Terminator terminator) {
        terminator.terminate(info);
      } else {
        store.update(info.withExpiresAt(ctx.uploads().now()));
      }
    } catch (Exception e) {
      LOG.warn("event=discard_failed id={} error={}", info.id(), e.toString());
    }
  }

  private static String query(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null ? null : values.peekFirst();
  }

  /** What a tus request without its version gets (tus: 412 with Tus-Version). */
  private static TusException missingVersion() {
    return new TusException(
        ErrorCode.UNSUPPORTED_VERSION,
        "the Tus-Resumable header is missing; this server speaks tus " + TusHeaders.VERSION,
        Map.of(TusHeaders.TUS_VERSION.toString(), TusHeaders.VERSION),
        null);
  }
}
