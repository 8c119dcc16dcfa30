package dev.tusk.server.metrics;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.health.StoreHealth;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Times each call of an {@link AppendSession}, counts the bytes appended and reports each outcome to
 * the {@link StoreHealth}. Not thread-safe, like the session it wraps.
 */
final class MeteredAppendSession implements AppendSession {
  private final AppendSession session;
  private final TuskMetrics metrics;
  private final StoreHealth health;

  MeteredAppendSession(AppendSession session, TuskMetrics metrics, StoreHealth health) {
    this.session = session;
    this.metrics = metrics;
    this.health = health;
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
    } catch (IOException | RuntimeException e) {
      MeteredStore.failed(health, metrics, e);
      throw e;
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
      health.succeeded();
      return info;
    } catch (IOException | RuntimeException e) {
      MeteredStore.failed(health, metrics, e);
      throw e;
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
      health.succeeded();
    } catch (IOException | RuntimeException e) {
      MeteredStore.failed(health, metrics, e);
      throw e;
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
