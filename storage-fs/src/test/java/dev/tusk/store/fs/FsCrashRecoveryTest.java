package dev.tusk.store.fs;

import static java.nio.file.StandardOpenOption.APPEND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadInfoJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash leaves in the directory, written by hand, and how the next store (a restarted
 * process) reads and repairs it.
 */
class FsCrashRecoveryTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path dir;

  private FsUploadStore restart() throws IOException {
    return new FsUploadStore(dir, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static UploadInfo upload(FsUploadStore store, byte[] data, long length)
      throws IOException {
    UploadInfo draft =
        UploadInfo.draft(
            UploadId.random(),
            OptionalLong.of(length),
            Map.of(),
            NOW,
            NOW.plus(Duration.ofDays(1)));
    try (AppendSession session = store.openAppend(store.create(draft), false)) {
      session.write(ByteBuffer.wrap(data));
      return session.commit();
    }
  }

  private Path file(UploadInfo info, String suffix) {
    return dir.resolve(info.id().value() + suffix);
  }

  /** kill -9 in a provisional session that started at {@code start} and wrote {@code extra}. */
  private void crashDuringProvisionalSession(UploadInfo info, long start, int extra)
      throws IOException {
    Files.writeString(file(info, ".pending"), Long.toString(start));
    Files.write(file(info, ""), bytes(extra, 99), APPEND);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @Test
  void find_stalePendingMarker_reportsMarkerOffsetWithoutTruncating() throws Exception {
    UploadInfo info = upload(restart(), bytes(1_000, 1), 2_000);
    crashDuringProvisionalSession(info, 1_000, 300);

    assertThat(restart().find(info.id()).orElseThrow().offset()).isEqualTo(1_000);
    assertThat(Files.size(file(info, ""))).isEqualTo(1_300);
  }

  @Test
  void openAppend_stalePendingMarker_truncatesToItAndRemovesIt() throws Exception {
    byte[] first = bytes(1_000, 2);
    UploadInfo info = upload(restart(), first, 2_000);
    crashDuringProvisionalSession(info, 1_000, 300);

    FsUploadStore store = restart();
    byte[] second = bytes(1_000, 3);
    try (AppendSession session = store.openAppend(store.find(info.id()).orElseThrow(), false)) {
      assertThat(file(info, ".pending")).doesNotExist();
      assertThat(Files.size(file(info, ""))).isEqualTo(1_000);
      session.write(ByteBuffer.wrap(second));
    }
    assertThat(store.find(info.id()).orElseThrow().isComplete()).isTrue();
    assertThat(Files.readAllBytes(file(info, ""))).isEqualTo(concat(first, second));
  }

  @Test
  void openAppend_atUncommittedOffsetOfStaleMarker_failsWithMismatchedOffset() throws Exception {
    UploadInfo info = upload(restart(), bytes(1_000, 4), 2_000);
    crashDuringProvisionalSession(info, 1_000, 300);

    assertThatThrownBy(() -> restart().openAppend(info.withOffset(1_300, NOW), false))
        .isInstanceOfSatisfying(
            TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISMATCHED_OFFSET));
    assertThat(Files.size(file(info, ""))).isEqualTo(1_000);
  }

  /**
   * The data file, not the info document, is the truth about the offset: bytes a non-provisional
   * session wrote are kept even if the process died before it committed.
   */
  @Test
  void find_dataFileLongerThanInfoSays_reportsFileSize() throws Exception {
    UploadInfo info = upload(restart(), bytes(1_000, 5), 5_000);
    Files.write(file(info, ".info"), UploadInfoJson.write(info.withOffset(10, NOW)));
    Files.write(file(info, ""), bytes(500, 6), APPEND);

    assertThat(restart().find(info.id()).orElseThrow().offset()).isEqualTo(1_500);
  }

  @Test
  void openAppend_dataFileLongerThanInfo_appendsAtInfoOffset() throws Exception {
    byte[] first = bytes(100, 7);
    UploadInfo info = upload(restart(), first, 1_000);
    Files.write(file(info, ""), bytes(50, 8), APPEND);

    byte[] second = bytes(20, 9);
    try (AppendSession session = restart().openAppend(info, false)) {
      session.write(ByteBuffer.wrap(second));
    }
    assertThat(Files.readAllBytes(file(info, ""))).isEqualTo(concat(first, second));
  }

  @Test
  void find_dataFileLongerThanLength_reportsLength() throws Exception {
    UploadInfo info = upload(restart(), bytes(100, 10), 100);
    Files.write(file(info, ""), bytes(5, 11), APPEND);

    assertThat(restart().find(info.id()).orElseThrow().offset()).isEqualTo(100);
  }

  @Test
  void find_corruptInfo_throwsIOException() throws Exception {
    UploadInfo info = upload(restart(), bytes(10, 12), 10);
    Files.writeString(file(info, ".info"), "{\"version\":1,\"id\":");

    assertThatThrownBy(() -> restart().find(info.id())).isInstanceOf(IOException.class);
  }

  @Test
  void find_infoOfAnotherUpload_throwsIOException() throws Exception {
    UploadInfo info = upload(restart(), bytes(10, 13), 10);
    Files.write(file(info, ".info"), UploadInfoJson.write(info.withId(UploadId.random())));

    assertThatThrownBy(() -> restart().find(info.id())).isInstanceOf(IOException.class);
  }

  @Test
  void find_corruptPendingMarker_throwsIOException() throws Exception {
    UploadInfo info = upload(restart(), bytes(10, 14), 20);
    Files.writeString(file(info, ".pending"), "ten");

    assertThatThrownBy(() -> restart().find(info.id())).isInstanceOf(IOException.class);
  }

  @Test
  void construction_deletesStaleTempFilesButNothingElse() throws Exception {
    restart();
    List<String> stale =
        List.of(".abcdefgh.info.0123456789abcdef.tmp", ".probe.fedcba9876543210.tmp");
    List<String> foreign = List.of("notes.tmp", ".notes.tmp", "abcdefgh");
    for (String name : Stream.concat(stale.stream(), foreign.stream()).toList()) {
      Files.writeString(dir.resolve(name), "x");
    }
    restart();

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(foreign);
    }
  }

  @Test
  void terminate_removesStalePendingMarkerToo() throws Exception {
    UploadInfo info = upload(restart(), bytes(10, 15), 100);
    crashDuringProvisionalSession(info, 10, 5);
    restart().terminate(info);

    try (Stream<Path> files = Files.walk(dir)) {
      // the expiry index's bucket and its log stay until a sweep finds the bucket empty
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactly(FsExpiryIndex.LOG);
    }
  }

  private Path bucketOf(UploadInfo info) {
    return dir.resolve(FsExpiryIndex.DIRECTORY)
        .resolve(dev.tusk.core.ExpiryEntry.of(info).orElseThrow().bucketName());
  }

  private List<UploadId> entries(FsUploadStore store) throws IOException {
    try (Stream<dev.tusk.core.ExpiryEntry> all = store.entries()) {
      return all.map(dev.tusk.core.ExpiryEntry::id).toList();
    }
  }

  @Test
  void expiryLog_aLineCutShortByACrash_isSkipped_andTheNextLinesStillCount() throws Exception {
    UploadInfo kept = upload(restart(), bytes(10, 16), 100);
    Path log = bucketOf(kept).resolve(FsExpiryIndex.LOG);
    UploadId other = UploadId.random();
    // a crash during an append (power lost): the line has no newline; the next process's line
    // must not be joined to it
    Files.writeString(log, "+" + other.value().substring(0, 5), java.nio.file.StandardOpenOption.APPEND);
    UploadInfo later = upload(restart(), bytes(10, 17), 100);

    assertThat(entries(restart())).containsExactlyInAnyOrder(kept.id(), later.id());
    Files.write(log, new byte[] {0, 0, 0, '\n', '+', '\n', '-', '.', '.', '\n'},
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(entries(restart())).containsExactlyInAnyOrder(kept.id(), later.id());
  }

  @Test
  void expiryIndex_markersOfOlderDirectories_andTheLog_readTogether() throws Exception {
    UploadInfo logged = upload(restart(), bytes(10, 18), 100);
    Path bucket = bucketOf(logged);
    // an upload indexed by an empty marker file, as every entry was before there was a log
    UploadInfo marked = upload(restart(), bytes(10, 19), 100);
    Files.writeString(bucket.resolve(FsExpiryIndex.LOG), "-" + marked.id().value() + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.createFile(bucket.resolve(marked.id().value()));
    assertThat(entries(restart())).as("a marker counts whatever the log says")
        .containsExactlyInAnyOrder(logged.id(), marked.id());

    FsUploadStore store = restart();
    store.terminate(marked);
    assertThat(bucket.resolve(marked.id().value())).doesNotExist();
    assertThat(entries(store)).containsExactly(logged.id());
    store.terminate(logged);
    assertThat(entries(restart())).isEmpty();
  }
}
