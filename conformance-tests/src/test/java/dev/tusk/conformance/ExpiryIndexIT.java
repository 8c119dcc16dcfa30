package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.ExpiryIndex;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.store.fs.FsUploadStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The expiry index from outside: a sweep costs what has expired, not what is stored, and the
 * repair scan restores what a crash lost. A fresh server per test; tests move its clock.
 */
class ExpiryIndexIT {
  TuskFixture tusk;

  @BeforeEach
  void start() throws Exception {
    tusk = TuskFixture.start(c -> c.withTtl(Duration.ofHours(24), Duration.ofDays(7)));
    awaitStartupRepair();
  }

  @AfterEach
  void stop() throws Exception {
    tusk.close();
  }

  @Test
  @DisplayName(
      "The Server SHOULD delete an expired upload (tusk: the sweep deletes every expired upload,"
          + " which then answers 410, and leaves the others alone)")
  void sweep_deletesExpired_answers410_leavesOthers() throws Exception {
    String soon = Uploads.create(tusk, 10, "ttl " + Uploads.base64("600"));
    String later = Uploads.create(tusk, 10);
    tusk.clock().advance(Duration.ofMinutes(12));

    assertThat(tusk.server().sweepExpired()).isEqualTo(1);

    assertThat(tusk.tus().head(soon).statusCode()).isEqualTo(410);
    assertThat(tusk.tus().head(later).statusCode()).isEqualTo(200);
    assertThat(tusk.store().find(id(soon))).isEmpty();
    assertThat(entries()).extracting(ExpiryEntry::id).containsExactly(id(later));
  }

  @Test
  @DisplayName("A sweep with nothing due makes one store call and reads no upload, however many are stored")
  void sweep_nothingDue_readsNoUpload_atAnyCount() throws Exception {
    List<Long> calls = new ArrayList<>();
    for (int stored : new int[] {3, 60}) {
      while (entries().size() < stored) {
        Uploads.create(tusk, 10);
      }
      tusk.clock().advance(Duration.ofHours(1));
      long findsBefore = finds();

      assertThat(tusk.server().sweepExpired()).isZero();

      assertThat(gauge("tusk.sweep.last.examined")).as("uploads examined").isZero();
      assertThat(finds() - findsBefore).as("store finds during the sweep").isZero();
      calls.add((long) gauge("tusk.sweep.last.store.calls"));
    }
    assertThat(calls).containsExactly(1L, 1L);
  }

  @Test
  @DisplayName("A sweep with some due examines those only")
  void sweep_someDue_examinesOnlyThose() throws Exception {
    for (int i = 0; i < 20; i++) {
      Uploads.create(tusk, 10);
    }
    Uploads.create(tusk, 10, "ttl " + Uploads.base64("60"));
    Uploads.create(tusk, 10, "ttl " + Uploads.base64("60"));
    tusk.clock().advance(Duration.ofMinutes(3));

    assertThat(tusk.server().sweepExpired()).isEqualTo(2);

    assertThat(gauge("tusk.sweep.last.examined")).isEqualTo(2);
    assertThat(gauge("tusk.sweep.last.deleted")).isEqualTo(2);
    assertThat(entries()).hasSize(20);
  }

  @Test
  @DisplayName(
      "Changing an upload's expiry through the store moves its entry: a kept upload leaves the"
          + " index and is never swept, an extended one is swept at its new time")
  void updateOfExpiry_movesEntry_keptNeverSwept() throws Exception {
    String kept = Uploads.create(tusk, 10, "ttl " + Uploads.base64("600"));
    String extended = Uploads.create(tusk, 10, "ttl " + Uploads.base64("600"));
    UploadInfo keptInfo = tusk.store().find(id(kept)).orElseThrow();
    tusk.store().update(keptInfo.withExpiresAt(java.util.Optional.empty()));
    UploadInfo extendedInfo = tusk.store().find(id(extended)).orElseThrow();
    java.time.Instant newExpiry = tusk.clock().instant().plus(Duration.ofHours(2));
    tusk.store().update(extendedInfo.withExpiresAt(newExpiry));

    assertThat(entries()).containsExactly(ExpiryEntry.of(id(extended), newExpiry));
    tusk.clock().advance(Duration.ofMinutes(12));
    assertThat(tusk.server().sweepExpired()).isZero();
    assertThat(gauge("tusk.sweep.last.examined")).isZero();
    assertThat(tusk.tus().head(extended).statusCode()).isEqualTo(200);

    tusk.clock().advance(Duration.ofDays(3650));
    assertThat(tusk.server().sweepExpired()).isEqualTo(1);
    assertThat(tusk.tus().head(extended).statusCode()).isEqualTo(410);
    assertThat(tusk.tus().head(kept).statusCode()).isEqualTo(200);
    assertThat(entries()).isEmpty();
  }

  @Test
  @DisplayName("An upload whose index entry was lost is found by the repair scan, then swept")
  void lostEntry_isRepaired_thenSwept() throws Exception {
    String lost = Uploads.create(tusk, 10, "ttl " + Uploads.base64("600"));
    UploadInfo info = tusk.store().find(id(lost)).orElseThrow();
    index().forget(ExpiryEntry.of(info).orElseThrow());
    tusk.clock().advance(Duration.ofMinutes(12));

    assertThat(tusk.server().sweepExpired()).as("swept without its entry").isZero();
    assertThat(tusk.tus().head(lost).statusCode()).as("expired all the same").isEqualTo(410);

    assertThat(tusk.server().repairExpiryIndex()).isEqualTo(1);
    assertThat(tusk.server().sweepExpired()).isEqualTo(1);
    assertThat(tusk.store().find(id(lost))).isEmpty();
    assertThat(tusk.tus().head(lost).statusCode()).isEqualTo(410);
  }

  @Test
  @DisplayName("An index entry without an upload is removed when the sweep reaches it")
  void orphanEntry_isRemovedWhenReached() throws Exception {
    UploadInfo never =
        UploadInfo.draft(
            UploadId.random(), OptionalLong.of(1), Map.of(), tusk.clock().instant(),
            tusk.clock().instant().plus(Duration.ofMinutes(5)));
    index().record(never);
    assertThat(entries()).hasSize(1);
    tusk.clock().advance(Duration.ofMinutes(7));

    assertThat(tusk.server().sweepExpired()).isZero();

    assertThat(entries()).isEmpty();
  }

  @Test
  @DisplayName("Uploads stored before the store kept an index are indexed by the repair scan")
  void preIndexData_isIndexedByRepair_evenByTwoScansAtOnce() throws Exception {
    List<String> uploads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      uploads.add(Uploads.create(tusk, 10, "ttl " + Uploads.base64("600")));
    }
    dropIndex();
    assertThat(entries()).isEmpty();

    CompletableFuture<Integer> one = CompletableFuture.supplyAsync(this::repair);
    CompletableFuture<Integer> two = CompletableFuture.supplyAsync(this::repair);
    assertThat(one.get() + two.get()).isBetween(5, 10);

    assertThat(entries()).extracting(ExpiryEntry::id)
        .containsExactlyInAnyOrderElementsOf(uploads.stream().map(ExpiryIndexIT::id).toList());
    tusk.clock().advance(Duration.ofMinutes(12));
    assertThat(tusk.server().sweepExpired()).isEqualTo(5);
    assertThat(entries()).isEmpty();
  }

  /** The index as it would be in a data directory or bucket written before there was one. */
  private void dropIndex() throws Exception {
    if (tusk.store() instanceof FsUploadStore fs) {
      try (Stream<Path> paths = Files.walk(fs.directory().resolve(".expiry"))) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      return;
    }
    for (ExpiryEntry entry : entries()) {
      index().forget(entry);
    }
  }

  private int repair() {
    try {
      return tusk.server().repairExpiryIndex();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ExpiryIndex index() {
    return (ExpiryIndex) tusk.store();
  }

  private List<ExpiryEntry> entries() throws Exception {
    try (Stream<ExpiryEntry> all = index().entries()) {
      return all.toList();
    }
  }

  private static UploadId id(String path) {
    return new UploadId(path.substring(path.lastIndexOf('/') + 1));
  }

  private MeterRegistry registry() {
    return tusk.server().metrics().registry();
  }

  private double gauge(String name) {
    return registry().get(name).gauge().value();
  }

  private long finds() {
    return registry().find("tusk.store.operation").tag("operation", "find").timers().stream()
        .mapToLong(Timer::count)
        .sum();
  }

  /**
   * Waits (bounded) for the repair scan the server starts in the background, so that it cannot
   * interleave with what a test does to the index.
   */
  private void awaitStartupRepair() throws InterruptedException {
    for (int i = 0; i < 500 && repairs() == 0; i++) {
      Thread.sleep(10);
    }
    assertThat(repairs()).as("start-up repair scans").isEqualTo(1);
  }

  private long repairs() {
    return registry().find("tusk.expiry.repair").timers().stream().mapToLong(Timer::count).sum();
  }
}
