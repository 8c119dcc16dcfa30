package dev.tusk.store.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * A ranged GET's body as a channel. Closing it before the range is read aborts the connection
 * instead of draining the rest of the body. Not thread-safe.
 */
final class RangeChannel implements ReadableByteChannel {
  private final ResponseInputStream<?> in;
  private final ReadableByteChannel channel;
  private long remaining;

  RangeChannel(ResponseInputStream<?> in, long length) {
    this.in = in;
    this.channel = Channels.newChannel(in);
    this.remaining = length;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n = channel.read(dst);
    if (n > 0) {
      remaining -= n;
    }
    return n;
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    if (remaining > 0) {
      in.abort();
    }
    channel.close();
  }
}
