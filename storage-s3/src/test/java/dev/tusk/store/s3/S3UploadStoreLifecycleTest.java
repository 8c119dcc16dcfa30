package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3TestSupport.MIB;
import static dev.tusk.store.s3.S3TestSupport.append;
import static dev.tusk.store.s3.S3TestSupport.draft;
import static dev.tusk.store.s3.S3TestSupport.keys;
import static dev.tusk.store.s3.S3TestSupport.multipartUploads;
import static dev.tusk.store.s3.S3TestSupport.randomBytes;
import static dev.tusk.store.s3.S3TestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/** Termination, layout, corrupt data, temp files, provisional sessions and the offset cache. */
class S3UploadStoreLifecycleTest extends S3StoreTestBase {

  @Test
  void terminate_incompleteAndCompleteUploads_leavesNoObjectAndNoMultipartUpload()
      throws Exception {
    S3StoreConfig config = config();
    S3UploadStore store = open(config);
    UploadInfo partial = store.create(draft(OptionalLong.of(20 * MIB)));
    partial = append(store, partial, randomBytes(7 * MIB, 1), 0, 7 * MIB);
    UploadInfo complete = store.create(draft(OptionalLong.of(10)));
    complete = append(store, complete, randomBytes(10, 2), 0, 10);
    assertThat(multipartUploads(config.keyPrefix())).hasSize(1);

    store.terminate(partial);
    store.terminate(complete);

    assertThat(keys(config.keyPrefix())).isEmpty();
    assertThat(multipartUploads(config.keyPrefix())).isEmpty();
    assertThat(store.find(partial.id())).isEmpty();
  }

  @Test
  void infoPrefix_keepsInfoAndPartApartFromData() throws Exception {
    S3StoreConfig base = config();
    S3StoreConfig config =
        base.toBuilder()
            .keyPrefix(base.keyPrefix() + "data/")
            .infoPrefix(Optional.of(base.keyPrefix() + "meta/"))
            .build();
    S3UploadStore store = open(config);
    UploadInfo info = store.create(draft(OptionalLong.of(2 * MIB)));
    append(store, info, randomBytes(MIB, 3), 0, MIB);
    assertThat(keys(base.keyPrefix()))
        .containsExactlyInAnyOrder(
            config.effectiveInfoPrefix() + info.id() + ".info",
            config.effectiveInfoPrefix() + info.id() + ".part");
    assertThat(S3ProxyFixture.shared().client()
            .listObjectsV2(r -> r.bucket(S3ProxyFixture.BUCKET).prefix(base.keyPrefix() + "meta/.expiry/"))
            .keyCount())
        .as("the expiry index lives under the info prefix")
        .isEqualTo(1);
    try (var ids = store.list()) {
      assertThat(ids.toList()).containsExactly(info.id());
    }
  }

  @Test
  void find_corruptInfo_throwsIOException() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore store = open(config);
    UploadInfo info = store.create(draft(OptionalLong.of(5)));
    S3ProxyFixture.shared()
        .client()
        .putObject(
            r -> r.bucket(S3ProxyFixture.BUCKET).key(config.keyPrefix() + info.id() + ".info"),
            RequestBody.fromString("{not json"));
    store.dropCache();
    assertThatThrownBy(() -> store.find(info.id())).isInstanceOf(IOException.class);
  }

  @Test
  void start_deletesLeftoverBuffersOnly() throws Exception {
    S3StoreConfig config = config();
    Files.createDirectories(config.tempDir());
    Path leftover = Files.writeString(config.tempDir().resolve("tusk-s3-123.buf"), "x");
    Path foreign = Files.writeString(config.tempDir().resolve("notes.txt"), "keep");
    open(config);
    assertThat(leftover).doesNotExist();
    assertThat(foreign).exists();
  }

  @Test
  void provisionalSession_sendsNothingBeforeCommit_andRollbackDeletesItsBuffers() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore store = open(config);
    byte[] data = randomBytes(12 * MIB, 4);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    try (AppendSession session = store.openAppend(info, true)) {
      session.write(ByteBuffer.wrap(data));
      assertThat(keys(config.keyPrefix()))
          .containsExactly(config.keyPrefix() + info.id() + ".info");
      assertThat(Files.list(config.tempDir()).count()).isEqualTo(3);
      session.rollback();
      assertThat(Files.list(config.tempDir()).count()).isZero();
      session.write(ByteBuffer.wrap(data));
      assertThat(session.commit().isComplete()).isTrue();
    }
    assertThat(Files.list(config.tempDir()).count()).isZero();
    assertThat(read(store, store.find(info.id()).orElseThrow(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void provisionalSession_rollbackAfterCommit_continuesAfterTheCommittedParts() throws Exception {
    S3UploadStore store = open(config());
    byte[] data = randomBytes(13 * MIB, 9);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    try (AppendSession session = store.openAppend(info, true)) {
      session.write(ByteBuffer.wrap(data, 0, 7 * MIB));
      assertThat(session.commit().offset()).isEqualTo(7 * MIB);
      session.write(ByteBuffer.wrap(randomBytes(6 * MIB, 10)));
      session.rollback();
      assertThat(session.offset()).isEqualTo(7 * MIB);
      session.write(ByteBuffer.wrap(data, 7 * MIB, 6 * MIB));
      assertThat(session.commit().isComplete()).isTrue();
    }
    assertThat(read(store, store.find(info.id()).orElseThrow(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void declareLength_zeroOnEmptyDeferredUpload_becomesEmptyObject() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore store = open(config);
    UploadInfo info = store.create(draft(OptionalLong.empty()));
    UploadInfo declared = store.declareLength(info, 0);
    assertThat(declared.isComplete()).isTrue();
    assertThat(multipartUploads(config.keyPrefix())).isEmpty();
    assertThat(keys(config.keyPrefix())).contains(config.keyPrefix() + info.id());
  }

  @Test
  void declareLength_equalToOffset_completesWithTheTailAsLastPart() throws Exception {
    S3UploadStore store = open(config());
    byte[] data = randomBytes(7 * MIB, 5);
    UploadInfo info = store.create(draft(OptionalLong.empty()));
    info = append(store, info, data, 0, data.length);
    UploadInfo done = store.declareLength(info, data.length);
    assertThat(done.isComplete()).isTrue();
    assertThat(read(store, done, 0, data.length)).isEqualTo(data);
  }

  @Test
  void declareLength_aboveTheStoresMaximum_failsWith413AndStaysDeferred() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore store = open(config);
    UploadInfo info = store.create(draft(OptionalLong.empty()));
    long max = config.maxUploadSize();
    assertThatThrownBy(() -> store.declareLength(info, max + 1))
        .isInstanceOfSatisfying(
            TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MAX_SIZE_EXCEEDED));
    assertThat(store.find(info.id()).orElseThrow().length()).isEmpty();
    assertThat(store.declareLength(info, max).length()).hasValue(max);
  }

  @Test
  void write_beyondLength_failsWithoutBreakingTheCommittedState() throws Exception {
    S3UploadStore store = open(config());
    UploadInfo info = store.create(draft(OptionalLong.of(10)));
    try (AppendSession session = store.openAppend(info, false)) {
      assertThatThrownBy(() -> session.write(ByteBuffer.wrap(new byte[11])))
          .isInstanceOfSatisfying(
              TusException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_SIZE_EXCEEDED));
    }
    assertThat(store.find(info.id()).orElseThrow().offset()).isZero();
  }

  @Test
  void fleet_cacheOff_seesAnotherInstancesCommits_cacheOnFailsSafely() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore writer = open(config.toBuilder().offsetCache(false).build());
    S3UploadStore uncached =
        open(config.toBuilder().offsetCache(false).tempDir(temp.resolve("b")).tempBudget(64 * MIB).build());
    S3UploadStore cached = open(config.toBuilder().tempDir(temp.resolve("c")).tempBudget(64 * MIB).build());
    UploadInfo info = writer.create(draft(OptionalLong.of(100)));
    UploadInfo stale = cached.find(info.id()).orElseThrow();
    append(writer, info, randomBytes(40, 6), 0, 40);

    assertThat(uncached.find(info.id()).orElseThrow().offset()).isEqualTo(40);
    assertThat(cached.find(info.id()).orElseThrow().offset()).isZero();
    assertThatThrownBy(() -> cached.openAppend(stale, false))
        .isInstanceOfSatisfying(
            TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISMATCHED_OFFSET));
    assertThat(cached.find(info.id()).orElseThrow().offset()).isEqualTo(40);
  }

  @Test
  void soleWriter_appendsWithoutReadingBackTheRecordsItWrote() throws Exception {
    List<String> partHeads = new CopyOnWriteArrayList<>();
    S3StoreConfig config = config();
    byte[] data = randomBytes(100, 8);

    UploadInfo done = appendInTwoPatches(open(config, partHeads), data);

    assertThat(read(open(config), done, 0, 100)).isEqualTo(data);
    assertThat(partHeads).isEmpty();
  }

  @Test
  void fleet_cacheOff_readsTheRecordBeforeEveryAppend() throws Exception {
    List<String> partHeads = new CopyOnWriteArrayList<>();
    S3StoreConfig config = config().toBuilder().offsetCache(false).build();

    appendInTwoPatches(open(config, partHeads), randomBytes(100, 9));

    assertThat(partHeads).hasSize(3); // each open, and the completion
  }

  /** Creates a 100-byte upload and appends {@code data} in two sessions of 40 and 60 bytes. */
  private static UploadInfo appendInTwoPatches(S3UploadStore store, byte[] data)
      throws IOException {
    UploadInfo info = store.create(draft(OptionalLong.of(100)));
    info = append(store, info, data, 0, 40);
    assertThat(info.offset()).isEqualTo(40);
    info = append(store, info, data, 40, 100);
    assertThat(info.isComplete()).isTrue();
    return info;
  }

  /** A store whose S3 client records the key of every HeadObject on a {@code .part} object. */
  private S3UploadStore open(S3StoreConfig config, List<String> partHeads) throws IOException {
    ExecutionInterceptor spy =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof HeadObjectRequest head
                && head.key().endsWith(".part")) {
              partHeads.add(head.key());
            }
          }
        };
    S3Client client =
        S3Clients.builder(config, 8)
            .overrideConfiguration(o -> o.addExecutionInterceptor(spy))
            .build();
    return open(new S3UploadStore(config, client, clock)); // the store closes the client
  }

  @Test
  void checksumWhenRequired_multipartUpload_isByteExact() throws Exception {
    S3UploadStore store = open(config().toBuilder().checksumMode(ChecksumMode.WHEN_REQUIRED).build());
    byte[] data = randomBytes(11 * MIB + 7, 7);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    UploadInfo done = append(store, info, data, 0, data.length);
    assertThat(read(store, done, 0, data.length)).isEqualTo(data);
    store.terminate(done);
    store.probe();
  }
}
