package dev.tusk.core;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends bytes to one upload. Not thread-safe: the server calls it from one task at a time
 * (happens-before between calls is established by the executor hand-off).
 */
public interface AppendSession extends Closeable {

  /** The offset after every byte written so far, committed or not. */
  long offset();

  /**
   * A hint, before the first {@link #write} of a request, that the request announced {@code
   * bytes} more bytes (its {@code Content-Length}). Fewer may arrive (the client goes away, the
   * request is stopped), and more are never written: the server stops at the announced length.
   * A store may plan around it, for example upload a part of known size while its bytes arrive.
   */
  default void expect(long bytes) {}

  /**
   * Appends every remaining byte of {@code src} (its position advances to its limit). May block
   * to apply back-pressure. The buffer is the caller's again when this returns.
   */
  void write(ByteBuffer src) throws IOException;

  /**
   * Makes every byte written so far durable (a process crash afterwards keeps them) and returns
   * the upload with its new offset. Called on success and on client disconnect; never concurrently
   * with {@link #write}. The session may be written to again afterwards.
   */
  UploadInfo commit() throws IOException;

  /**
   * Forgets every byte written since the last commit (or since opening); the upload's offset is as
   * before. Only valid for a provisional session.
   */
  void rollback() throws IOException;

  /**
   * A hint that the client paused: no bytes are waiting and more may take long (a stalled or slow
   * client). A store may release what it holds per session (an open file) and take it again on
   * the next {@link #write}. Called between writes, never concurrently with them.
   */
  default void idle() throws IOException {}

  /**
   * Releases the session's resources. Bytes neither committed nor rolled back are rolled back in
   * a provisional session and committed otherwise. Idempotent.
   */
  @Override
  void close() throws IOException;
}
