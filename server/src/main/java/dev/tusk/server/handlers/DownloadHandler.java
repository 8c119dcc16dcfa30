package dev.tusk.server.handlers;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.Problems;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * GET on an upload: the stored bytes of a complete upload (sendfile where the store gives a file),
 * or 204 with the upload's tus headers while it is incomplete.
 */
public final class DownloadHandler implements HttpHandler {
  private final TusContext ctx;

  public DownloadHandler(TusContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    UploadId id = Router.uploadId(exchange);
    exchange.dispatch(ctx.storage(), Guarded.task(exchange, () -> respond(exchange, id)));
  }

  private void respond(HttpServerExchange exchange, UploadId id) throws IOException {
    UploadInfo found = ctx.uploads().require(id);
    ctx.policy().beforeAccess(
        dev.tusk.server.policy.RequestContext.of(exchange), found,
        dev.tusk.server.policy.UploadPolicy.Access.GET);
    UploadInfo info = ctx.uploads().settleFinal(found);
    var headers = exchange.getResponseHeaders();
    if (!info.isComplete()) {
      UploadHeaders.describe(headers, info, ctx.config().basePath());
      headers.put(Headers.CACHE_CONTROL, "no-store");
      exchange.setStatusCode(204);
      exchange.endExchange();
      return;
    }
    long length = info.length().getAsLong();
    headers.put(Headers.CONTENT_TYPE, "application/octet-stream");
    headers.put(Headers.CONTENT_DISPOSITION, "attachment");
    headers.put(new io.undertow.util.HttpString("X-Content-Type-Options"), "nosniff");
    headers.put(Headers.CONTENT_LENGTH, length);
    exchange.setStatusCode(200);
    send(exchange, ctx.uploads().store().openRead(info, 0, length), ctx.storage());
  }

  static void send(HttpServerExchange exchange, ReadableByteChannel source, java.util.concurrent.Executor executor) {
    IoCallback done =
        new IoCallback() {
          @Override
          public void onComplete(HttpServerExchange ex, Sender sender) {
            closeQuietly(source);
            sender.close();
          }

          @Override
          public void onException(HttpServerExchange ex, Sender sender, IOException e) {
            closeQuietly(source);
            Problems.send(ex, e);
          }
        };
    if (source instanceof FileChannel file) {
      exchange.getResponseSender().transferFrom(file, done);
    } else {
      new ChannelStreamer(exchange, source, executor, done).next();
    }
  }

  static void closeQuietly(ReadableByteChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
