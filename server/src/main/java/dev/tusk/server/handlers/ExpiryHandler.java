package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.ExpiryChange;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code PATCH <upload URL>/details} with {@code {"expiresAt": "<instant>"}} or {@code {"keep":
 * true}}: a backend changes an upload's expiry or keeps it until deleted, and gets the new details
 * (200). The access decision comes first ({@code admin}, or the owner with {@code
 * auth.owner-expiry}; anyone else gets the 404 of an unknown upload), then 410 for an expired
 * upload, then the body; the change is made under the upload's lock. Without authentication the
 * API is refused (403): nobody could be told apart from anybody else.
 */
final class ExpiryHandler {
  /** A change is one small JSON object. */
  static final int MAX_BODY = 4096;

  private final TusContext ctx;

  ExpiryHandler(TusContext ctx) {
    this.ctx = ctx;
  }

  void handleRequest(HttpServerExchange exchange) {
    UploadId id = Exchanges.uploadId(exchange);
    RequestContext rc = RequestContext.of(exchange);
    String contentType = TusHeaders.single(exchange, Headers.CONTENT_TYPE);
    if (exchange.getRequestContentLength() > MAX_BODY) {
      change(exchange, rc, id, contentType, null, tooLarge());
      return;
    }
    exchange.setMaxEntitySize(MAX_BODY);
    exchange.getRequestReceiver().receiveFullBytes(
        (ex, bytes) -> Guarded.run(ex, () -> change(ex, rc, id, contentType, bytes, null)),
        (ex, error) -> Guarded.run(ex, () -> change(ex, rc, id, contentType, null,
            new TusException(ErrorCode.MALFORMED_BODY, "could not read the body (at most " + MAX_BODY + " bytes)", error))));
  }

  private void change(
      HttpServerExchange exchange, RequestContext rc, UploadId id, String contentType, byte[] body,
      TusException unreadable) {
    LockedRequest.runOnUpload(ctx, exchange, id, rc, UploadPolicy.Access.EXPIRY, (lock, relay) -> {
      if (unreadable != null) {
        throw unreadable;
      }
      Optional<Principal> principal = rc.principal();
      if (principal.isEmpty()) {
        throw new TusException(ErrorCode.FORBIDDEN,
            "changing an upload's expiry needs an authenticated credential (auth mode keys or jwt)");
      }
      ExpiryChange change = ExpiryChange.parse(contentType, body);
      UploadInfo info = ctx.uploads().require(id);
      Instant now = ctx.uploads().now();
      boolean admin = principal.get().scopes().contains("admin");
      Optional<Instant> expiry = change.resolve(info, now, ctx.config().maxTtl(), admin);
      UploadInfo changed = ctx.uploads().store().update(info.withExpiresAt(expiry));
      ctx.policy().afterExpiryChange(rc, changed); // a durable notification, written before the 200
      DetailsHandler.send(ctx, exchange, changed, 200);
    });
  }

  private static TusException tooLarge() {
    return new TusException(ErrorCode.MAX_SIZE_EXCEEDED, "the body is at most " + MAX_BODY + " bytes");
  }
}
