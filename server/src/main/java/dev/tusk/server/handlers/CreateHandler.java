package dev.tusk.server.handlers;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.http.Urls;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.protocol.CreationRequest;
import dev.tusk.server.protocol.PatchPreconditions;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.Ttl;
import dev.tusk.server.protocol.TusExtensions;
import dev.tusk.server.uploads.UploadService;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * POST on the collection (tus creation): tus "The Server MUST acknowledge a successful upload
 * creation with the 201 Created status. The Server MUST set the Location header to the URL of the
 * created resource." With a body it is creation-with-upload: the body is the first chunk and the
 * response carries {@code Upload-Offset}. {@code Upload-Concat: final;...} creates a concatenation.
 */
public final class CreateHandler implements HttpHandler {
  private final TusContext ctx;

  /** tus creation without a body: 201 with the upload's URL. */
  private final BodyCompletion.Ending created;

  public CreateHandler(TusContext ctx) {
    this.ctx = ctx;
    this.created =
        new BodyCompletion.Ending(
            BodyCompletion.Answer.status(201, (exchange, upload) -> {
              exchange.getResponseHeaders().put(Headers.LOCATION, location(exchange, upload));
              UploadHeaders.expires(exchange.getResponseHeaders(), upload);
            }),
            BodyCompletion.OnFailure.KEEP_CREATED,
            false);
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
    TusExtensions.checkCreation(creation, ctx.uploads().capabilities());
    Duration ttl = Ttl.resolve(creation.metadata().get("ttl"), config.defaultTtl(), config.maxTtl());
    PatchRequest body = bodyOf(exchange, creation);
    UploadId id = UploadId.random();
    RequestContext rc = RequestContext.of(exchange);
    LockedRequest.run(ctx, exchange, id, (lock, relay) -> {
      List<UploadInfo> partials = partials(rc, creation);
      UploadInfo draft = draft(exchange, rc, creation, id, ttl, partials);
      long allowed = body == null ? 0 : PatchPreconditions.check(body, draft, config.maxSize());
      Runnable release = draft.id().equals(id) ? lock::close : holdChosenId(exchange, draft, relay, lock);
      UploadInfo info = create(rc, draft, partials);
      if (body == null) { // complete now if empty or a finished concatenation: tusd pre-finish
        new BodyCompletion(ctx, exchange, rc, info, created).completed(info);
        return;
      }
      exchange.getResponseHeaders().put(Headers.LOCATION, location(exchange, info));
      UploadHeaders.expires(exchange.getResponseHeaders(), info);
      BodyCompletion.start(ctx, exchange, rc, info, body, allowed, relay, release, CREATED_WITH_BODY);
    });
  }

  /**
   * tus creation-with-upload: 201 with {@code Upload-Offset} (the URL is set before the body is
   * read, so that a creation whose body failed on the server's side can still answer it).
   */
  private static final BodyCompletion.Ending CREATED_WITH_BODY =
      new BodyCompletion.Ending(
          BodyCompletion.Answer.status(201, (exchange, upload) ->
              exchange.getResponseHeaders().put(TusHeaders.UPLOAD_OFFSET, upload.offset())),
          BodyCompletion.OnFailure.KEEP_CREATED,
          false);

  private String location(HttpServerExchange exchange, UploadInfo upload) {
    return Urls.upload(exchange, ctx.config().basePath(), ctx.config().behindProxy(), upload.id());
  }

  /** The partial uploads a final upload concatenates, checked; none for other creations. */
  private List<UploadInfo> partials(RequestContext rc, CreationRequest creation) throws IOException {
    if (creation.concat().kind() != ConcatKind.FINAL) {
      return List.of();
    }
    List<UploadInfo> partials = ctx.uploads().partialsFor(rc, creation.concat().partials());
    OptionalLong length = UploadService.totalLength(partials);
    long max = ctx.config().maxSize();
    if (length.isPresent() && max > 0 && length.getAsLong() > max) {
      throw new TusException(ErrorCode.MAX_SIZE_EXCEEDED,
          "the concatenation of " + length.getAsLong() + " bytes exceeds the maximum size " + max);
    }
    return partials;
  }

  /** The upload to create, as the policy accepts it (tusd pre-create; it may choose the id). */
  private UploadInfo draft(
      HttpServerExchange exchange, RequestContext rc, CreationRequest creation, UploadId id,
      Duration ttl, List<UploadInfo> partials) throws IOException {
    OptionalLong length =
        creation.concat().kind() == ConcatKind.FINAL ? UploadService.totalLength(partials) : creation.length();
    Instant now = ctx.uploads().now();
    UploadInfo draft =
        UploadInfo.draft(id, length, creation.metadata(), now, Ttl.expiry(now, ttl))
            .withConcat(creation.concat().kind(), creation.concat().partials());
    return ctx.policy().beforeCreate(rc, UploadHeaders.asReceived(draft, exchange));
  }

  /**
   * Takes the lock of an id the policy chose (hook ChangeFileInfo, upload link) besides the one of
   * the random id; returns what releases both. The pump releases both once it has committed; a
   * request without a pump releases the chosen id's with the exchange.
   */
  private Runnable holdChosenId(
      HttpServerExchange exchange, UploadInfo draft, StopRelay relay, Locker.Lock lock)
      throws Exception {
    var wait = ctx.config().lockWait();
    Locker.Lock own = Bounded.lock(ctx.locker().lock(draft.id(), wait, relay), wait)
        .get(wait.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    exchange.addExchangeCompleteListener((ex, next) -> {
      relay.afterPump(own::close);
      next.proceed();
    });
    return () -> {
      own.close();
      lock.close();
    };
  }

  /** Stores the upload (tusd post-create), concatenated at once if every partial is complete. */
  private UploadInfo create(RequestContext rc, UploadInfo draft, List<UploadInfo> partials)
      throws IOException {
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
    return info;
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
