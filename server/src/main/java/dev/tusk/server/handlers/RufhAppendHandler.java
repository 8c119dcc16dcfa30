package dev.tusk.server.handlers;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.TusExtensions;
import dev.tusk.server.rufh.InteropVersion;
import dev.tusk.server.rufh.RufhHeaders;
import dev.tusk.server.rufh.RufhRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.Locale;

/**
 * Upload append of the draft: a PATCH on an upload with {@code Upload-Offset}. The access
 * decision comes first, then the lock (a request still holding it is asked to let go: "the
 * server SHOULD prevent race conditions, data loss, and corruption by terminating the previous
 * request before processing the new request"), then the checks of {@link RufhRequest#append}
 * against the stored upload, then the body pump. A cut-off body keeps what arrived ("the server
 * SHOULD append as much of the patch document as possible ... the upload resource MUST NOT be
 * considered complete then").
 */
final class RufhAppendHandler implements HttpHandler {
  private final TusContext ctx;

  RufhAppendHandler(TusContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    InteropVersion v = RufhHandler.version(exchange);
    RufhHandler.markIncomplete(exchange, v);
    RufhRequest request = RufhHandler.request(exchange);
    // -04 on: "The request MUST use the PATCH method with the application/partial-upload media
    // type"
    String type = TusHeaders.single(exchange, Headers.CONTENT_TYPE);
    if (v.requiresPartialUpload()
        && (type == null || !type.strip().toLowerCase(Locale.ROOT).startsWith(RufhHeaders.PARTIAL_UPLOAD))) {
      throw new TusException(
          ErrorCode.INVALID_CONTENT_TYPE,
          "an append requires Content-Type: " + RufhHeaders.PARTIAL_UPLOAD);
    }
    UploadId id = Exchanges.uploadId(exchange);
    RequestContext rc = RequestContext.of(exchange);
    long maxSize = ctx.config().maxSize();
    LockedRequest.runOnUpload(ctx, exchange, id, rc, UploadPolicy.Access.PATCH, (lock, relay) -> {
      UploadInfo info = ctx.uploads().require(id);
      if (info.concat() == ConcatKind.FINAL) {
        throw new TusException(ErrorCode.MODIFY_FINAL, "a concatenated upload cannot be appended to");
      }
      RufhRequest.Append append =
          request.append(info.offset(), info.length(), info.isComplete(), maxSize);
      if (append.replay()) {
        // -12: "The server can choose to replay the final response to the client if the request
        // to append to the completed upload is valid."
        respond(exchange, v, info);
        return;
      }
      if (append.length().isPresent() && info.length().isEmpty()) {
        info = declare(info, append.length().getAsLong());
      }
      PatchRequest body =
          PatchRequest.forBody(
              Long.toString(info.offset()), null, null, null, exchange.getRequestContentLength(), maxSize);
      BodyCompletion.start(ctx, exchange, rc, info, body, append.allowed(), relay, lock::close,
          new BodyCompletion.Ending(
              (ex, upload) -> respond(ex, v, upload),
              BodyCompletion.OnFailure.KEEP,
              append.complete() ? BodyCompletion.LastPart.DECLARES_LENGTH : BodyCompletion.LastPart.NO,
              new RufhProgress(ctx, exchange, v, info.offset())));
    });
  }

  private UploadInfo declare(UploadInfo info, long length) throws IOException {
    return deferrer().declareLength(info, length);
  }

  /**
   * A completed upload: 201 ("Servers are RECOMMENDED to use a 201 (Created) response if not
   * otherwise specified"); an incomplete one: 201 up to version 6 ("the server MUST acknowledge
   * it by responding with a 201 (Created) status code"), 204 from version 7 on ("a 2xx
   * (Successful) response").
   */
  private void respond(HttpServerExchange exchange, InteropVersion v, UploadInfo info) {
    RufhHandler.state(ctx, exchange, v, info);
    exchange.setStatusCode(info.isComplete() ? 201 : v.incompleteAppendStatus());
    Exchanges.end(exchange);
  }

  /** The store's length deferrer; a draft upload without a length needs one (checked at creation). */
  private LengthDeferrer deferrer() {
    return ctx.uploads().capabilities().lengthDeferrer()
        .orElseThrow(() -> TusExtensions.unsupported(TusExtensions.DEFER_LENGTH));
  }
}
