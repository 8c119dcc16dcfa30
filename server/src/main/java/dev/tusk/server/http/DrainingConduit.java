package dev.tusk.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;

/**
 * The outermost conduit of a final HTTP/1.1 response that follows an interim response the socket
 * has not fully taken: every operation first writes those bytes (to the socket, beneath this
 * conduit's delegates), and passes nothing on until they are gone. A write that cannot finish them
 * reports 0 bytes written, which makes Undertow wait for the socket to become writable and call
 * again.
 */
final class DrainingConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {
  private final InterimState state;
  private boolean terminated;

  DrainingConduit(StreamSinkConduit next, InterimState state) {
    super(next);
    this.state = state;
  }

  /** True once no interim byte is left. */
  private boolean drained() throws IOException {
    return state.drain();
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return drained() ? next.write(src) : 0;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
    return drained() ? next.write(srcs, offs, len) : 0;
  }

  @Override
  public int writeFinal(ByteBuffer src) throws IOException {
    return drained() ? next.writeFinal(src) : 0;
  }

  @Override
  public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
    return drained() ? next.writeFinal(srcs, offs, len) : 0;
  }

  @Override
  public long transferFrom(FileChannel src, long position, long count) throws IOException {
    return drained() ? next.transferFrom(src, position, count) : 0;
  }

  @Override
  public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer)
      throws IOException {
    if (drained()) {
      return next.transferFrom(source, count, throughBuffer);
    }
    throughBuffer.limit(0); // nothing read from the source
    return 0;
  }

  /** Ending the response may write its head at once: that waits for the interim bytes. */
  @Override
  public void terminateWrites() throws IOException {
    terminated = true;
    if (drained()) {
      next.terminateWrites();
    }
  }

  @Override
  public boolean isWriteShutdown() {
    return terminated || next.isWriteShutdown();
  }

  @Override
  public boolean flush() throws IOException {
    if (!drained()) {
      return false;
    }
    if (terminated && !next.isWriteShutdown()) {
      next.terminateWrites();
    }
    return next.flush();
  }
}
