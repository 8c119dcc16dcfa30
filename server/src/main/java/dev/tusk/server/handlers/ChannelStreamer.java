package dev.tusk.server.handlers;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.Executor;
import org.xnio.channels.StreamSinkChannel;

/**
 * Copies {@code length} bytes of a blocking source (an S3 object, say) to the response channel:
 * each read runs on the executor, each write is non-blocking and waits for the socket when it is
 * full, so memory is one buffer per download and no I/O thread blocks on the store. A source that
 * ends early is a failure (the response promised its length). Not thread-safe; one step runs at a
 * time, hand-offs go through the executor or the channel's write listener.
 */
final class ChannelStreamer {
  private static final int BUFFER = 256 * 1024;

  private final StreamSinkChannel sink;
  private final ReadableByteChannel source;
  private final Executor executor;
  private final BodySender.Continuation then;
  private final ByteBuffer buffer;
  private long remaining;

  ChannelStreamer(
      StreamSinkChannel sink,
      ReadableByteChannel source,
      long length,
      Executor executor,
      BodySender.Continuation then) {
    this.sink = sink;
    this.source = source;
    this.remaining = length;
    this.executor = executor;
    this.then = then;
    this.buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER, Math.max(1, length)));
  }

  void start() {
    readNext();
  }

  private void readNext() {
    executor.execute(
        () -> {
          try {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), remaining));
            int n = readSome();
            if (n <= 0) {
              throw new EOFException("the store's stream ended " + remaining + " bytes early");
            }
            buffer.flip();
            remaining -= n;
          } catch (IOException | RuntimeException e) {
            then.failed(e);
            return;
          }
          write();
        });
  }

  private int readSome() throws IOException {
    int total = 0;
    while (buffer.hasRemaining()) {
      int n = source.read(buffer);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private void write() {
    try {
      while (buffer.hasRemaining()) {
        if (sink.write(buffer) == 0) {
          BodySender.awaitWritable(sink, this::write);
          return;
        }
      }
    } catch (IOException e) {
      then.failed(e);
      return;
    }
    if (remaining == 0) {
      then.done();
    } else {
      readNext();
    }
  }
}
