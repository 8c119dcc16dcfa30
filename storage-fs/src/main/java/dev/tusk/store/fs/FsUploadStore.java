package dev.tusk.store.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tusk.core.AppendSession;
import dev.tusk.core.Concatenator;
import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.ExpiryIndex;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.LocalReads;
import dev.tusk.core.Terminator;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadInfoJson;
import dev.tusk.core.UploadLister;
import dev.tusk.core.UploadStore;
import dev.tusk.core.UseRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Stores uploads as files in one directory: {@code <id>} holds the bytes, {@code <id>.info} the
 * {@link UploadInfoJson} document, and {@code <id>.pending} exists while a provisional session (a
 * checksum being verified) has uncommitted bytes. The embedded default store.
 *
 * <p><b>Offsets are not persisted.</b> {@link #find} reports the size of the data file, capped by a
 * pending marker and by the declared length; the {@code offset} field of the info document is
 * ignored. A PATCH therefore costs no info write. {@code updatedAt} is the later of the info's and
 * the data file's last-modified time, which the store sets from the injected clock when it
 * creates the file and when a session commits or rolls back bytes; with the system clock on a
 * local file system the kernel's own stamps of the creation and of each write stand instead (see
 * {@link FsLayout#kernelStamps}).
 *
 * <p><b>Caching.</b> Parsed info documents are kept in memory (up to {@value #CACHE_BYTES} bytes of
 * JSON), so a HEAD, PATCH or GET of a known upload reads no {@code .info} file: it stats the data
 * file and nothing else. Once an upload has been seen complete, its bytes no longer change, so a
 * find returns what it saw then without the {@code stat}, and downloads share one open channel of
 * its data file ({@link OpenFiles}; closed before termination deletes it). Every change of an info
 * document goes through this store, and one process per directory is the rule anyway, so the cache
 * is exact; files edited or deleted by hand while the process runs are not noticed until it
 * restarts (a complete upload's data file deleted by hand fails its next download, after which it
 * is gone for {@link #find} too).
 *
 * <p><b>Thread-safety.</b> Thread-safe. {@link #find} may run concurrently with a session of the
 * same upload and then reports only committed bytes. Sessions themselves are not thread-safe (see
 * {@link AppendSession}). One process per directory: two processes sharing a directory are not
 * coordinated.
 *
 * <p><b>Blocking.</b> Every method blocks on file I/O, and on {@code fsync} when it is enabled;
 * call them from the storage executor. The exception is reading on a local file system ({@link
 * #readsAreLocal()}): {@link #find} and {@link #openRead} are then quick enough for an I/O thread.
 *
 * <p><b>Crash safety.</b> A process crash (kill -9) never makes {@link #find} report more bytes
 * than are in the data file, and never makes it report uncommitted bytes of a provisional session
 * (they are truncated by the next {@link #openAppend}). Info documents are replaced atomically, so
 * they are either the old or the new one; a new upload's info is written in place (it has no old
 * one), and an info left empty by a crash during its creation reads as no upload at all, as it
 * would had the crash come before the info was created. With {@code fsync=false} an OS crash or
 * power loss may lose the last writes (what survives is up to the file system). With {@code
 * fsync=true}, {@link AppendSession#commit()}, {@link #create}, {@link #update} and {@link
 * #concatenate} return only once their effect is on stable storage (data and directory entries
 * forced).
 *
 * <p><b>Expiry index.</b> {@code .expiry/<minute>/} ({@link FsExpiryIndex}): the entry of a new
 * upload is appended to its minute's log after its data file (which claims the id) is created and
 * before its info; an update that moves the expiry creates the new marker before the info and
 * removes the old entry after; termination removes it. A crash in between leaves an entry too
 * many, never one too few, except that entries are not forced to disk: what a power failure
 * loses, the server's repair scan adds.
 *
 * <p>Longer than most classes here: it is the one place where every capability meets the info
 * cache, the open-file table and the write ordering above, which are checked by reading them
 * together. What stands alone lives beside it: {@link FsLayout} (names and paths), {@link
 * OpenFiles}, {@link PendingMarkers}, {@link FsAppendSession}, {@link FsExpiryIndex}.
 */
public final class FsUploadStore
    implements UploadStore, Terminator, LengthDeferrer, Concatenator, UploadLister, ExpiryIndex,
        LocalReads, UseRecorder {
  /** How many bytes of info JSON the cache holds at most (about 20,000 uploads without metadata). */
  static final long CACHE_BYTES = 8L << 20;

  /** What a readiness probe writes: one page of the usual file systems. */
  static final int PROBE_BYTES = 4096;

  private final FsLayout layout;
  private final PendingMarkers markers;
  private final FsExpiryIndex index;
  private final Clock clock;
  private final boolean localReads;
  /**
   * The clock is the system clock and the directory is local, so the kernel's own time stamps of a
   * data file (its creation, each write) are already right: see {@link FsLayout#kernelStamps}.
   */
  private final boolean kernelStamps;
  private final OpenFiles openFiles;
  private final Cache<UploadId, Cached> infos =
      Caffeine.newBuilder().maximumWeight(CACHE_BYTES).weigher(FsUploadStore::weigh).build();

  /**
   * Serialize a cache miss's read of an info file with writes and deletions of the same file, so a
   * miss never puts an info into the cache after a newer one was written (or the file deleted).
   */
  private final Stripes stripes = new Stripes();

  /**
   * An info as stored, with the size of its JSON (the cache's weight) and, once {@link #find} has
   * seen the upload complete, what it saw: a complete upload's data file no longer changes, so
   * later finds return that without a {@code stat}.
   */
  private record Cached(UploadInfo info, int bytes, UploadInfo complete) {
    Cached(UploadInfo info, int bytes) {
      this(info, bytes, null);
    }
  }

  private static int weigh(UploadId id, Cached cached) {
    return cached.bytes() + 256;
  }

  /**
   * A store in {@code directory} that does not fsync; see {@link #FsUploadStore(Path, Clock,
   * boolean)}.
   */
  public FsUploadStore(Path directory, Clock clock) throws IOException {
    this(directory, clock, false);
  }

  /**
   * Opens (creating it if missing) the store in {@code directory} and deletes the temporary files a
   * crash left there.
   *
   * @param fsync whether commits and info writes are forced to stable storage before returning
   */
  public FsUploadStore(Path directory, Clock clock, boolean fsync) throws IOException {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.openFiles = new OpenFiles(clock);
    this.layout = new FsLayout(Objects.requireNonNull(directory, "directory"), fsync);
    this.markers = new PendingMarkers(layout);
    this.index = new FsExpiryIndex(layout.directory());
    this.localReads = FsLayout.isLocal(layout.directory());
    this.kernelStamps = FsLayout.kernelStamps(clock, localReads);
    layout.deleteStaleTempFiles();
  }

  /**
   * {@inheritDoc} True when the directory is on a local file system (ext4, xfs, btrfs, tmpfs,
   * overlay and the like, {@link FsLayout#isLocal}), false on a network or FUSE file system, where
   * a stat can wait on a server.
   */
  @Override
  public boolean readsAreLocal() {
    return localReads;
  }

  /** How many complete uploads' files are held open for downloads (tests). */
  long sharedFilesHeld() {
    return openFiles.held();
  }

  /** The directory the files live in (absolute, normalized). */
  public Path directory() {
    return layout.directory();
  }

  /**
   * {@inheritDoc} Fails with {@link dev.tusk.core.TusException} {@link
   * dev.tusk.core.ErrorCode#STORAGE_FULL} if there is no space for the upload's files; nothing is
   * left behind then.
   */
  @Override
  public UploadInfo create(UploadInfo draft) throws IOException {
    UploadInfo info = draft.offset() == 0 ? draft : draft.withOffset(0, draft.updatedAt());
    Path data;
    try {
      data = Files.createFile(layout.data(info.id()));
    } catch (IOException e) {
      throw NoSpace.check(layout.directory(), e);
    }
    Optional<ExpiryEntry> entry = ExpiryEntry.of(info);
    try {
      if (!kernelStamps) {
        layout.touch(info.id(), info.updatedAt());
      }
      if (entry.isPresent()) {
        index.append(entry.get());
      }
      writeInfo(info, true);
    } catch (IOException e) {
      undoCreate(data, entry, e);
      throw NoSpace.check(layout.directory(), e);
    } catch (RuntimeException e) {
      undoCreate(data, entry, e);
      throw e;
    }
    return info;
  }

  /** {@inheritDoc} A corrupt info document fails with {@link IOException}. */
  @Override
  public Optional<UploadInfo> find(UploadId id) throws IOException {
    Cached cached = infos.getIfPresent(id);
    if (cached == null) {
      ReentrantLock lock = stripes.of(id);
      lock.lock();
      try {
        cached = infos.getIfPresent(id);
        if (cached == null) {
          cached = readInfo(id);
          if (cached == null) {
            return Optional.empty();
          }
          infos.put(id, cached);
        }
      } finally {
        lock.unlock();
      }
    }
    if (cached.complete() != null) {
      return Optional.of(cached.complete());
    }
    Optional<UploadInfo> found = observe(cached.info());
    if (found.isEmpty()) {
      infos.invalidate(id); // the data file is gone: a crash inside terminate, or a hand edit
    } else if (found.get().isComplete()) {
      // only if no write or deletion replaced the entry meanwhile
      infos.asMap().replace(id, cached, new Cached(cached.info(), cached.bytes(), found.get()));
    }
    return found;
  }

  /**
   * Removes what a failed create made: the index entry (with its bucket and the index directory if
   * they are empty now: a creation refused for want of space leaves nothing), the data file.
   */
  private void undoCreate(Path data, Optional<ExpiryEntry> entry, Throwable failure) {
    if (entry.isPresent()) {
      index.undoAppend(entry.get(), failure);
    }
    FsLayout.deleteQuietly(data, failure);
  }

  /** The info file of {@code id} parsed, or null if there is none. */
  private Cached readInfo(UploadId id) throws IOException {
    Path path = layout.info(id);
    byte[] json;
    try {
      json = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (json.length == 0) {
      return null; // a crash between creating and writing a new info (FsLayout.writeNew)
    }
    UploadInfo stored = UploadInfoJson.read(json);
    if (!stored.id().equals(id)) {
      throw new IOException(path + " describes upload " + stored.id());
    }
    return new Cached(stored, json.length);
  }

  @Override
  public UploadInfo update(UploadInfo info) throws IOException {
    ReentrantLock lock = stripes.of(info.id());
    lock.lock();
    try {
      Cached current = infos.getIfPresent(info.id());
      if (current == null) {
        current = readInfo(info.id());
      }
      if (current == null) {
        throw new NoSuchFileException(layout.info(info.id()).toString(), null, "no such upload");
      }
      Optional<ExpiryEntry> before = ExpiryEntry.of(current.info());
      Optional<ExpiryEntry> after = ExpiryEntry.of(info);
      boolean moved = !before.equals(after);
      if (moved && after.isPresent()) {
        index.add(after.get());
      }
      writeInfo(info, false);
      if (moved && before.isPresent()) {
        index.remove(before.get());
      }
    } catch (IOException e) {
      throw NoSpace.check(layout.directory(), e);
    } finally {
      lock.unlock();
    }
    return observe(info)
        .orElseThrow(() -> new NoSuchFileException(layout.data(info.id()).toString()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Undoes what a crash left behind before appending: a stale pending marker (any marker is
   * stale here, since the server holds the upload's lock) truncates the data file to its offset,
   * and bytes beyond {@code info.offset()} are cut off.
   *
   * @throws dev.tusk.core.TusException {@link dev.tusk.core.ErrorCode#MISMATCHED_OFFSET} if the
   *     data file is shorter than {@code info.offset()}, i.e. {@code info} is stale
   */
  @Override
  public AppendSession openAppend(UploadInfo info, boolean provisional) throws IOException {
    return FsAppendSession.open(info, provisional, layout, markers, clock, kernelStamps);
  }

  /**
   * {@inheritDoc} Returns a {@link FileChannel} positioned at {@code position}. A complete upload's
   * file is opened once and shared between readers ({@link OpenFiles}).
   */
  @Override
  public ReadableByteChannel openRead(UploadInfo info, long position, long length)
      throws IOException {
    if (position < 0 || length < 0) {
      throw new IllegalArgumentException("negative range: " + position + "+" + length);
    }
    if (info.isComplete()) {
      try {
        return openFiles.open(info.id(), layout.data(info.id()), position);
      } catch (NoSuchFileException e) {
        infos.invalidate(info.id()); // deleted by hand: the next find says so
        throw e;
      }
    }
    return OpenFiles.openAt(layout.data(info.id()), position);
  }

  /**
   * Writes {@value #PROBE_BYTES} bytes to a temporary file in the directory and deletes it: throws
   * if the directory is not writable, and {@link dev.tusk.core.TusException} {@link
   * dev.tusk.core.ErrorCode#STORAGE_FULL} while it has no space for them (an empty file alone
   * would still fit on a full file system, which counts inodes apart from blocks).
   */
  @Override
  public void probe() throws IOException {
    Path probe = layout.temp("probe");
    try (FileChannel channel = FileChannel.open(probe, CREATE_NEW, WRITE)) {
      FsLayout.writeFully(channel, java.nio.ByteBuffer.allocate(PROBE_BYTES), 0);
    } catch (IOException e) {
      FsLayout.deleteQuietly(probe, e);
      throw NoSpace.check(layout.directory(), e);
    }
    Files.delete(probe);
  }

  /** Deletes the info first, so a crash midway leaves at worst an orphan data file. */
  @Override
  public void terminate(UploadInfo info) throws IOException {
    ReentrantLock lock = stripes.of(info.id());
    lock.lock();
    Cached cached = infos.getIfPresent(info.id());
    try {
      infos.invalidate(info.id());
      Files.deleteIfExists(layout.info(info.id()));
    } finally {
      lock.unlock();
    }
    Optional<ExpiryEntry> entry = ExpiryEntry.of(info);
    if (entry.isPresent()) {
      index.remove(entry.get());
    }
    Optional<ExpiryEntry> stored =
        cached == null ? Optional.empty() : ExpiryEntry.of(cached.info());
    if (stored.isPresent() && !stored.equals(entry)) {
      index.remove(stored.get()); // the caller's info was older than the stored one
    }
    markers.clear(info.id());
    openFiles.forget(info.id());
    Files.deleteIfExists(layout.data(info.id()));
    openFiles.forget(info.id()); // a download that raced the deletion may have opened it again
  }

  @Override
  public UploadInfo declareLength(UploadInfo info, long length) throws IOException {
    return update(info.withLength(length, clock.instant()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The partials are copied (with {@code transferTo}, in-kernel where the platform can) into a
   * temporary file that then replaces the target's data file, so a crash or failure midway leaves
   * the target empty rather than half-filled. A deferred target length is set to the total.
   */
  @Override
  public UploadInfo concatenate(UploadInfo target, List<UploadInfo> partials) throws IOException {
    long total = 0;
    for (UploadInfo partial : partials) {
      total = Math.addExact(total, partial.offset());
    }
    if (target.length().isPresent() && target.length().getAsLong() != total) {
      throw new IllegalArgumentException(
          "final upload "
              + target.id()
              + " has length "
              + target.length().getAsLong()
              + " but its partials hold "
              + total
              + " bytes");
    }
    Path data = layout.data(target.id());
    Path temp = layout.temp(data.getFileName().toString());
    try {
      try (FileChannel out = FileChannel.open(temp, CREATE_NEW, WRITE)) {
        for (UploadInfo partial : partials) {
          copy(partial, out);
        }
        if (layout.fsync()) {
          out.force(false);
        }
      }
      layout.moveAtomically(temp, data);
    } catch (IOException e) {
      FsLayout.deleteQuietly(temp, e);
      throw NoSpace.check(layout.directory(), e);
    } catch (RuntimeException e) {
      FsLayout.deleteQuietly(temp, e);
      throw e;
    }
    Instant now = clock.instant();
    layout.touch(target.id(), now);
    openFiles.forget(target.id()); // an empty final counts as complete before its data is in
    infos.invalidate(target.id());
    if (target.length().isEmpty()) {
      return update(target.withLength(total, now)).withOffset(total, now);
    }
    return target.withOffset(total, now);
  }

  private void copy(UploadInfo partial, FileChannel out) throws IOException {
    try (FileChannel in = FileChannel.open(layout.data(partial.id()), READ)) {
      long count = partial.offset();
      long position = 0;
      while (position < count) {
        long n = in.transferTo(position, count - position, out);
        if (n <= 0) {
          throw new IOException(
              "partial upload "
                  + partial.id()
                  + " holds "
                  + in.size()
                  + " bytes, expected "
                  + count);
        }
        position += n;
      }
    }
  }

  /**
   * {@inheritDoc} The record is an empty file {@code <id>.used}, created exclusively (so one
   * creator wins on a shared file system too) and never deleted: a few bytes of directory entry
   * per link upload.
   */
  @Override
  public boolean recordUse(UploadId id) throws IOException {
    try {
      layout.writeNew(layout.used(id), new byte[0]);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** {@inheritDoc} Lazily streams the directory; ids are the names of {@code *.info} files. */
  @Override
  public Stream<UploadId> list() throws IOException {
    DirectoryStream<Path> entries =
        Files.newDirectoryStream(layout.directory(), "*" + FsLayout.INFO_SUFFIX);
    try {
      return StreamSupport.stream(entries.spliterator(), false)
          .onClose(() -> closeUnchecked(entries))
          .map(path -> path.getFileName().toString())
          .map(name -> name.substring(0, name.length() - FsLayout.INFO_SUFFIX.length()))
          .flatMap(name -> UploadId.parse(name).stream());
    } catch (RuntimeException e) {
      entries.close();
      throw e;
    }
  }

  /**
   * {@inheritDoc} Lists {@code .expiry}, then each due bucket as the stream reaches it; removes a
   * due bucket found empty.
   */
  @Override
  public Stream<ExpiryEntry> due(Instant now) throws IOException {
    return index.due(now);
  }

  @Override
  public Stream<ExpiryEntry> entries() throws IOException {
    return index.entries();
  }

  @Override
  public void record(UploadInfo info) throws IOException {
    Optional<ExpiryEntry> entry = ExpiryEntry.of(info);
    if (entry.isPresent()) {
      index.add(entry.get());
    }
  }

  @Override
  public void forget(ExpiryEntry entry) throws IOException {
    index.remove(entry);
  }

  private static void closeUnchecked(DirectoryStream<Path> entries) {
    try {
      entries.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the info file and caches what it says; call holding the id's stripe (or creating, with
   * {@code fresh}: the file must not exist and is written in place, see {@link FsLayout#writeNew}).
   * The entry is dropped first so that a failure after the write (the directory fsync) leaves no
   * stale entry: the next find reads the file.
   */
  private void writeInfo(UploadInfo info, boolean fresh) throws IOException {
    byte[] json = UploadInfoJson.write(info);
    infos.invalidate(info.id());
    if (fresh) {
      layout.writeNew(layout.info(info.id()), json); // a new upload: nothing to replace
    } else {
      layout.writeAtomically(layout.info(info.id()), json);
    }
    infos.put(info.id(), new Cached(info, json.length));
  }

  /** {@code stored} with the offset and updatedAt its data file shows; empty if that is gone. */
  private Optional<UploadInfo> observe(UploadInfo stored) throws IOException {
    return markers
        .snapshot(stored.id())
        .map(
            state -> {
              long offset = state.committed();
              if (stored.length().isPresent()) {
                offset = Math.min(offset, stored.length().getAsLong());
              }
              Instant updated =
                  state.modified().isAfter(stored.updatedAt())
                      ? state.modified()
                      : stored.updatedAt();
              return stored.withOffset(offset, updated);
            });
  }
}
