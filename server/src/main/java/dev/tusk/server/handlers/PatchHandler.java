package dev.tusk.server.handlers;

import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.PatchPreconditions;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.TusExtensions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * PATCH: tus "The Server SHOULD accept PATCH requests against any upload URL and apply the bytes
 * contained in the message at the given offset specified by the Upload-Offset header." Success is
 * 204 with the new {@code Upload-Offset}.
 */
public final class PatchHandler implements HttpHandler {
  /** tus: "The Server MUST acknowledge successful PATCH requests with the 204 No Content status." */
  private static final BodyCompletion.Ending PATCHED =
      new BodyCompletion.Ending(
          BodyCompletion.Answer.status(204, (exchange, upload) -> {
            // tus: "It MUST include the Upload-Offset header containing the new offset."
            exchange.getResponseHeaders().put(TusHeaders.UPLOAD_OFFSET, upload.offset());
            UploadHeaders.expires(exchange.getResponseHeaders(), upload);
          }),
          BodyCompletion.OnFailure.KEEP,
          false);

  private final TusContext ctx;

  public PatchHandler(TusContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    UploadId id = Exchanges.uploadId(exchange);
    PatchRequest request =
        PatchRequest.parse(
            TusHeaders.single(exchange, Headers.CONTENT_TYPE),
            TusHeaders.single(exchange, TusHeaders.UPLOAD_OFFSET),
            TusHeaders.single(exchange, TusHeaders.UPLOAD_CHECKSUM),
            Exchanges.header(exchange, TusHeaders.TRAILER),
            TusHeaders.single(exchange, TusHeaders.UPLOAD_LENGTH),
            exchange.getRequestContentLength(),
            ctx.config().maxSize());
    RequestContext rc = RequestContext.of(exchange);
    LockedRequest.runOnUpload(ctx, exchange, id, rc, UploadPolicy.Access.PATCH, (lock, relay) -> {
      UploadInfo info = ctx.uploads().require(id);
      long allowed = PatchPreconditions.check(request, info, ctx.config().maxSize());
      if (request.uploadLength().isPresent() && info.length().isEmpty()) {
        long length = request.uploadLength().getAsLong();
        LengthDeferrer deferrer = ctx.uploads().capabilities().lengthDeferrer()
            .orElseThrow(() -> TusExtensions.unsupported(TusExtensions.DEFER_LENGTH));
        info = deferrer.declareLength(info, length);
        allowed = length - info.offset();
      }
      BodyCompletion.start(ctx, exchange, rc, info, request, allowed, relay, lock::close, PATCHED);
    });
  }
}
