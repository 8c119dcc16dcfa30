package dev.tusk.store.fs;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.tusk.core.UploadId;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The files of one store directory: their names, atomic replacement, truncation and fsync.
 * Thread-safe (stateless after construction).
 *
 * <p>Temporary files are named {@code .<base>.<16 hex digits>.tmp}; only names of exactly that
 * shape are swept as stale, so pointing the store at a directory that holds other files never
 * deletes them.
 */
final class FsLayout {
  static final String INFO_SUFFIX = ".info";
  static final String PENDING_SUFFIX = ".pending";
  static final String USED_SUFFIX = ".used";
  private static final Pattern TEMP_NAME =
      Pattern.compile("\\.[A-Za-z0-9_.-]+\\.[0-9a-f]{16}\\.tmp");

  private final Path directory;
  private final boolean fsync;
  private final boolean directorySyncable;

  /** Creates {@code directory} if missing. */
  FsLayout(Path directory, boolean fsync) throws IOException {
    this.directory = Files.createDirectories(directory.toAbsolutePath().normalize());
    this.fsync = fsync;
    this.directorySyncable = fsync && tryDirectorySync(this.directory);
  }

  Path directory() {
    return directory;
  }

  boolean fsync() {
    return fsync;
  }

  Path data(UploadId id) {
    return resolve(id.value());
  }

  Path info(UploadId id) {
    return resolve(id.value() + INFO_SUFFIX);
  }

  Path pending(UploadId id) {
    return resolve(id.value() + PENDING_SUFFIX);
  }

  /** The record that {@code id} was handed out once ({@link dev.tusk.core.UseRecorder}). */
  Path used(UploadId id) {
    return resolve(id.value() + USED_SUFFIX);
  }

  /** A fresh, not yet existing name for a temporary file that will become {@code base}. */
  Path temp(String base) {
    long random = ThreadLocalRandom.current().nextLong();
    return resolve("." + base + "." + HexFormat.of().toHexDigits(random) + ".tmp");
  }

  /**
   * The file {@code name} directly inside the directory. Ids are already restricted by {@link
   * UploadId}; this is the second fence.
   *
   * @throws IllegalArgumentException if {@code name} would resolve anywhere else
   */
  Path resolve(String name) {
    Path path = directory.resolve(name).normalize();
    if (!directory.equals(path.getParent())) {
      throw new IllegalArgumentException("file name escapes the store directory: " + name);
    }
    return path;
  }

  /**
   * Replaces {@code target} with {@code bytes} so that readers see the old or the new content,
   * never a mix: write a temporary file beside it, then rename it over the target.
   */
  void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = temp(target.getFileName().toString());
    createWith(temp, bytes);
    try {
      moveAtomically(temp, target);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp, e);
      throw e;
    }
  }

  /**
   * Writes {@code bytes} into {@code target}, which must not exist yet (a new upload's info): one
   * file creation where {@link #writeAtomically} needs two directory changes (create a temporary
   * file, rename it), which is what upload creation waited on most. No reader
   * can see an older content, since there is none; a crash between the creation and the write
   * leaves an empty file, which {@link FsUploadStore} reads as "no such upload" (the creation was
   * never acknowledged).
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists (it is left alone)
   */
  void writeNew(Path target, byte[] bytes) throws IOException {
    createWith(target, bytes);
    syncDirectory();
  }

  /**
   * Creates {@code path} (which must not exist) holding {@code bytes}, forced if fsync is on; on a
   * failure after the creation the file is deleted again. The directory entry is not synced.
   */
  private void createWith(Path path, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(path, CREATE_NEW, WRITE)) {
      try {
        writeFully(channel, ByteBuffer.wrap(bytes), 0);
        if (fsync) {
          channel.force(true);
        }
      } catch (IOException | RuntimeException e) {
        deleteQuietly(path, e);
        throw e;
      }
    }
  }

  /**
   * Whether the kernel's own last-modified time stamps of a data file are right as they are: the
   * clock is the system clock, whose time the kernel stamps on a file when it creates it and on
   * every write, and the directory is local (a network file system may stamp its server's clock).
   * Then setting the time after creating the file, or after a commit's writes, is a redundant
   * {@code utimensat}: 5 % of the storage threads' CPU in the {@code small} benchmark for the
   * commit's alone. The kernel's coarse clock may be a few milliseconds behind, and a
   * write's stamp is the write's time, not the commit's; readers take the later of the info's
   * {@code updatedAt} and the file's time, which only feeds {@code Last-Modified} (to the second)
   * and the upload's details. Rollbacks still set it.
   */
  static boolean kernelStamps(Clock clock, boolean local) {
    return local && (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone()));
  }

  /** File system types (as {@link FileStore#type()} names them) that live on this machine. */
  private static final Set<String> LOCAL_TYPES =
      Set.of(
          "ext2", "ext3", "ext4", "xfs", "btrfs", "bcachefs", "zfs", "f2fs", "jfs", "reiserfs",
          "tmpfs", "ramfs", "overlay", "apfs", "hfs", "ntfs", "refs");

  /**
   * True if {@code directory} is on a local file system: one of {@link #LOCAL_TYPES}. Anything else
   * (nfs, cifs, smb3, fuse.*, 9p, ceph, an unknown type) counts as remote, where a stat or an open
   * may wait on a server.
   */
  static boolean isLocal(Path directory) {
    try {
      return isLocalType(Files.getFileStore(directory).type());
    } catch (IOException e) {
      return false;
    }
  }

  static boolean isLocalType(String type) {
    return type != null && LOCAL_TYPES.contains(type.toLowerCase(Locale.ROOT));
  }

  /** Renames {@code source} over {@code target} in one step, durably if fsync is on. */
  void moveAtomically(Path source, Path target) throws IOException {
    Files.move(source, target, ATOMIC_MOVE, REPLACE_EXISTING);
    syncDirectory();
  }

  /** Cuts {@code channel} to {@code size} bytes (durably if fsync is on). */
  void truncate(FileChannel channel, long size) throws IOException {
    if (channel.size() > size) {
      channel.truncate(size);
    }
    if (fsync) {
      channel.force(false);
    }
  }

  /** Makes renames, creations and deletions in the directory durable if fsync is on. */
  void syncDirectory() throws IOException {
    if (directorySyncable) {
      forceDirectory(directory);
    }
  }

  /** Deletes the temporary files a crash left behind; returns how many. */
  int deleteStaleTempFiles() throws IOException {
    int deleted = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, ".*.tmp")) {
      for (Path entry : entries) {
        if (TEMP_NAME.matcher(entry.getFileName().toString()).matches()
            && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
            && Files.deleteIfExists(entry)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  /** Writes every remaining byte of {@code src} at {@code position}; returns the end position. */
  static long writeFully(FileChannel channel, ByteBuffer src, long position) throws IOException {
    long end = position;
    while (src.hasRemaining()) {
      end += channel.write(src, end);
    }
    return end;
  }

  static void deleteQuietly(Path path, Throwable failure) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  static void closeQuietly(Closeable closeable, Throwable failure) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Whether this platform can fsync a directory (Linux and macOS can; Windows cannot). */
  private static boolean tryDirectorySync(Path directory) {
    try {
      forceDirectory(directory);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, READ)) {
      channel.force(true);
    }
  }

  /**
   * Sets the data file's last-modified time to {@code when}, a time of the store's injected clock:
   * {@link FsUploadStore#find} reports it as {@code updatedAt}, so it must not be the file
   * system's own time (which tests cannot move, and which would mix two clocks).
   */
  void touch(UploadId id, Instant when) throws IOException {
    Files.setLastModifiedTime(data(id), FileTime.from(when));
  }
}
