package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3TestSupport.MIB;
import static dev.tusk.store.s3.S3TestSupport.append;
import static dev.tusk.store.s3.S3TestSupport.draft;
import static dev.tusk.store.s3.S3TestSupport.keys;
import static dev.tusk.store.s3.S3TestSupport.multipartUploads;
import static dev.tusk.store.s3.S3TestSupport.randomBytes;
import static dev.tusk.store.s3.S3TestSupport.read;
import static dev.tusk.store.s3.S3TestSupport.tailMetadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.Part;

/** Tails, resumption across sessions and store instances, and recovery after crashes. */
class S3UploadStoreResumeTest extends S3StoreTestBase {

  @Test
  void commit_below5MiB_writesTail_thatTheNextSessionFoldsIntoAPart() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore store = open(config);
    byte[] data = randomBytes(8 * MIB + 100, 1);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));

    info = append(store, info, data, 0, 3 * MIB);
    assertThat(info.offset()).isEqualTo(3 * MIB);
    assertThat(tailMetadata(config, info.id())).containsEntry("tusk-parts", "0");
    assertThat(parts(config, info)).isEmpty();

    info = append(store, info, data, 3 * MIB, 6 * MIB);
    assertThat(tailMetadata(config, info.id()))
        .containsEntry("tusk-parts", "1")
        .containsEntry("tusk-base", Integer.toString(5 * MIB));
    assertThat(parts(config, info)).extracting(Part::size).containsExactly((long) 5 * MIB);
    assertThat(tailSize(config, info)).isEqualTo(MIB);

    UploadInfo done = append(store, info, data, 6 * MIB, data.length);
    assertThat(done.isComplete()).isTrue();
    assertThat(keys(config.keyPrefix()))
        .containsExactly(config.keyPrefix() + info.id(), config.keyPrefix() + info.id() + ".info");
    assertThat(multipartUploads(config.keyPrefix())).isEmpty();
    assertThat(read(store, done, 0, data.length)).isEqualTo(data);
  }

  @Test
  void sevenOneMiBSessions_thenCompletion_areByteExact() throws Exception {
    S3UploadStore store = open(config());
    byte[] data = randomBytes(7 * MIB + 1, 2);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    for (int i = 0; i < 7; i++) {
      if (i % 2 == 1) {
        store.dropCache();
      }
      UploadInfo current = store.find(info.id()).orElseThrow();
      assertThat(current.offset()).isEqualTo((long) i * MIB);
      append(store, current, data, i * MIB, (i + 1) * MIB);
    }
    UploadInfo last = store.find(info.id()).orElseThrow();
    assertThat(append(store, last, data, 7 * MIB, data.length).isComplete()).isTrue();
    store.dropCache();
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(data.length);
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
  }

  @Test
  void crash_newStoreInstance_resumesAtCommittedOffset_withBytesIntact() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore first = open(config);
    byte[] data = randomBytes(16 * MIB, 3);
    UploadInfo info = first.create(draft(OptionalLong.of(data.length)));
    info = append(first, info, data, 0, 7 * MIB);
    AppendSession abandoned = first.openAppend(info, false);
    abandoned.write(
        ByteBuffer.wrap(randomBytes(7 * MIB, 99))); // never committed: lost with the process
    first.close(); // waits for the part uploads the dead session started
    assertThat(Files.list(config.tempDir()).count()).isPositive();

    S3UploadStore second = open(config);
    assertThat(Files.list(config.tempDir()).count()).isZero();
    UploadInfo found = second.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(7 * MIB);
    UploadInfo done = append(second, found, data, 7 * MIB, data.length);
    assertThat(done.isComplete()).isTrue();
    assertThat(read(second, done, 0, data.length)).isEqualTo(data);
  }

  @Test
  void crash_orphanPartsBeyondTheCommit_areLeftOutOfTheCompletion() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore first = open(config);
    byte[] data = randomBytes(9 * MIB, 4);
    UploadInfo info = first.create(draft(OptionalLong.empty()));
    info = append(first, info, data, 0, 7 * MIB);
    AppendSession abandoned = first.openAppend(info, false);
    abandoned.write(ByteBuffer.wrap(randomBytes(15 * MIB, 98))); // uploads parts 2 and 3
    first.close();

    S3UploadStore second = open(config);
    UploadInfo found = second.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(7 * MIB);
    assertThat(parts(config, found)).hasSizeGreaterThanOrEqualTo(3);
    UploadInfo declared = second.declareLength(found, data.length);
    UploadInfo done = append(second, declared, data, 7 * MIB, data.length);
    assertThat(done.isComplete()).isTrue();
    assertThat(read(second, done, 0, data.length)).isEqualTo(data);
  }

  @Test
  void crash_afterLastPartBeforeComplete_isFinishedByFind() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore store = open(config);
    byte[] data = randomBytes(6 * MIB, 5);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    info = append(store, info, data, 0, 6 * MIB - 1);
    // What a session does before CompleteMultipartUpload, done by hand, then "crash".
    var client = S3ProxyFixture.shared().client();
    String key = config.keyPrefix() + info.id();
    String uploadId = info.storage().get(S3Layout.UPLOAD_ID);
    client.uploadPart(
        r -> r.bucket(S3ProxyFixture.BUCKET).key(key).uploadId(uploadId).partNumber(2),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(
            Arrays.copyOfRange(data, 5 * MIB, data.length)));
    TailRecord all = new TailRecord(2, data.length, 0, S3TestSupport.NOW);
    client.putObject(
        r -> r.bucket(S3ProxyFixture.BUCKET).key(key + ".part").metadata(all.metadata()),
        software.amazon.awssdk.core.sync.RequestBody.empty());
    store.dropCache();

    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.isComplete()).isTrue();
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
    assertThat(keys(key + ".part")).isEmpty();
  }

  @Test
  void openRead_incompleteUpload_readsTheTailOnly() throws Exception {
    S3UploadStore store = open(config());
    byte[] data = randomBytes(7 * MIB, 6);
    UploadInfo info = store.create(draft(OptionalLong.of(10 * MIB)));
    UploadInfo committed = append(store, info, data, 0, data.length);
    assertThat(read(store, committed, 5 * MIB + 10, 100))
        .isEqualTo(Arrays.copyOfRange(data, 5 * MIB + 10, 5 * MIB + 110));
    assertThatThrownBy(() -> read(store, committed, 0, 10)).isInstanceOf(IOException.class);
  }

  @Test
  void openAppend_offsetBehindStore_failsWithMismatch() throws Exception {
    S3UploadStore store = open(config());
    UploadInfo info = store.create(draft(OptionalLong.of(100)));
    append(store, info, randomBytes(10, 7), 0, 10);
    assertThatThrownBy(() -> store.openAppend(info, false))
        .isInstanceOf(dev.tusk.core.TusException.class)
        .hasMessageContaining("stored offset is 10");
  }

  private static List<Part> parts(S3StoreConfig config, UploadInfo info) {
    return S3ProxyFixture.shared()
        .client()
        .listParts(
            r ->
                r.bucket(S3ProxyFixture.BUCKET)
                    .key(config.keyPrefix() + info.id())
                    .uploadId(info.storage().get(S3Layout.UPLOAD_ID)))
        .parts();
  }

  private static long tailSize(S3StoreConfig config, UploadInfo info) {
    return S3ProxyFixture.shared()
        .client()
        .headObject(
            r -> r.bucket(S3ProxyFixture.BUCKET).key(config.keyPrefix() + info.id() + ".part"))
        .contentLength();
  }
}
