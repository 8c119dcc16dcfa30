package dev.tusk.server.metrics;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Times each call of an {@link AppendSession} and counts the bytes appended. Not thread-safe, like
 * the session it wraps.
 */
final class MeteredAppendSession implements AppendSession {
  private final AppendSession session;
  private final TuskMetrics metrics;

  MeteredAppendSession(AppendSession session, TuskMetrics metrics) {
    this.session = session;
    this.metrics = metrics;
  }

  @Override
  public long offset() {
    return session.offset();
  }

  @Override
  public void expect(long bytes) {
    session.expect(bytes);
  }

  @Override
  public void write(ByteBuffer src) throws IOException {
    int before = src.remaining();
    long start = System.nanoTime();
    boolean ok = false;
    try {
      session.write(src);
      ok = true;
    } finally {
      metrics.storeOperation("write", ok, System.nanoTime() - start);
      metrics.stored(before - src.remaining());
    }
  }

  @Override
  public UploadInfo commit() throws IOException {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      UploadInfo info = session.commit();
      ok = true;
      return info;
    } finally {
      metrics.storeOperation("commit", ok, System.nanoTime() - start);
    }
  }

  @Override
  public void rollback() throws IOException {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      session.rollback();
      ok = true;
    } finally {
      metrics.storeOperation("rollback", ok, System.nanoTime() - start);
    }
  }

  @Override
  public void idle() throws IOException {
    session.idle();
  }

  @Override
  public void close() throws IOException {
    session.close();
  }
}
