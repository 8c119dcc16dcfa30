package dev.tusk.server.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.LongConsumer;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/** Reports every request body byte read through it; installed per exchange by {@link RequestObserver}. */
final class CountingSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
  private final LongConsumer counter;

  CountingSourceConduit(StreamSourceConduit next, LongConsumer counter) {
    super(next);
    this.counter = counter;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return (int) counted(next.read(dst));
  }

  @Override
  public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
    return counted(next.read(dsts, offs, len));
  }

  @Override
  public long transferTo(long position, long count, FileChannel target) throws IOException {
    return counted(next.transferTo(position, count, target));
  }

  @Override
  public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
    int before = throughBuffer.remaining();
    long n = next.transferTo(count, throughBuffer, target);
    // bytes left in throughBuffer were read from the source too
    long read = n < 0 ? n : n + Math.max(0, throughBuffer.remaining() - before);
    counted(read);
    return n;
  }

  private long counted(long n) {
    if (n > 0) {
      counter.accept(n);
    }
    return n;
  }
}
