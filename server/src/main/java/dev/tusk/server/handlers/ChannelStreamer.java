package dev.tusk.server.handlers;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.Executor;

/**
 * Streams a blocking source (an S3 object, say) to the response: each read runs on the executor
 * and each write is asynchronous, so memory is one buffer per download and no I/O thread blocks.
 */
final class ChannelStreamer implements IoCallback {
  private static final int BUFFER = 256 * 1024;
  private final HttpServerExchange exchange;
  private final ReadableByteChannel source;
  private final Executor executor;
  private final IoCallback done;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);

  ChannelStreamer(HttpServerExchange exchange, ReadableByteChannel source, Executor executor, IoCallback done) {
    this.exchange = exchange;
    this.source = source;
    this.executor = executor;
    this.done = done;
  }

  /** Reads the next buffer (on the executor) and sends it. */
  void next() {
    executor.execute(
        () -> {
          buffer.clear();
          int n;
          try {
            n = readSome();
          } catch (IOException e) {
            done.onException(exchange, exchange.getResponseSender(), e);
            return;
          }
          if (n < 0) {
            done.onComplete(exchange, exchange.getResponseSender());
            return;
          }
          buffer.flip();
          exchange.getResponseSender().send(buffer, this);
        });
  }

  private int readSome() throws IOException {
    int total = 0;
    while (buffer.hasRemaining()) {
      int n = source.read(buffer);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
    }
    return total;
  }

  @Override
  public void onComplete(HttpServerExchange ex, Sender sender) {
    next();
  }

  @Override
  public void onException(HttpServerExchange ex, Sender sender, IOException e) {
    done.onException(ex, sender, e);
  }
}
