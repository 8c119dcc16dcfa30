package dev.tusk.server.handlers;

import dev.tusk.core.UploadInfo;
import dev.tusk.server.rufh.InteropVersion;
import dev.tusk.server.rufh.RufhHeaders;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The draft's part of a body request's ending ({@link BodyCompletion.Dialect}): progress 104s
 * carrying the offset stored so far while the body is pumped (from version 5, see {@link
 * RufhHandler#progress}), stopped as soon as the body ends, and {@code Upload-Offset} on the answer
 * of a body that failed after bytes were committed, so the client knows where to resume.
 */
final class RufhProgress implements BodyCompletion.Dialect {
  private final AtomicLong stored;
  private final AutoCloseable reports;

  /** Starts the progress reports of a body appended at {@code offset}. */
  RufhProgress(TusContext ctx, HttpServerExchange exchange, InteropVersion v, long offset) {
    this.stored = new AtomicLong(offset);
    this.reports = RufhHandler.progress(ctx, exchange, v, stored);
  }

  @Override
  public void stored(long offset) {
    stored.set(offset);
  }

  @Override
  public void ended() {
    RufhHandler.closeQuietly(reports);
  }

  @Override
  public void failing(HttpServerExchange exchange, UploadInfo after) {
    if (after != null) {
      exchange.getResponseHeaders().put(RufhHeaders.UPLOAD_OFFSET, after.offset());
    }
  }
}
