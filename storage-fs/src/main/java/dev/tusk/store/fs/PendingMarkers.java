package dev.tusk.store.fs;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.tusk.core.UploadId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code <id>.pending} markers of provisional sessions. A marker holds the offset the upload
 * had when the session started (decimal ASCII); bytes beyond it are not committed yet.
 *
 * <p>Ordering, which is what lets {@link #snapshot} run concurrently with a session: a marker is in
 * place (atomically written) before the first provisional byte is written, and is removed only
 * after those bytes were either committed (forced first if fsync is on) or truncated away. Removal
 * and the snapshot's two reads (data size, then marker) hold the same striped lock, so a snapshot
 * never sees the size from before a rollback's truncation together with the absence of the marker
 * from after it. Writes and truncation themselves take no lock. Thread-safe.
 *
 * <p>Which uploads have a marker is also kept in memory, read from the directory once at start-up
 * and kept current by {@link #mark} and {@link #clear} (one process per directory makes that
 * exact). Almost every upload has none, so {@link #read} and {@link #snapshot} then touch no file:
 * asking the file system for a missing marker cost a failed open and a {@code
 * NoSuchFileException} with its stack trace per request (a tenth of a range GET's CPU).
 */
final class PendingMarkers {
  private final FsLayout layout;
  private final Stripes stripes = new Stripes();
  private final Set<UploadId> marked = ConcurrentHashMap.newKeySet();

  /** Reads which uploads have a marker from the directory. */
  PendingMarkers(FsLayout layout) throws IOException {
    this.layout = layout;
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(layout.directory(), "*" + FsLayout.PENDING_SUFFIX)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        UploadId.parse(name.substring(0, name.length() - FsLayout.PENDING_SUFFIX.length()))
            .ifPresent(marked::add);
      }
    }
  }

  /** What the data file holds, as far as it is committed. */
  record DataState(long size, Instant modified, OptionalLong pendingStart) {
    /** The bytes that count: the file size, or less while a provisional session is open. */
    long committed() {
      return pendingStart.isPresent() ? Math.min(size, pendingStart.getAsLong()) : size;
    }
  }

  /** The data file's state, or empty if the data file does not exist. */
  Optional<DataState> snapshot(UploadId id) throws IOException {
    ReentrantLock lock = stripes.of(id);
    lock.lock();
    try {
      BasicFileAttributes data = Files.readAttributes(layout.data(id), BasicFileAttributes.class);
      OptionalLong pending = read(id);
      return Optional.of(new DataState(data.size(), data.lastModifiedTime().toInstant(), pending));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** The start offset recorded by the marker of {@code id}, or empty if there is none. */
  OptionalLong read(UploadId id) throws IOException {
    if (!marked.contains(id)) {
      return OptionalLong.empty();
    }
    Path path = layout.pending(id);
    String text;
    try {
      text = new String(Files.readAllBytes(path), US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    try {
      long start = Long.parseLong(text);
      if (start >= 0) {
        return OptionalLong.of(start);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IOException("corrupt pending marker " + path + ": \"" + text + "\"");
  }

  /** Records that bytes after {@code start} are provisional. Call before writing them. */
  void mark(UploadId id, long start) throws IOException {
    marked.add(id);
    layout.writeAtomically(layout.pending(id), Long.toString(start).getBytes(US_ASCII));
  }

  /**
   * Removes the marker of {@code id}: the bytes after its offset are now committed or gone. Call
   * only after the data file was forced (if fsync is on) or truncated.
   */
  void clear(UploadId id) throws IOException {
    ReentrantLock lock = stripes.of(id);
    lock.lock();
    try {
      Files.deleteIfExists(layout.pending(id));
      marked.remove(id);
    } finally {
      lock.unlock();
    }
    layout.syncDirectory();
  }
}
