package dev.tusk.core;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/**
 * The required core of a store. Implementations are thread-safe; every method may block on I/O
 * and is called from the server's storage executor, never from an I/O thread, except {@link
 * #find} and {@link #openRead} of a store that declares {@link LocalReads}. The server
 * guarantees at most one open {@link AppendSession} per upload at a time (it holds the upload's
 * lock), but {@link #find} may run concurrently with a session of the same upload.
 *
 * <p>Optional capabilities are separate interfaces a store may also implement: {@link
 * Terminator}, {@link Concatenator}, {@link LengthDeferrer}, {@link UploadLister}, {@link
 * UseRecorder}, {@link LocalReads}. The server resolves them once into {@link StoreCapabilities}.
 */
public interface UploadStore {

  /**
   * Creates an empty upload from {@code draft} (offset 0) and returns it as stored. Fails with
   * {@link java.nio.file.FileAlreadyExistsException} if the id is taken.
   */
  UploadInfo create(UploadInfo draft) throws IOException;

  /**
   * The upload as stored, or empty if there is none with this id. The offset never exceeds the
   * bytes that {@link #openRead} can return. Expired uploads are still found (the server answers
   * 410 for them until they are swept).
   */
  Optional<UploadInfo> find(UploadId id) throws IOException;

  /**
   * Persists every field of {@code info} except {@code offset} (length, metadata, expiry,
   * attributes) and returns it as stored. The upload must exist.
   */
  UploadInfo update(UploadInfo info) throws IOException;

  /**
   * Opens a session that appends at {@code info.offset()}.
   *
   * @param provisional if true, the caller may still {@link AppendSession#rollback()} every byte
   *     of the session (a checksum is being verified); the store must then also forget these
   *     bytes if the process dies before {@link AppendSession#commit()}. If false, bytes written
   *     are kept as far as possible, including when the client goes away.
   */
  AppendSession openAppend(UploadInfo info, boolean provisional) throws IOException;

  /**
   * A channel that reads {@code length} bytes of the upload starting at {@code position}. A
   * {@link java.nio.channels.FileChannel} may be returned; the caller then sends from it with
   * sendfile at {@code position} (the channel's own position is set to it already). The caller
   * closes the channel.
   */
  ReadableByteChannel openRead(UploadInfo info, long position, long length) throws IOException;

  /**
   * A cheap probe used by the readiness check: throws if the store cannot serve requests (the
   * directory is not writable, the bucket is unreachable).
   */
  void probe() throws IOException;
}
