package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3TestSupport.MIB;
import static dev.tusk.store.s3.S3TestSupport.draft;
import static dev.tusk.store.s3.S3TestSupport.randomBytes;
import static dev.tusk.store.s3.S3TestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Parts uploaded while their bytes arrive: a session told the request's length starts each part
 * whose size is then known before its bytes are there, and keeps every byte when they stop coming.
 */
class S3StreamedPartTest extends S3StoreTestBase {
  private static final int CHUNK = 64 * 1024;

  /** Bytes the test has handed to the session so far. */
  private final AtomicLong written = new AtomicLong();

  /** For each part number, {@link #written} when its UploadPart request started. */
  private final Map<Integer, Long> partStarts = new ConcurrentHashMap<>();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  @Test
  void announcedBody_eachPartStartsUploadingWithItsFirstBytes() throws Exception {
    S3StoreConfig config = config(); // 5 MiB parts
    S3UploadStore store = spiedStore(config);
    byte[] data = randomBytes(12 * MIB, 21);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));

    UploadInfo done;
    try (AppendSession session = store.openAppend(info, false)) {
      session.expect(data.length);
      write(session, data, 0, CHUNK);
      awaitPartStarted(1);
      write(session, data, CHUNK, 5 * MIB + CHUNK);
      awaitPartStarted(2);
      write(session, data, 5 * MIB + CHUNK, data.length);
      done = session.commit();
    }

    assertThat(done.isComplete()).isTrue();
    assertThat(read(store, done, 0, data.length)).isEqualTo(data);
    // a part's request starts while its first chunk is written (before or after it is counted)
    assertThat(partStarts.get(1)).isBetween(0L, (long) CHUNK);
    assertThat(partStarts.get(2)).isBetween(5L * MIB, 5L * MIB + CHUNK);
    // the 2 MiB rest is too short to be a part before the upload completes: it goes up at the end
    assertThat(partStarts.get(3)).isEqualTo(12L * MIB);
  }

  @Test
  void eightMibPatches_withLargerParts_eachPatchIsOnePartUploadedWhileItArrives() throws Exception {
    S3StoreConfig config = config().toBuilder().partSize(16 * MIB).maxUploadSize(1024L * MIB).maxPartsInFlight(2).build();
    S3UploadStore store = spiedStore(config);
    byte[] data = randomBytes(24 * MIB, 22);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));

    for (int patch = 0; patch < 3; patch++) {
      int from = patch * 8 * MIB;
      try (AppendSession session = store.openAppend(info, false)) {
        session.expect(8 * MIB);
        write(session, data, from, from + CHUNK);
        awaitPartStarted(patch + 1);
        write(session, data, from + CHUNK, from + 8 * MIB);
        info = session.commit();
      }
      assertThat(info.offset()).isEqualTo(from + 8L * MIB);
    }

    assertThat(info.isComplete()).isTrue();
    assertThat(read(store, info, 0, data.length)).isEqualTo(data);
    assertThat(partStarts).containsOnlyKeys(1, 2, 3);
    for (int part = 1; part <= 3; part++) {
      long first = (part - 1) * 8L * MIB; // started while the PATCH's first chunk was written
      assertThat(partStarts.get(part)).isBetween(first, first + CHUNK);
    }
  }

  @Test
  void bodyEndsEarly_theStreamedPartIsAbandonedAndEveryByteThatCameIsKept() throws Exception {
    S3StoreConfig config = config().toBuilder().partSize(16 * MIB).maxUploadSize(1024L * MIB).maxPartsInFlight(2).build();
    S3UploadStore store = spiedStore(config);
    byte[] data = randomBytes(24 * MIB, 23);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));

    try (AppendSession session = store.openAppend(info, false)) {
      session.expect(8 * MIB);
      write(session, data, 0, 6 * MIB); // the client goes away after 6 of 8 MiB
      info = session.commit();
    }
    assertThat(info.offset()).isEqualTo(6L * MIB);
    assertThat(store.tempSpace().reserved()).isZero();
    store.dropCache(); // as a restart would: the offset is what S3 holds
    info = store.find(info.id()).orElseThrow();
    assertThat(info.offset()).isEqualTo(6L * MIB);

    info = appendAnnounced(store, info, data, 6 * MIB, data.length);

    assertThat(info.isComplete()).isTrue();
    assertThat(read(store, info, 0, data.length)).isEqualTo(data);
    assertThat(store.tempSpace().reserved()).isZero();
  }

  @Test
  void clientStalls_theStreamIsAbandonedAndTheBufferFillsAsUsual() throws Exception {
    S3StoreConfig config = config();
    S3Client client = S3ProxyFixture.shared().client();
    S3Multipart multipart = new S3Multipart(client, S3ProxyFixture.BUCKET, S3StoreConfig.DEFAULT_CALL_TIMEOUT);
    TempSpace temp = new TempSpace(this.temp.resolve("stall"), 64 * MIB);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    closeables.add(executor::shutdownNow);
    Duration stall = Duration.ofMillis(100);
    PartUploader uploader =
        new PartUploader(multipart, temp, executor, 2, Duration.ofSeconds(5), stall);
    String key = config.keyPrefix() + "stalled";
    String uploadId = multipart.create(key);
    byte[] data = randomBytes(8 * MIB, 24);

    List<PartRef> parts;
    try (PartWriter writer =
        uploader.open(new PartWriter.Target(key, uploadId, 1, 16 * MIB), false)) {
      writer.plan(data.length, (size, number) -> true);
      writer.write(ByteBuffer.wrap(data, 0, MIB));
      assertThat(writer.streaming()).isTrue();
      PartBuffer buffer = writer.current();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!buffer.abandoned() && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the follower gives up 100 ms after the last byte
      }
      assertThat(buffer.abandoned()).isTrue();

      writer.write(ByteBuffer.wrap(data, MIB, data.length - MIB));
      assertThat(writer.streaming()).isFalse();
      assertThat(writer.buffered()).isEqualTo(data.length);
      writer.cutPart();
      parts = writer.drain();
    }

    assertThat(parts).extracting(PartRef::number).containsExactly(1);
    assertThat(multipart.complete(key, uploadId, parts)).isTrue();
    byte[] stored =
        client
            .getObject(r -> r.bucket(S3ProxyFixture.BUCKET).key(key), ResponseTransformer.toBytes())
            .asByteArray();
    assertThat(stored).isEqualTo(data);
    assertThat(temp.reserved()).isZero();
  }

  /** Waits (at most 20 s) until the UploadPart request of part {@code number} has started. */
  private void awaitPartStarted(int number) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!partStarts.containsKey(number) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(partStarts).as("part %d started", number).containsKey(number);
  }

  /** One session told the length of {@code data[from, to)}, writing it in chunks, committed. */
  private UploadInfo appendAnnounced(
      S3UploadStore store, UploadInfo info, byte[] data, int from, int to) throws IOException {
    try (AppendSession session = store.openAppend(info, false)) {
      session.expect(to - from);
      write(session, data, from, to);
      return session.commit();
    }
  }

  private void write(AppendSession session, byte[] data, int from, int to) throws IOException {
    for (int i = from; i < to; i += CHUNK) {
      int n = Math.min(CHUNK, to - i);
      session.write(ByteBuffer.wrap(data, i, n));
      written.addAndGet(n);
    }
  }

  /** A store whose client notes {@link #written} when each UploadPart request starts. */
  private S3UploadStore spiedStore(S3StoreConfig config) throws IOException {
    ExecutionInterceptor spy =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartRequest part) {
              partStarts.putIfAbsent(part.partNumber(), written.get());
            }
          }
        };
    S3Client client =
        S3Clients.builder(config, 8)
            .overrideConfiguration(o -> o.addExecutionInterceptor(spy))
            .build();
    return open(new S3UploadStore(config, client, clock)); // the store closes the client
  }
}
