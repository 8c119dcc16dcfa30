package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The expiry index part of the storage contract ({@link ExpiryIndex}), run by {@link
 * UploadStoreContract} for every store that implements it: the store keeps the index itself as
 * uploads are created, updated and terminated.
 */
public abstract class ExpiryIndexContract {
  static final Instant NOW = UploadStoreContract.NOW;

  protected abstract UploadStore newStore() throws Exception;

  private UploadStore indexed() throws Exception {
    UploadStore store = newStore();
    assumeTrue(store instanceof ExpiryIndex, "the store has no expiry index");
    return store;
  }

  private static UploadInfo expiringAt(Instant expiresAt) {
    return UploadInfo.draft(UploadId.random(), OptionalLong.of(10), Map.of(), NOW, expiresAt);
  }

  private static List<ExpiryEntry> due(UploadStore store, Instant now) throws IOException {
    try (Stream<ExpiryEntry> due = ((ExpiryIndex) store).due(now)) {
      return due.toList();
    }
  }

  private static List<ExpiryEntry> entries(UploadStore store) throws IOException {
    try (Stream<ExpiryEntry> all = ((ExpiryIndex) store).entries()) {
      return all.toList();
    }
  }

  @Test
  void create_writesEntry_dueOnceItsMinuteHasBegun() throws Exception {
    UploadStore store = indexed();
    Instant expires = NOW.plus(Duration.ofHours(1)).plusSeconds(20);
    UploadInfo info = store.create(expiringAt(expires));

    ExpiryEntry entry = ExpiryEntry.of(info.id(), expires);
    assertThat(entries(store)).containsExactly(entry);
    assertThat(due(store, NOW)).isEmpty();
    assertThat(due(store, entry.bucket().minusNanos(1))).isEmpty();
    assertThat(due(store, entry.bucket())).containsExactly(entry);
    assertThat(due(store, expires.plus(Duration.ofDays(1)))).containsExactly(entry);
  }

  @Test
  void due_listsOnlyPassedBuckets_oldestFirst() throws Exception {
    UploadStore store = indexed();
    UploadInfo late = store.create(expiringAt(NOW.plus(Duration.ofHours(3))));
    UploadInfo early = store.create(expiringAt(NOW.plus(Duration.ofMinutes(5))));
    UploadInfo middle = store.create(expiringAt(NOW.plus(Duration.ofHours(2))));

    assertThat(due(store, NOW.plus(Duration.ofHours(2))))
        .extracting(ExpiryEntry::id)
        .containsExactly(early.id(), middle.id());
    assertThat(due(store, NOW.plus(Duration.ofDays(1))))
        .extracting(ExpiryEntry::id)
        .containsExactly(early.id(), middle.id(), late.id());
  }

  @Test
  void update_changingExpiry_movesEntry_andOtherUpdatesLeaveIt() throws Exception {
    UploadStore store = indexed();
    UploadInfo info = store.create(expiringAt(NOW.plus(Duration.ofHours(1))));
    store.update(info.withMetadata(Map.of("name", "x")));
    assertThat(entries(store)).containsExactly(ExpiryEntry.of(info).orElseThrow());

    Instant later = NOW.plus(Duration.ofDays(3));
    store.update(info.withExpiresAt(later));

    assertThat(entries(store)).containsExactly(ExpiryEntry.of(info.id(), later));
    assertThat(due(store, NOW.plus(Duration.ofDays(1)))).isEmpty();
  }

  @Test
  void keptUpload_hasNoEntry_keepingAndExpiringAgainMoveIt() throws Exception {
    UploadStore store = indexed();
    ExpiryIndex index = (ExpiryIndex) store;
    UploadInfo kept =
        store.create(
            UploadInfo.draft(UploadId.random(), OptionalLong.of(10), Map.of(), NOW, Optional.empty()));
    index.record(kept);
    assertThat(entries(store)).isEmpty();

    UploadInfo info = store.create(expiringAt(NOW.plus(Duration.ofHours(1))));
    store.update(info.withExpiresAt(Optional.empty()));
    assertThat(entries(store)).isEmpty();

    Instant again = NOW.plus(Duration.ofDays(2));
    store.update(kept.withExpiresAt(again));
    assertThat(entries(store)).containsExactly(ExpiryEntry.of(kept.id(), again));
  }

  @Test
  void terminate_removesEntry() throws Exception {
    UploadStore store = indexed();
    assumeTrue(store instanceof Terminator, "the store cannot terminate");
    UploadInfo kept = store.create(expiringAt(NOW.plus(Duration.ofHours(1))));
    UploadInfo gone = store.create(expiringAt(NOW.plus(Duration.ofHours(1))));

    ((Terminator) store).terminate(gone);

    assertThat(entries(store)).extracting(ExpiryEntry::id).containsExactly(kept.id());
  }

  @Test
  void recordAndForget_areIdempotent_andTouchNoUpload() throws Exception {
    UploadStore store = indexed();
    ExpiryIndex index = (ExpiryIndex) store;
    UploadInfo info = store.create(expiringAt(NOW.plus(Duration.ofHours(1))));
    ExpiryEntry entry = ExpiryEntry.of(info).orElseThrow();

    index.forget(entry);
    index.forget(entry);
    assertThat(entries(store)).isEmpty();
    assertThat(store.find(info.id())).isPresent();

    index.record(info);
    index.record(info);
    assertThat(entries(store)).containsExactly(entry);
  }

  @Test
  void entryWithoutUpload_isListedUntilForgotten() throws Exception {
    UploadStore store = indexed();
    ExpiryIndex index = (ExpiryIndex) store;
    UploadInfo never = expiringAt(NOW.plus(Duration.ofMinutes(2))); // recorded, never created
    index.record(never);
    ExpiryEntry entry = ExpiryEntry.of(never).orElseThrow();

    assertThat(due(store, NOW.plus(Duration.ofHours(1)))).containsExactly(entry);
    index.forget(entry);
    assertThat(due(store, NOW.plus(Duration.ofHours(1)))).isEmpty();
  }
}
