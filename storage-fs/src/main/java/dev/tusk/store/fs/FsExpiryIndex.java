package dev.tusk.store.fs;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.UploadId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The expiry index of a store directory: {@code .expiry/<bucket>/<id>}, one directory per UTC
 * minute in which something expires ({@link ExpiryEntry#bucketName()}, e.g. {@code
 * 20261123T1000}), holding one empty file per upload named by its id. No upload id starts with a
 * dot, so {@code .expiry} is never an upload's file. Names come from {@link UploadId} and the
 * bucket format only, and are checked to stay inside the index directory.
 *
 * <p>Markers are not forced to disk even with fsync on: a marker lost to a power failure is what
 * the repair scan restores. An emptied bucket directory is removed by the next {@link #due} that
 * reaches it. Thread-safe (stateless).
 */
final class FsExpiryIndex {
  static final String DIRECTORY = ".expiry";

  private final Path root;

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

  void remove(ExpiryEntry entry) throws IOException {
    Files.deleteIfExists(marker(entry));
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
    List<ExpiryEntry> entries = new ArrayList<>();
    try (DirectoryStream<Path> names = Files.newDirectoryStream(dir)) {
      for (Path name : names) {
        Optional<UploadId> id = UploadId.parse(name.getFileName().toString());
        id.ifPresent(i -> entries.add(new ExpiryEntry(i, bucket)));
      }
      if (entries.isEmpty() && removeIfEmpty) {
        Files.deleteIfExists(dir);
      }
    } catch (NoSuchFileException | DirectoryNotEmptyException e) {
      // removed meanwhile, or a marker arrived meanwhile: either way nothing to do now
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  private static Path inside(Path parent, String name) {
    Path path = parent.resolve(name).normalize();
    if (!parent.equals(path.getParent())) {
      throw new IllegalArgumentException("index name escapes its directory: " + name);
    }
    return path;
  }
}
