package dev.tusk.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.MutableClock;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStoreContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The storage contract plus what only a filesystem store has: file names, the directory, and
 * provisional bytes as seen by a concurrent find. Crash leftovers are {@link FsCrashRecoveryTest}.
 */
class FsUploadStoreTest extends UploadStoreContract {
  @TempDir Path dir;

  boolean fsync() {
    return false;
  }

  @Override
  protected FsUploadStore newStore() throws IOException {
    return new FsUploadStore(dir, Clock.fixed(NOW, ZoneOffset.UTC), fsync());
  }

  private UploadInfo uploadWith(FsUploadStore store, byte[] data, long length) throws IOException {
    return append(store, store.create(draft(OptionalLong.of(length))), data, 4_096);
  }

  /** The names in the store directory beside the expiry index (tested on its own below). */
  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.equals(FsExpiryIndex.DIRECTORY))
          .toList();
    }
  }

  @Test
  void expiryIndex_isALogPerUtcMinute_aNewUploadOneLine_otherNamesIgnored() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info =
        store.create(
            UploadInfo.draft(
                UploadId.random(), OptionalLong.of(1), Map.of(), NOW,
                Instant.parse("2026-11-24T10:07:59Z")));
    Files.createDirectories(dir.resolve(".expiry/not-a-bucket"));
    Files.writeString(dir.resolve(".expiry/20261124T1007/readme.txt"), "not a marker");

    Path bucket = dir.resolve(".expiry/20261124T1007");
    assertThat(Files.readString(bucket.resolve(".log"))).isEqualTo("+" + info.id().value() + "\n");
    assertThat(bucket.resolve(info.id().value())).as("no marker file for a new upload").doesNotExist();
    try (Stream<dev.tusk.core.ExpiryEntry> due = store.due(Instant.parse("2026-11-25T00:00:00Z"))) {
      assertThat(due).extracting(dev.tusk.core.ExpiryEntry::id).containsExactly(info.id());
    }

    store.terminate(info);
    assertThat(Files.readString(bucket.resolve(".log")))
        .isEqualTo("+" + info.id().value() + "\n-" + info.id().value() + "\n");
    Files.delete(bucket.resolve("readme.txt"));
    try (Stream<dev.tusk.core.ExpiryEntry> due = store.due(Instant.parse("2026-11-25T00:00:00Z"))) {
      assertThat(due).isEmpty();
    }
    assertThat(bucket).as("an emptied bucket is removed by the sweep that reaches it").doesNotExist();
  }

  @Test
  void expiryIndex_creationsAfterTheSweepRemovedTheirBucket_areInANewLog() throws Exception {
    FsUploadStore store = newStore();
    Instant expires = Instant.parse("2026-11-24T10:07:59Z");
    UploadInfo first =
        store.create(UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), NOW, expires));
    store.terminate(first);
    try (Stream<dev.tusk.core.ExpiryEntry> due = store.due(expires.plusSeconds(60))) {
      assertThat(due).isEmpty(); // removes the bucket, and the log the store held open
    }
    UploadInfo second =
        store.create(UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), NOW, expires));

    assertThat(Files.readString(dir.resolve(".expiry/20261124T1007/.log")))
        .isEqualTo("+" + second.id().value() + "\n");
    try (Stream<dev.tusk.core.ExpiryEntry> due = store.due(expires.plusSeconds(60))) {
      assertThat(due).extracting(dev.tusk.core.ExpiryEntry::id).containsExactly(second.id());
    }
  }

  @Test
  void expiryIndex_manyBuckets_keepAFewLogsOpen_andLoseNoLine() throws Exception {
    FsUploadStore store = newStore();
    List<UploadInfo> created = new java.util.ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int minute = 0; minute < FsExpiryIndex.OPEN_LOGS * 2; minute++) {
        created.add(
            store.create(
                UploadInfo.draft(
                    UploadId.random(), OptionalLong.of(1), Map.of(), NOW,
                    NOW.plus(Duration.ofMinutes(10 + minute)))));
      }
    }
    try (Stream<dev.tusk.core.ExpiryEntry> all = store.entries()) {
      assertThat(all).containsExactlyInAnyOrderElementsOf(
          created.stream().map(i -> dev.tusk.core.ExpiryEntry.of(i).orElseThrow()).toList());
    }
    assertThat(openDescriptors()).isLessThanOrEqualTo(FsExpiryIndex.OPEN_LOGS);
  }

  @Test
  void expiryIndex_aCreationInterruptedDuringItsAppend_failsNoOtherCreation() throws Exception {
    FsUploadStore store = newStore();
    Instant expires = NOW.plus(Duration.ofHours(1));
    UploadInfo before =
        store.create(UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), NOW, expires));
    Thread.currentThread().interrupt(); // closes the shared log's channel in its next write
    try {
      assertThatThrownBy(
              () ->
                  store.create(
                      UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), NOW, expires)))
          .isInstanceOf(IOException.class);
    } finally {
      Thread.interrupted();
    }
    UploadInfo after =
        store.create(UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), NOW, expires));

    try (Stream<dev.tusk.core.ExpiryEntry> all = store.entries()) {
      assertThat(all).extracting(dev.tusk.core.ExpiryEntry::id)
          .containsExactlyInAnyOrder(before.id(), after.id());
    }
  }

  /** How many files under the store directory this process holds open (Linux). */
  private long openDescriptors() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc");
    long count = 0;
    try (Stream<Path> open = Files.list(fds)) {
      for (Path fd : open.toList()) {
        try {
          if (Files.readSymbolicLink(fd).startsWith(dir.toRealPath())) {
            count++;
          }
        } catch (IOException e) {
          // closed meanwhile (the listing's own descriptor)
        }
      }
    }
    return count;
  }

  @Test
  void completeUpload_readersShareOneFile_andTerminationClosesItOnceTheyAreDone() throws Exception {
    FsUploadStore store = newStore();
    byte[] data = randomBytes(50_000, 41);
    UploadInfo info = uploadWith(store, data, data.length);
    FileChannel a = (FileChannel) store.openRead(info, 0, data.length);
    FileChannel b = (FileChannel) store.openRead(info, 40_000, 10_000);
    assertThat(store.sharedFilesHeld()).isEqualTo(1);
    store.terminate(info);
    assertThat(store.find(info.id())).isEmpty();
    assertThat(store.sharedFilesHeld()).isZero();
    ByteBuffer tail = ByteBuffer.allocate(10_000);
    while (tail.hasRemaining() && b.read(tail) > 0) {
      // an open file outlives its deletion
    }
    assertThat(tail.array()).isEqualTo(java.util.Arrays.copyOfRange(data, 40_000, 50_000));
    a.close();
    b.close();
    assertThatThrownBy(() -> store.openRead(info, 0, 1)).isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void incompleteUpload_isNotShared_itsBytesStillChange() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = uploadWith(store, randomBytes(100, 42), 1_000);
    try (var channel = store.openRead(info, 0, 100)) {
      assertThat(channel).isInstanceOf(FileChannel.class).isNotInstanceOf(OpenFiles.View.class);
      assertThat(store.sharedFilesHeld()).isZero();
    }
  }

  @Test
  void completeUpload_updatedAfterFindSawItComplete_findShowsTheUpdate() throws Exception {
    FsUploadStore store = newStore();
    byte[] data = randomBytes(1_000, 43);
    UploadInfo info = uploadWith(store, data, data.length);
    UploadInfo seen = store.find(info.id()).orElseThrow();
    assertThat(seen.isComplete()).isTrue();
    assertThat(store.find(info.id())).contains(seen);
    Instant later = seen.expiresAt().orElseThrow().plus(Duration.ofDays(1));
    store.update(seen.withExpiresAt(later).withMetadata(Map.of("name", "b.bin")));
    UploadInfo after = store.find(info.id()).orElseThrow();
    assertThat(after.expiresAt()).contains(later);
    assertThat(after.metadata()).containsEntry("name", "b.bin");
    assertThat(after.offset()).isEqualTo(data.length);
    assertThat(after.updatedAt()).isEqualTo(seen.updatedAt());
  }

  @Test
  void completeUpload_dataDeletedByHand_failsTheNextRead_thenFindSaysItIsGone() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = uploadWith(store, randomBytes(1_000, 44), 1_000);
    assertThat(store.find(info.id())).isPresent();
    Files.delete(dir.resolve(info.id().value()));
    assertThatThrownBy(() -> store.openRead(info, 0, 1)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    assertThat(store.find(info.id())).isEmpty();
  }

  @Test
  void find_duringProvisionalSession_reportsOnlyCommittedBytes() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = uploadWith(store, randomBytes(100, 28), 1_000);
    try (AppendSession session = store.openAppend(info, true)) {
      session.write(ByteBuffer.wrap(randomBytes(200, 29)));
      assertThat(store.find(info.id()).orElseThrow().offset()).isEqualTo(100);
      session.commit();
      assertThat(store.find(info.id()).orElseThrow().offset()).isEqualTo(300);
      session.write(ByteBuffer.wrap(randomBytes(50, 30)));
      assertThat(store.find(info.id()).orElseThrow().offset()).isEqualTo(300);
      session.rollback();
      assertThat(session.offset()).isEqualTo(300);
      assertThat(fileNames()).containsExactlyInAnyOrder(info.id().value(), info.id() + ".info");
    }
    assertThat(store.find(info.id()).orElseThrow().offset()).isEqualTo(300);
    assertThat(Files.size(dir.resolve(info.id().value()))).isEqualTo(300);
  }

  @Test
  void updatedAt_comesFromTheInjectedClock_evenWhenItIsFarBehindTheFileSystem() throws Exception {
    Instant past = Instant.parse("2001-02-03T04:05:06Z");
    MutableClock clock = new MutableClock(past);
    FsUploadStore store = new FsUploadStore(dir, clock, fsync());
    UploadInfo created = store.create(UploadInfo.draft(
        UploadId.random(), OptionalLong.of(10), Map.of(), past, past.plus(Duration.ofDays(1))));
    assertThat(store.find(created.id()).orElseThrow().updatedAt()).isEqualTo(past);

    clock.advance(Duration.ofMinutes(5));
    try (AppendSession session = store.openAppend(created, false)) {
      session.write(ByteBuffer.wrap(randomBytes(4, 31)));
      session.commit();
    }

    assertThat(store.find(created.id()).orElseThrow().updatedAt())
        .isEqualTo(past.plus(Duration.ofMinutes(5)));
  }

  /**
   * With the system clock the store leaves the creation's last-modified time to the kernel (no
   * {@code utimensat} per creation): a commit must still move {@code updatedAt} to the time of the
   * write, past an older {@code updatedAt} in the info.
   */
  @Test
  void updatedAt_withTheSystemClock_isTheTimeOfTheLastWrite() throws Exception {
    FsUploadStore store = new FsUploadStore(dir, Clock.systemUTC(), fsync());
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
    UploadInfo created = store.create(UploadInfo.draft(UploadId.random(), OptionalLong.of(10),
        Map.of(), hourAgo, hourAgo.plus(Duration.ofDays(1))));
    Instant before = Instant.now();
    try (AppendSession session = store.openAppend(created, false)) {
      session.write(ByteBuffer.wrap(randomBytes(4, 32)));
      session.commit();
    }
    Instant after = Instant.now();

    Instant updated = new FsUploadStore(dir, Clock.systemUTC(), fsync()).find(created.id())
        .orElseThrow().updatedAt();
    // the kernel's coarse clock may run a tick behind Instant.now()
    assertThat(updated).isBetween(before.minusSeconds(1), after.plusSeconds(1));
  }

  /**
   * A crash between creating a new info file and writing it leaves it empty: no upload, no error.
   */
  @Test
  void find_emptyInfoLeftByACrashDuringCreation_isNotFound() throws Exception {
    UploadId id = UploadId.random();
    Files.createFile(dir.resolve(id.value()));
    Files.createFile(dir.resolve(id.value() + ".info"));

    assertThat(newStore().find(id)).isEmpty();
  }

  @Test
  void writeNew_existingFile_failsAndLeavesItAlone() throws Exception {
    FsLayout layout = new FsLayout(dir, fsync());
    Path target = dir.resolve("x.info");
    layout.writeNew(target, new byte[] {1, 2, 3});

    assertThatThrownBy(() -> layout.writeNew(target, new byte[] {9}))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    assertThat(fileNames()).containsExactly("x.info");
  }

  /**
   * Known uploads are answered from memory: an info file or marker changed behind the store's back
   * (which the one-process-per-directory rule forbids) is not seen until a restart, while every
   * change made through the store is seen at once and is on disk for the next process.
   */
  @Test
  void find_knownUpload_isAnsweredFromMemoryAndChangesThroughTheStoreAreSeenAtOnce()
      throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = uploadWith(store, randomBytes(100, 40), 1_000);
    Path infoFile = dir.resolve(info.id() + ".info");
    byte[] written = Files.readAllBytes(infoFile);

    Files.writeString(infoFile, "{\"version\":1,\"id\":");
    Files.writeString(dir.resolve(info.id() + ".pending"), "40");
    assertThat(store.find(info.id()).orElseThrow().offset()).isEqualTo(100);
    assertThatThrownBy(() -> newStore().find(info.id())).isInstanceOf(IOException.class);

    Files.write(infoFile, written);
    UploadInfo renamed = store.update(info.withMetadata(Map.of("filename", "b.txt")));
    assertThat(store.find(info.id()).orElseThrow().metadata()).containsEntry("filename", "b.txt");
    UploadInfo afterRestart = newStore().find(info.id()).orElseThrow();
    assertThat(afterRestart.metadata()).containsEntry("filename", "b.txt");
    assertThat(afterRestart.offset()).isEqualTo(40); // the hand-written marker, read at start-up
    assertThat(renamed.offset()).isEqualTo(100);

    store.terminate(info);
    assertThat(store.find(info.id())).isEmpty();
    assertThatThrownBy(() -> store.update(info)).isInstanceOf(IOException.class);
  }

  @Test
  void find_dataFileDeletedBehindTheStore_isNotFoundAndNotKept() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = uploadWith(store, randomBytes(10, 41), 10);
    Files.delete(dir.resolve(info.id().value()));

    assertThat(store.find(info.id())).isEmpty();
    assertThat(store.find(info.id())).isEmpty();
  }

  @Test
  void find_manyMoreUploadsThanTheCacheHolds_allStillFound() throws Exception {
    FsUploadStore store = newStore();
    Map<String, String> bulky = Map.of("note", "x".repeat(8_000));
    List<UploadInfo> created = new java.util.ArrayList<>();
    for (int i = 0; i < 1_200; i++) { // about 10 MiB of info JSON, more than CACHE_BYTES
      created.add(store.create(draft(OptionalLong.of(5)).withMetadata(bulky)));
    }
    for (UploadInfo info : created) {
      assertThat(store.find(info.id()).orElseThrow().metadata()).isEqualTo(bulky);
    }
  }

  @Test
  void openAppend_dataFileShorterThanInfo_failsWithMismatchedOffset() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = uploadWith(store, randomBytes(100, 31), 1_000);

    assertThatThrownBy(() -> store.openAppend(info.withOffset(150, NOW), false))
        .isInstanceOfSatisfying(
            TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISMATCHED_OFFSET));
  }

  @Test
  void session_afterClose_rejectsWrites() throws Exception {
    FsUploadStore store = newStore();
    AppendSession session = store.openAppend(store.create(draft(OptionalLong.of(10))), false);
    session.close();
    session.close();

    assertThatThrownBy(() -> session.write(ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void construction_missingDirectory_isCreated() throws Exception {
    Path nested = dir.resolve("a").resolve("b");
    FsUploadStore store = new FsUploadStore(nested, Clock.systemUTC());

    assertThat(nested).isDirectory();
    assertThat(store.directory()).isEqualTo(nested.toAbsolutePath().normalize());
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../escape", "a/b", "/etc/passwd", ".", ""})
  void resolve_nameOutsideDirectory_isRejected(String name) throws Exception {
    FsLayout layout = new FsLayout(dir, false);

    assertThatThrownBy(() -> layout.resolve(name)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UploadId(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void files_ofAnUpload_liveDirectlyInTheDirectory() throws Exception {
    FsLayout layout = new FsLayout(dir, false);
    UploadId id = UploadId.random();

    assertThat(List.of(layout.data(id), layout.info(id), layout.pending(id)))
        .allSatisfy(path -> assertThat(path.getParent()).isEqualTo(dir));
  }

  @Test
  void list_skipsFilesThatAreNotUploads() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = store.create(draft(OptionalLong.of(1)));
    for (String name : List.of("short.info", ".hidden-name.info", "has space.info", "x.info.bak")) {
      Files.writeString(dir.resolve(name), "{}");
    }

    try (Stream<UploadId> ids = store.list()) {
      assertThat(ids).containsExactly(info.id());
    }
  }

  @Test
  void operations_leaveOnlyDataAndInfoFiles() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo partial =
        uploadWith(store, randomBytes(10, 33), 10).withConcat(ConcatKind.PARTIAL, List.of());
    UploadInfo target = store.create(draft(OptionalLong.empty()));
    store.update(target.withMetadata(Map.of("k", "v")));
    UploadInfo done = store.concatenate(target, List.of(partial));
    store.probe();

    assertThat(done.length()).isEqualTo(OptionalLong.of(10));
    assertThat(store.find(target.id()).orElseThrow().isComplete()).isTrue();
    assertThat(fileNames())
        .containsExactlyInAnyOrder(
            partial.id().value(),
            partial.id() + ".info",
            target.id().value(),
            target.id() + ".info");
  }

  @Test
  void concatenate_partialShorterThanClaimed_failsAndLeavesTargetEmpty() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo partial = uploadWith(store, randomBytes(50, 34), 100);
    UploadInfo target = store.create(draft(OptionalLong.of(100)));

    assertThatThrownBy(() -> store.concatenate(target, List.of(partial.withOffset(100, NOW))))
        .isInstanceOf(IOException.class);
    assertThat(store.find(target.id()).orElseThrow().offset()).isZero();
    assertThat(fileNames()).noneMatch(n -> n.endsWith(".tmp"));
  }

  @Test
  void openRead_returnsFileChannelAtPosition() throws Exception {
    FsUploadStore store = newStore();
    UploadInfo info = uploadWith(store, randomBytes(1_000, 35), 1_000);

    try (var channel = store.openRead(info, 640, 360)) {
      assertThat(channel).isInstanceOf(FileChannel.class);
      assertThat(((FileChannel) channel).position()).isEqualTo(640);
    }
  }

  @Test
  void probe_directoryGone_throws() throws Exception {
    FsUploadStore store = newStore();
    Files.delete(dir);

    assertThatThrownBy(store::probe).isInstanceOf(IOException.class);
  }
}
