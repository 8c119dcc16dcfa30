package dev.tusk.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.MutableClock;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStore;
import dev.tusk.server.health.StoreHealth;
import dev.tusk.store.fs.FsUploadStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteredStoreTest {
  @TempDir Path dir;
  private final TuskMetrics metrics = new TuskMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void wrap_fsStore_keepsEveryCapability() throws Exception {
    StoreCapabilities metered = MeteredStore.wrap(StoreCapabilities.of(new FsUploadStore(dir, Clock.systemUTC())), metrics);
    for (Class<?> capability : StoreCapabilities.optional()) {
      assertThat(metered.has(capability)).as(capability.getSimpleName()).isTrue();
    }
  }

  @Test
  void wrap_storeWithoutCapabilities_addsNone() {
    StoreCapabilities metered = MeteredStore.wrap(StoreCapabilities.of(new BareStore()), metrics);
    for (Class<?> capability : StoreCapabilities.optional()) {
      assertThat(metered.has(capability)).as(capability.getSimpleName()).isFalse();
    }
  }

  @Test
  void capabilities_areTimedEachUnderItsOwnName() throws Exception {
    StoreCapabilities metered = MeteredStore.wrap(StoreCapabilities.of(new FsUploadStore(dir, Clock.systemUTC())), metrics);
    Instant now = Instant.now();
    UploadInfo info = metered.store().create(UploadInfo.draft(UploadId.random(), OptionalLong.empty(), Map.of(), now, now.plusSeconds(60)));
    info = metered.lengthDeferrer().orElseThrow().declareLength(info, 0);
    try (var ids = metered.lister().orElseThrow().list()) {
      assertThat(ids).contains(info.id());
    }
    metered.terminator().orElseThrow().terminate(info);
    assertThat(metered.localReads().orElseThrow().readsAreLocal()).isTrue();
    assertThat(metrics.scrape())
        .contains("tusk_store_operation_seconds_count{operation=\"declareLength\",outcome=\"ok\"} 1")
        .contains("tusk_store_operation_seconds_count{operation=\"list\",outcome=\"ok\"} 1")
        .contains("tusk_store_operation_seconds_count{operation=\"terminate\",outcome=\"ok\"} 1")
        .contains("tusk_store_operation_seconds_count{operation=\"readsAreLocal\",outcome=\"ok\"} 1");
  }

  @Test
  void operations_areTimed_bytesCounted_andFileChannelsPassThrough() throws Exception {
    UploadStore metered = MeteredStore.wrap(StoreCapabilities.of(new FsUploadStore(dir, Clock.systemUTC())), metrics).store();
    Instant now = Instant.now();
    UploadInfo info = metered.create(UploadInfo.draft(UploadId.random(), OptionalLong.of(3), Map.of(), now, now.plusSeconds(60)));
    try (AppendSession session = metered.openAppend(info, false)) {
      session.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      assertThat(session.commit().isComplete()).isTrue();
    }
    try (ReadableByteChannel read = metered.openRead(metered.find(info.id()).orElseThrow(), 0, 3)) {
      assertThat(read).isInstanceOf(FileChannel.class);
    }
    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("tusk_store_operation_seconds_count{operation=\"create\",outcome=\"ok\"} 1")
        .contains("tusk_store_operation_seconds_count{operation=\"write\",outcome=\"ok\"} 1")
        .contains("tusk_store_operation_seconds_count{operation=\"commit\",outcome=\"ok\"} 1")
        .contains("tusk_store_operation_seconds_count{operation=\"openRead\",outcome=\"ok\"} 1")
        .contains("tusk_stored_bytes_total 3.0");
  }

  @Test
  void repeatedCalls_countIntoOneSeriesPerOutcome_andAnOutcomeThatNeverOccurredHasNone() throws Exception {
    UploadStore metered = MeteredStore.wrap(StoreCapabilities.of(new FsUploadStore(dir, Clock.systemUTC())), metrics).store();
    for (int i = 0; i < 3; i++) {
      assertThat(metered.find(UploadId.random())).isEmpty();
    }
    assertThat(metrics.scrape())
        .contains("tusk_store_operation_seconds_count{operation=\"find\",outcome=\"ok\"} 3")
        .doesNotContain("operation=\"find\",outcome=\"error\"");
  }

  @Test
  void failures_propagateUnchanged_andAreCountedAsErrors() {
    UploadStore metered = MeteredStore.wrap(StoreCapabilities.of(new BareStore()), metrics).store();
    assertThatThrownBy(metered::probe).isInstanceOf(NoSuchFileException.class).hasMessage("gone");
    assertThat(metrics.scrape()).contains("tusk_store_operation_seconds_count{operation=\"probe\",outcome=\"error\"} 1");
  }

  @Test
  void storeErrors_areCountedByKind_andReachTheHealthTracker() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    StoreHealth health = new StoreHealth(clock);
    metrics.storeSinceSuccess(health::sinceLastSuccess);
    UploadStore metered = MeteredStore.wrap(StoreCapabilities.of(new UnavailableStore()), metrics, health).store();
    assertThat(metrics.scrape())
        .contains("tusk_store_errors_total{kind=\"unavailable\"} 0.0")
        .contains("tusk_store_errors_total{kind=\"full\"} 0.0");
    clock.advance(Duration.ofSeconds(3));
    assertThatThrownBy(() -> metered.find(UploadId.random())).isInstanceOf(TusException.class);
    assertThatThrownBy(() -> metered.update(null)).isInstanceOf(IOException.class);
    assertThatThrownBy(metered::probe).isInstanceOf(NoSuchFileException.class); // readiness's own
    assertThat(health.problem()).isPresent();
    assertThat(metrics.scrape())
        .contains("tusk_store_errors_total{kind=\"unavailable\"} 1.0")
        .contains("tusk_store_errors_total{kind=\"other\"} 1.0")
        .contains("tusk_store_errors_total{kind=\"timeout\"} 0.0")
        .contains("tusk_store_since_success_seconds 3.0");
    assertThat(metered.create(null)).isNull();
    assertThat(health.problem()).isEmpty();
    assertThat(metrics.scrape()).contains("tusk_store_since_success_seconds 0.0");
  }

  /** A store whose find finds S3 unavailable and whose update fails otherwise. */
  private static final class UnavailableStore implements UploadStore {
    @Override public UploadInfo create(UploadInfo draft) { return draft; }
    @Override public Optional<UploadInfo> find(UploadId id) {
      throw new TusException(ErrorCode.STORAGE_UNAVAILABLE, "the storage answered 503");
    }
    @Override public UploadInfo update(UploadInfo info) throws IOException { throw new IOException("corrupt"); }
    @Override public AppendSession openAppend(UploadInfo info, boolean provisional) { throw new UnsupportedOperationException(); }
    @Override public ReadableByteChannel openRead(UploadInfo info, long position, long length) { throw new UnsupportedOperationException(); }
    @Override public void probe() throws IOException { throw new NoSuchFileException("gone"); }
  }

  /** A store with no optional capability whose probe fails. */
  private static final class BareStore implements UploadStore {
    @Override public UploadInfo create(UploadInfo draft) { return draft; }
    @Override public Optional<UploadInfo> find(UploadId id) { return Optional.empty(); }
    @Override public UploadInfo update(UploadInfo info) { return info; }
    @Override public AppendSession openAppend(UploadInfo info, boolean provisional) { throw new UnsupportedOperationException(); }
    @Override public ReadableByteChannel openRead(UploadInfo info, long position, long length) { throw new UnsupportedOperationException(); }
    @Override public void probe() throws IOException { throw new NoSuchFileException("gone"); }
  }
}
