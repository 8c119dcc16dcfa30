package dev.tusk.server.handlers;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.protocol.CreationRequest;
import dev.tusk.server.protocol.PatchPreconditions;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.Ttl;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import dev.tusk.core.Locker;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.OptionalLong;

/**
 * POST on the collection (tus creation): tus "The Server MUST acknowledge a successful upload
 * creation with the 201 Created status. The Server MUST set the Location header to the URL of the
 * created resource." With a body it is creation-with-upload: the body is the first chunk and the
 * response carries {@code Upload-Offset}. {@code Upload-Concat: final;...} creates a concatenation.
 */
public final class CreateHandler implements HttpHandler {
  private final TusContext ctx;

  public CreateHandler(TusContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    var config = ctx.config();
    CreationRequest creation =
        CreationRequest.parse(
            TusHeaders.single(exchange, TusHeaders.UPLOAD_LENGTH),
            TusHeaders.single(exchange, TusHeaders.UPLOAD_DEFER_LENGTH),
            TusHeaders.single(exchange, TusHeaders.UPLOAD_METADATA),
            TusHeaders.single(exchange, TusHeaders.UPLOAD_CONCAT),
            config.basePath(),
            config.maxSize());
    var ttl = Ttl.resolve(creation.metadata().get("ttl"), config.defaultTtl(), config.maxTtl());
    PatchRequest body = bodyOf(exchange, creation);
    UploadId id = UploadId.random();
    RequestContext rc = RequestContext.of(exchange);
    LockedRequest.run(ctx, exchange, id, (lock, relay) -> {
      Instant now = ctx.uploads().now();
      List<UploadInfo> partials = List.of();
      OptionalLong length = creation.length();
      if (creation.concat().kind() == ConcatKind.FINAL) {
        partials = ctx.uploads().partialsFor(rc, creation.concat().partials());
        length = dev.tusk.server.UploadService.totalLength(partials);
        if (length.isPresent() && config.maxSize() > 0 && length.getAsLong() > config.maxSize()) {
          throw new TusException(ErrorCode.MAX_SIZE_EXCEEDED,
              "the concatenation of " + length.getAsLong() + " bytes exceeds the maximum size " + config.maxSize());
        }
      }
      UploadInfo draft =
          ctx.policy().beforeCreate(rc,
              UploadHeaders.asReceived(
                  UploadInfo.draft(id, length, creation.metadata(), now, Ttl.expiry(now, ttl))
                      .withConcat(creation.concat().kind(), creation.concat().partials()),
                  exchange));
      long allowed = body == null ? 0 : PatchPreconditions.check(body, draft, config.maxSize());
      Runnable release = lock::close;
      if (!draft.id().equals(id)) { // a policy chose the id (hook ChangeFileInfo, upload link)
        Locker.Lock own = Bounded.lock(ctx.locker().lock(draft.id(), config.lockWait(), relay), config.lockWait())
            .get(config.lockWait().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        exchange.addExchangeCompleteListener((ex, next) -> {
          if (!relay.pumpRunning()) {
            own.close();
          }
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
      if (info.concat() == ConcatKind.FINAL && partials.stream().allMatch(UploadInfo::isComplete)) {
        info = ctx.uploads().concatenate(info, partials);
      }
      if (body == null) { // complete now if empty or a finished concatenation: tusd pre-finish
        info = PatchOutcome.beforeFinish(ctx, rc, info);
      }
      exchange.getResponseHeaders().put(
          Headers.LOCATION, Urls.upload(exchange, config.basePath(), config.behindProxy(), info.id()));
      UploadHeaders.expires(exchange.getResponseHeaders(), info);
      if (body == null) {
        exchange.setStatusCode(201);
        Exchanges.end(exchange);
        PatchOutcome.afterFinish(ctx, rc, info);
        return;
      }
      UploadInfo created = info;
      Appender.start(ctx, exchange, info, body, allowed, relay, release, rc,
          new BodyPump.Outcome() {
            @Override
            public void completed(UploadInfo after) throws Exception {
              UploadInfo finished = PatchOutcome.beforeFinish(ctx, rc, after);
              exchange.getResponseHeaders().put(TusHeaders.UPLOAD_OFFSET, finished.offset());
              exchange.setStatusCode(201);
              Exchanges.end(exchange);
              PatchOutcome.afterFinish(ctx, rc, finished);
            }

            @Override
            public void failed(Throwable error, UploadInfo after) throws Exception {
              PatchOutcome.terminateIfStopped(ctx, rc, error, after);
              PatchOutcome.finishAfterFailure(ctx, rc, after);
              PatchOutcome.failCreation(ctx, exchange, rc, error, created, after);
            }
          });
    });
  }

  /** The first chunk of creation-with-upload, or null if the request has no body. */
  private PatchRequest bodyOf(HttpServerExchange exchange, CreationRequest creation) {
    if (!Exchanges.hasBody(exchange)) {
      return null;
    }
    if (creation.concat().kind() == ConcatKind.FINAL) {
      throw new TusException(ErrorCode.MODIFY_FINAL, "a final upload cannot carry a body");
    }
    String type = TusHeaders.single(exchange, Headers.CONTENT_TYPE);
    // tus creation-with-upload: the body is sent with Content-Type application/offset+octet-stream
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(TusHeaders.OFFSET_OCTET_STREAM)) {
      throw new TusException(ErrorCode.INVALID_CONTENT_TYPE,
          "a creation request with a body requires Content-Type: application/offset+octet-stream");
    }
    return PatchRequest.forBody(
        "0",
        TusHeaders.single(exchange, TusHeaders.UPLOAD_CHECKSUM),
        Exchanges.header(exchange, TusHeaders.TRAILER),
        null,
        exchange.getRequestContentLength(),
        ctx.config().maxSize());
  }
}
