package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The storage contract every store must pass: extend it in the store's module and return a fresh,
 * empty store from {@link #newStore()}. Capability tests run only when the store implements the
 * capability.
 */
public abstract class UploadStoreContract {
  protected static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  /** A fresh store for one test; called once per test method. */
  protected abstract UploadStore newStore() throws Exception;

  /** Bytes a store wants in one go to exercise its buffering; S3 stores say more than a part. */
  protected int largeUploadSize() {
    return 12 * 1024 * 1024 + 12_345;
  }

  protected static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static UploadInfo draft(OptionalLong length) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("filename", "résumé \"final\".pdf");
    meta.put("empty", "");
    return UploadInfo.draft(
        UploadId.random(), length, meta, NOW, NOW.plus(Duration.ofHours(24)));
  }

  protected static UploadInfo append(UploadStore store, UploadInfo info, byte[] data, int chunk)
      throws IOException {
    try (AppendSession session = store.openAppend(info, false)) {
      for (int i = 0; i < data.length; i += chunk) {
        session.write(ByteBuffer.wrap(data, i, Math.min(chunk, data.length - i)));
      }
      return session.commit();
    }
  }

  protected static byte[] read(UploadStore store, UploadInfo info, long position, long length)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReadableByteChannel ch = store.openRead(info, position, length)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      long remaining = length;
      while (remaining > 0) {
        buf.clear();
        if (buf.capacity() > remaining) {
          buf.limit((int) remaining);
        }
        int n = ch.read(buf);
        if (n < 0) {
          break;
        }
        out.write(buf.array(), 0, n);
        remaining -= n;
      }
    }
    return out.toByteArray();
  }

  @Test
  void create_thenFind_returnsWhatWasCreated() throws Exception {
    UploadStore store = newStore();
    UploadInfo created = store.create(draft(OptionalLong.of(10)));
    UploadInfo found = store.find(created.id()).orElseThrow();
    assertThat(found.offset()).isZero();
    assertThat(found.length()).isEqualTo(OptionalLong.of(10));
    assertThat(found.metadata()).containsExactlyEntriesOf(created.metadata());
    assertThat(found.createdAt()).isEqualTo(NOW);
    assertThat(found.expiresAt()).contains(NOW.plus(Duration.ofHours(24)));
    assertThat(found.concat()).isEqualTo(ConcatKind.NONE);
  }

  @Test
  void create_existingId_fails() throws Exception {
    UploadStore store = newStore();
    UploadInfo created = store.create(draft(OptionalLong.of(10)));
    assertThatThrownBy(() -> store.create(created)).isInstanceOf(IOException.class);
  }

  @Test
  void find_unknownId_isEmpty() throws Exception {
    assertThat(newStore().find(UploadId.random())).isEmpty();
  }

  @Test
  void append_inChunks_advancesOffsetAndKeepsBytes() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(100_000, 1);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    UploadInfo after = append(store, info, data, 7_777);
    assertThat(after.offset()).isEqualTo(data.length);
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(data.length);
    assertThat(found.isComplete()).isTrue();
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
  }

  @Test
  void append_largeUpload_isByteExact() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(largeUploadSize(), 2);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    append(store, info, data, 256 * 1024 + 3);
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(data.length);
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
  }

  @Test
  void append_resumedInLaterSessions_continuesAtOffset() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(300_001, 3);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    int[] cuts = {0, 1, 65_536, 100_000, 300_001};
    for (int i = 0; i + 1 < cuts.length; i++) {
      UploadInfo current = store.find(info.id()).orElseThrow();
      assertThat(current.offset()).isEqualTo(cuts[i]);
      byte[] piece = java.util.Arrays.copyOfRange(data, cuts[i], cuts[i + 1]);
      append(store, current, piece, 4096);
    }
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
  }

  @Test
  void idle_betweenWrites_keepsEveryByte() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(30_000, 18);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    try (AppendSession session = store.openAppend(info, false)) {
      session.idle();
      session.write(ByteBuffer.wrap(data, 0, 10_000));
      session.idle();
      session.idle();
      session.write(ByteBuffer.wrap(data, 10_000, 20_000));
      session.idle();
      assertThat(session.commit().offset()).isEqualTo(data.length);
    }
    assertThat(read(store, store.find(info.id()).orElseThrow(), 0, data.length)).isEqualTo(data);
    try (AppendSession provisional = store.openAppend(store.find(info.id()).orElseThrow(), true)) {
      provisional.idle();
    }
  }

  @Test
  void idle_inProvisionalSession_thenRollback_forgetsBytes() throws Exception {
    UploadStore store = newStore();
    UploadInfo info = store.create(draft(OptionalLong.of(20_000)));
    info = append(store, info, randomBytes(5_000, 19), 5_000);
    try (AppendSession session = store.openAppend(info, true)) {
      session.write(ByteBuffer.wrap(randomBytes(5_000, 20)));
      session.idle();
      session.rollback();
    }
    assertThat(store.find(info.id()).orElseThrow().offset()).isEqualTo(5_000);
  }

  @Test
  void emptySession_onCompleteUpload_changesNothing() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(6_000, 17);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    append(store, info, data, 6_000);
    UploadInfo complete = store.find(info.id()).orElseThrow();
    for (boolean provisional : new boolean[] {false, true}) {
      try (AppendSession session = store.openAppend(complete, provisional)) {
        session.write(ByteBuffer.allocate(0));
        assertThat(session.commit().offset()).isEqualTo(data.length);
      }
    }
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.isComplete()).isTrue();
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
  }

  @Test
  void close_withoutCommit_keepsBytesOfNonProvisionalSession() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(50_000, 4);
    UploadInfo info = store.create(draft(OptionalLong.of(100_000)));
    try (AppendSession session = store.openAppend(info, false)) {
      session.write(ByteBuffer.wrap(data));
      assertThat(session.offset()).isEqualTo(data.length);
    }
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(data.length);
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
  }

  @Test
  void rollback_ofProvisionalSession_restoresOffsetAndBytes() throws Exception {
    UploadStore store = newStore();
    byte[] first = randomBytes(10_000, 5);
    UploadInfo info = store.create(draft(OptionalLong.of(30_000)));
    info = append(store, info, first, 10_000);
    try (AppendSession session = store.openAppend(info, true)) {
      session.write(ByteBuffer.wrap(randomBytes(10_000, 6)));
      session.rollback();
      assertThat(session.offset()).isEqualTo(10_000);
    }
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(10_000);
    byte[] second = randomBytes(20_000, 7);
    append(store, found, second, 3_000);
    UploadInfo done = store.find(info.id()).orElseThrow();
    byte[] expected = new byte[30_000];
    System.arraycopy(first, 0, expected, 0, 10_000);
    System.arraycopy(second, 0, expected, 10_000, 20_000);
    assertThat(read(store, done, 0, 30_000)).isEqualTo(expected);
  }

  @Test
  void close_withoutCommit_forgetsBytesOfProvisionalSession() throws Exception {
    UploadStore store = newStore();
    UploadInfo info = store.create(draft(OptionalLong.of(30_000)));
    try (AppendSession session = store.openAppend(info, true)) {
      session.write(ByteBuffer.wrap(randomBytes(10_000, 8)));
    }
    assertThat(store.find(info.id()).orElseThrow().offset()).isZero();
  }

  @Test
  void commit_ofProvisionalSession_keepsBytes() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(10_000, 9);
    UploadInfo info = store.create(draft(OptionalLong.of(10_000)));
    try (AppendSession session = store.openAppend(info, true)) {
      session.write(ByteBuffer.wrap(data));
      assertThat(session.commit().offset()).isEqualTo(10_000);
    }
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(10_000);
    assertThat(read(store, found, 0, 10_000)).isEqualTo(data);
  }

  @Test
  void update_persistsEverythingButOffset() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(1_000, 10);
    UploadInfo info = store.create(draft(OptionalLong.empty()));
    info = append(store, info, data, 1_000);
    Instant later = NOW.plus(1, ChronoUnit.HOURS);
    UploadInfo changed =
        info.withMetadata(Map.of("k", "v"))
            .withExpiresAt(later)
            .withAttribute("owner", "alice")
            .withLength(5_000, NOW);
    store.update(changed);
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.metadata()).containsExactlyEntriesOf(Map.of("k", "v"));
    assertThat(found.expiresAt()).contains(later);
    assertThat(found.attributes()).containsEntry("owner", "alice");
    assertThat(found.length()).isEqualTo(OptionalLong.of(5_000));
    assertThat(found.offset()).isEqualTo(1_000);
  }

  @Test
  void update_keepAndExpireAgain_persistsTheExpiry() throws Exception {
    UploadStore store = newStore();
    UploadInfo kept =
        store.create(
            UploadInfo.draft(UploadId.random(), OptionalLong.of(10), Map.of(), NOW, Optional.empty()));
    assertThat(store.find(kept.id()).orElseThrow().expiresAt()).isEmpty();
    Instant later = NOW.plus(2, ChronoUnit.HOURS);
    store.update(kept.withExpiresAt(later));
    UploadInfo expiring = store.find(kept.id()).orElseThrow();
    assertThat(expiring.expiresAt()).contains(later);
    store.update(expiring.withExpiresAt(Optional.empty()));
    assertThat(store.find(kept.id()).orElseThrow().isKept()).isTrue();
  }

  @Test
  void openRead_range_returnsThoseBytes() throws Exception {
    UploadStore store = newStore();
    byte[] data = randomBytes(70_000, 11);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    info = append(store, info, data, 70_000);
    assertThat(read(store, info, 1_000, 5)).isEqualTo(java.util.Arrays.copyOfRange(data, 1_000, 1_005));
    assertThat(read(store, info, 69_999, 1)).containsExactly(data[69_999]);
    assertThat(read(store, info, 0, 0)).isEmpty();
  }

  @Test
  void emptyUpload_isCompleteAndReadable() throws Exception {
    UploadStore store = newStore();
    UploadInfo info = store.create(draft(OptionalLong.of(0)));
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.isComplete()).isTrue();
    assertThat(read(store, found, 0, 0)).isEmpty();
  }

  @Test
  void terminate_removesUpload_andIsIdempotent() throws Exception {
    UploadStore store = newStore();
    if (!(store instanceof Terminator terminator)) {
      return;
    }
    UploadInfo info = store.create(draft(OptionalLong.of(10)));
    info = append(store, info, randomBytes(5, 12), 5);
    terminator.terminate(info);
    assertThat(store.find(info.id())).isEmpty();
    terminator.terminate(info);
  }

  @Test
  void recordUse_isTrueOnce_andOutlivesTheUpload() throws Exception {
    UploadStore store = newStore();
    if (!(store instanceof UseRecorder recorder)) {
      return;
    }
    UploadInfo info = store.create(draft(OptionalLong.of(3)));
    assertThat(recorder.recordUse(info.id())).isTrue();
    assertThat(recorder.recordUse(info.id())).isFalse();
    if (store instanceof Terminator terminator) {
      terminator.terminate(info);
    }
    assertThat(recorder.recordUse(info.id())).isFalse();
    assertThat(store.find(info.id())).isEmpty();
    assertThat(recorder.recordUse(UploadId.random())).isTrue();
    if (store instanceof UploadLister lister) {
      try (Stream<UploadId> ids = lister.list()) {
        assertThat(ids).doesNotContain(info.id());
      }
    }
  }

  @Test
  void declareLength_setsDeferredLength() throws Exception {
    UploadStore store = newStore();
    if (!(store instanceof LengthDeferrer deferrer)) {
      return;
    }
    UploadInfo info = store.create(draft(OptionalLong.empty()));
    info = append(store, info, randomBytes(100, 13), 100);
    UploadInfo declared = deferrer.declareLength(info, 200);
    assertThat(declared.length()).isEqualTo(OptionalLong.of(200));
    assertThat(store.find(info.id()).orElseThrow().length()).isEqualTo(OptionalLong.of(200));
    assertThat(store.find(info.id()).orElseThrow().offset()).isEqualTo(100);
  }

  @Test
  void concatenate_joinsPartialsInOrder() throws Exception {
    UploadStore store = newStore();
    if (!(store instanceof Concatenator concatenator)) {
      return;
    }
    byte[] a = randomBytes(largeUploadSize() / 2 + 1, 14);
    byte[] b = randomBytes(3, 15);
    byte[] c = randomBytes(70_000, 16);
    UploadInfo pa = partial(store, a);
    UploadInfo pb = partial(store, b);
    UploadInfo pc = partial(store, c);
    long total = (long) a.length + b.length + c.length;
    UploadInfo target =
        store.create(
            draft(OptionalLong.of(total))
                .withConcat(ConcatKind.FINAL, List.of(pa.id(), pb.id(), pc.id())));
    UploadInfo done = concatenator.concatenate(target, List.of(pa, pb, pc));
    assertThat(done.offset()).isEqualTo(total);
    UploadInfo found = store.find(target.id()).orElseThrow();
    assertThat(found.isComplete()).isTrue();
    assertThat(found.concat()).isEqualTo(ConcatKind.FINAL);
    assertThat(found.partials()).containsExactly(pa.id(), pb.id(), pc.id());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(a);
    expected.write(b);
    expected.write(c);
    assertThat(read(store, found, 0, total)).isEqualTo(expected.toByteArray());
    assertThat(read(store, store.find(pb.id()).orElseThrow(), 0, 3)).isEqualTo(b);
  }

  private static UploadInfo partial(UploadStore store, byte[] data) throws IOException {
    UploadInfo info =
        store.create(
            draft(OptionalLong.of(data.length)).withConcat(ConcatKind.PARTIAL, List.of()));
    return append(store, info, data, 64 * 1024);
  }

  @Test
  void list_containsCreatedUploads_andNotTerminatedOnes() throws Exception {
    UploadStore store = newStore();
    if (!(store instanceof UploadLister lister)) {
      return;
    }
    UploadInfo one = store.create(draft(OptionalLong.of(1)));
    UploadInfo two = store.create(draft(OptionalLong.of(2)));
    try (Stream<UploadId> ids = lister.list()) {
      assertThat(ids.toList()).contains(one.id(), two.id());
    }
    if (store instanceof Terminator terminator) {
      terminator.terminate(one);
      try (Stream<UploadId> ids = lister.list()) {
        assertThat(ids.toList()).contains(two.id()).doesNotContain(one.id());
      }
    }
  }

  @Test
  void probe_succeedsOnHealthyStore() throws Exception {
    newStore().probe();
  }

  /** The expiry index tests ({@link ExpiryIndexContract}) on this store. */
  @Nested
  class ExpiryIndexTests extends ExpiryIndexContract {
    @Override
    protected UploadStore newStore() throws Exception {
      return UploadStoreContract.this.newStore();
    }
  }
}
