package dev.tusk.store.fs;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.UploadId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The expiry index of a store directory: {@code .expiry/<bucket>/}, one directory per UTC minute
 * in which something expires ({@link ExpiryEntry#bucketName()}, e.g. {@code 20261123T1000}). A
 * bucket lists its uploads in two ways, read together:
 *
 * <ul>
 *   <li>an empty file per upload named by its id (a <em>marker</em>: {@link #add}), and
 *   <li>the bucket's log {@value #LOG}: one line per change, {@code +<id>} added ({@link
 *       #append}) or {@code -<id>} removed, appended with one {@code write} each.
 * </ul>
 *
 * An upload is in the bucket if it has a marker or if its last log line is {@code +}; {@link
 * #remove} deletes the marker and, where the bucket has a log, appends {@code -}. A new upload is
 * appended to the log: a file creation per upload, with its inode and directory entry, was the
 * index's cost on the creation path; an append to a file held open costs one {@code write}. The
 * other changes (an expiry moved, the repair scan, which also rebuilds an index deleted by hand)
 * make markers, as the index always did, so directories written before there was a log read the
 * same.
 *
 * <p>No upload id starts with a dot, so neither {@code .expiry} nor the log is ever an upload's
 * file. Names come from {@link UploadId} and the bucket format only, and are checked to stay
 * inside the index directory. A log line that does not end with a newline (a crash during its
 * write) or does not parse is skipped: a lost {@code +} is an entry lost, which the repair scan
 * restores, and a lost {@code -} an entry too many, which the sweep removes when it reaches it.
 *
 * <p>Markers and logs are not forced to disk even with fsync on: an entry lost to a power failure
 * is what the repair scan restores. A bucket whose entries are all gone is removed (log, then
 * directory) by the next {@link #due} that reaches it. Thread-safe: appends and the removal of a
 * log hold one lock, so no line goes to a log being deleted; at most {@value #OPEN_LOGS} logs are
 * held open.
 */
final class FsExpiryIndex {
  static final String DIRECTORY = ".expiry";

  /** The name of a bucket's log, beside its markers. */
  static final String LOG = ".log";

  /** How many buckets' logs stay open for appending (the least recently used is closed). */
  static final int OPEN_LOGS = 8;

  private final Path root;

  /** Open logs by bucket, least recently used first; guarded by itself. */
  private final LinkedHashMap<Instant, FileChannel> logs = new LinkedHashMap<>(16, 0.75f, true);

  FsExpiryIndex(Path storeDirectory) {
    this.root = storeDirectory.resolve(DIRECTORY);
  }

  Path root() {
    return root;
  }

  Path bucket(Instant bucket) {
    return inside(root, ExpiryEntry.bucketName(bucket));
  }

  Path marker(ExpiryEntry entry) {
    return inside(bucket(entry.bucket()), entry.id().value());
  }

  /** Creates the entry's marker (and its bucket) unless it exists. */
  void add(ExpiryEntry entry) throws IOException {
    Path marker = marker(entry);
    for (int attempt = 0; ; attempt++) {
      try {
        Files.createFile(marker);
        return;
      } catch (FileAlreadyExistsException e) {
        return;
      } catch (NoSuchFileException e) {
        // the bucket is new, or a sweep removed it as empty just now
        if (attempt == 3) {
          throw e;
        }
        Files.createDirectories(marker.getParent());
      }
    }
  }

  /**
   * Appends {@code +<id>} to the entry's bucket log (creating the bucket and its log if missing).
   * The cheap form of {@link #add}, for an entry that is not in the bucket yet (a new upload).
   */
  void append(ExpiryEntry entry) throws IOException {
    writeLine(entry, '+', true);
  }

  /** Removes the entry: deletes its marker, and appends {@code -<id>} to its bucket's log if any. */
  void remove(ExpiryEntry entry) throws IOException {
    Files.deleteIfExists(marker(entry));
    writeLine(entry, '-', false);
  }

  /** Path of the log of {@code bucket}. */
  Path log(Instant bucket) {
    return inside(bucket(bucket), LOG);
  }

  private void writeLine(ExpiryEntry entry, char op, boolean create) throws IOException {
    String id = entry.id().value();
    byte[] line = new byte[id.length() + 2];
    line[0] = (byte) op;
    for (int i = 0; i < id.length(); i++) {
      line[i + 1] = (byte) id.charAt(i); // ids are ASCII (UploadId)
    }
    line[line.length - 1] = '\n';
    synchronized (logs) {
      FileChannel channel = openLog(entry.bucket(), create);
      if (channel == null) {
        return; // no log in the bucket: nothing to strike out there
      }
      try {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException | RuntimeException e) {
        // closed by an interrupt of this thread, or a write cut short: the next append opens the
        // log afresh (and ends a cut line first), so other threads are not failed by this one
        logs.remove(entry.bucket(), channel);
        FsLayout.closeQuietly(channel, e);
        throw e;
      }
    }
  }

  /** The open log of {@code bucket}; null if it has none and {@code create} is false. */
  private FileChannel openLog(Instant bucket, boolean create) throws IOException {
    FileChannel channel = logs.get(bucket);
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    Path log = log(bucket);
    for (int attempt = 0; ; attempt++) {
      try {
        channel =
            create
                ? FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : FileChannel.open(log, StandardOpenOption.APPEND);
        break;
      } catch (NoSuchFileException e) {
        if (!create) {
          return null;
        }
        // the bucket is new, or a sweep removed it as empty just now
        if (attempt == 3) {
          throw e;
        }
        Files.createDirectories(log.getParent());
      }
    }
    try {
      endLine(log, channel);
    } catch (IOException | RuntimeException e) {
      FsLayout.closeQuietly(channel, e);
      throw e;
    }
    logs.put(bucket, channel);
    if (logs.size() > OPEN_LOGS) {
      Iterator<FileChannel> eldest = logs.values().iterator();
      FileChannel closing = eldest.next();
      eldest.remove();
      closing.close();
    }
    return channel;
  }

  /**
   * Ends a line that a crash cut short (the log does not end with a newline), so that the next
   * line is not joined to it and lost with it: the cut line alone is skipped.
   */
  private static void endLine(Path log, FileChannel appending) throws IOException {
    long size = appending.size();
    if (size == 0) {
      return;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    try (FileChannel reading = FileChannel.open(log, StandardOpenOption.READ)) {
      reading.read(last, size - 1);
    }
    if (last.get(0) != '\n') {
      appending.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
  }

  /**
   * Undoes {@link #append} for a creation that failed: strikes the entry out and removes its
   * bucket, log and the index directory if nothing else is in them now (so a creation refused for
   * want of space leaves nothing). Failures are added to {@code failure}.
   */
  void undoAppend(ExpiryEntry entry, Throwable failure) {
    try {
      remove(entry);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      read(entry.bucket(), true);
      Files.deleteIfExists(root);
    } catch (IOException | RuntimeException e) {
      // not empty (other uploads expire in the same minute, or later), or gone: both fine
    }
  }

  /** Due buckets oldest first, each read when reached; an empty one is removed. */
  Stream<ExpiryEntry> due(Instant now) throws IOException {
    List<Instant> due = buckets().stream().filter(b -> ExpiryEntry.isDue(b, now)).sorted().toList();
    return due.stream().flatMap(b -> read(b, true).stream());
  }

  Stream<ExpiryEntry> entries() throws IOException {
    return buckets().stream().flatMap(b -> read(b, false).stream());
  }

  private List<Instant> buckets() throws IOException {
    List<Instant> buckets = new ArrayList<>();
    try (DirectoryStream<Path> names = Files.newDirectoryStream(root)) {
      for (Path name : names) {
        ExpiryEntry.parseBucket(name.getFileName().toString()).ifPresent(buckets::add);
      }
    } catch (NoSuchFileException e) {
      return List.of(); // nothing indexed yet: a new directory, or data from before the index
    }
    return buckets;
  }

  private List<ExpiryEntry> read(Instant bucket, boolean removeIfEmpty) {
    Path dir = bucket(bucket);
    try {
      List<ExpiryEntry> entries = entriesOf(bucket, dir);
      if (entries.isEmpty() && removeIfEmpty) {
        synchronized (logs) { // no append between the last look and the deletion
          entries = entriesOf(bucket, dir);
          if (entries.isEmpty()) {
            FileChannel open = logs.remove(bucket);
            if (open != null) {
              open.close();
            }
            Files.deleteIfExists(log(bucket));
            Files.deleteIfExists(dir);
          }
        }
      }
      return entries;
    } catch (NoSuchFileException | DirectoryNotEmptyException e) {
      // removed meanwhile, or a marker arrived meanwhile: either way nothing to do now
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bucket's markers, and the ids whose last line in its log is {@code +}. */
  private static List<ExpiryEntry> entriesOf(Instant bucket, Path dir) throws IOException {
    Set<UploadId> ids = new LinkedHashSet<>();
    boolean hasLog = false;
    try (DirectoryStream<Path> names = Files.newDirectoryStream(dir)) {
      for (Path name : names) {
        String file = name.getFileName().toString();
        if (file.equals(LOG)) {
          hasLog = true;
        } else {
          UploadId.parse(file).ifPresent(ids::add);
        }
      }
    }
    if (hasLog) {
      Set<UploadId> marked = Set.copyOf(ids);
      for (Map.Entry<UploadId, Boolean> line : readLog(dir.resolve(LOG)).entrySet()) {
        if (line.getValue()) {
          ids.add(line.getKey());
        } else if (!marked.contains(line.getKey())) {
          ids.remove(line.getKey());
        }
      }
    }
    List<ExpiryEntry> entries = new ArrayList<>(ids.size());
    for (UploadId id : ids) {
      entries.add(new ExpiryEntry(id, bucket));
    }
    return entries;
  }

  /**
   * Each id's last state in a log: true if its last whole line is {@code +}. A line without its
   * newline (cut short by a crash) and a line that does not parse are skipped.
   */
  static Map<UploadId, Boolean> readLog(Path log) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(log);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    Map<UploadId, Boolean> last = new LinkedHashMap<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      if (i - start >= 2 && (bytes[start] == '+' || bytes[start] == '-')) {
        boolean added = bytes[start] == '+';
        String id = new String(bytes, start + 1, i - start - 1, StandardCharsets.US_ASCII);
        UploadId.parse(id).ifPresent(parsed -> {
          last.remove(parsed); // keep the order of the last change
          last.put(parsed, added);
        });
      }
      start = i + 1;
    }
    return last;
  }

  private static Path inside(Path parent, String name) {
    Path path = parent.resolve(name).normalize();
    if (!parent.equals(path.getParent())) {
      throw new IllegalArgumentException("index name escapes its directory: " + name);
    }
    return path;
  }
}
