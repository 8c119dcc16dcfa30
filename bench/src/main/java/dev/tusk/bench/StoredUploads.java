package dev.tusk.bench;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStore;
import dev.tusk.store.fs.FsUploadStore;
import dev.tusk.store.s3.ChecksumMode;
import dev.tusk.store.s3.S3Credentials;
import dev.tusk.store.s3.S3StoreConfig;
import dev.tusk.store.s3.S3UploadStore;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the {@code stored} scenario's uploads through tusk's own store classes, in this process
 * and while no server runs on the same data: the same files (or objects) the server writes when a
 * client creates an upload, but without one HTTP request per upload, so a million of them take
 * minutes instead of hours. Each is what a POST with {@code Upload-Length: }{@value #LENGTH} and a
 * {@code filename} in its metadata leaves behind: created, no byte received yet (an upload a client
 * abandoned, the kind expiry exists for). Its expiry is given: in the future for live uploads, in
 * the past for the ones a sweep must delete (no waiting for time to pass).
 */
final class StoredUploads implements Closeable {
  /** The declared length of every stored upload: one PATCH of this size completes it. */
  static final int LENGTH = 1024;
  /** Writers on the filesystem, where each write is a few system calls on these 2 cores. */
  private static final int FS_THREADS = 4;
  /**
   * Writers on S3, where each upload is three requests (multipart upload, index marker, info)
   * that mostly wait for the server: enough in flight to keep it busy.
   */
  private static final int S3_THREADS = 32;

  private final UploadStore store;
  private final Closeable closer;
  private final int threads;
  private final Clock clock = Clock.systemUTC();

  private StoredUploads(UploadStore store, Closeable closer, int threads) {
    this.store = store;
    this.closer = closer;
    this.threads = threads;
  }

  /** The filesystem store in {@code dir}, as {@code tusk serve --upload-dir dir} opens it. */
  static StoredUploads fs(Path dir) throws IOException {
    return new StoredUploads(new FsUploadStore(dir, Clock.systemUTC()), () -> {}, FS_THREADS);
  }

  /**
   * The S3 store on {@code endpoint} (bucket {@link S3Endpoint#BUCKET}, path style, the endpoint's
   * static key), as {@link S3Scenario#tuskS3Flags} configures tusk; {@code tempDir} holds nothing
   * here (no bytes are written) but the store wants one.
   */
  static StoredUploads s3(URI endpoint, Path tempDir) throws IOException {
    S3StoreConfig config = S3StoreConfig.builder(S3Endpoint.BUCKET)
        .endpoint(endpoint)
        .pathStyle(true)
        .credentials(new S3Credentials(S3Endpoint.ACCESS_KEY, S3Endpoint.SECRET_KEY))
        .checksumMode(ChecksumMode.WHEN_SUPPORTED)
        .partSize(S3Scenario.PART_BYTES)
        .maxUploadSize(4096 * Settings.MIB)
        .maxPartsInFlight(S3Scenario.IN_FLIGHT)
        .tempDir(tempDir)
        .tempBudget(1024 * Settings.MIB)
        .build();
    S3UploadStore store = S3UploadStore.create(config, Clock.systemUTC());
    return new StoredUploads(store, store, S3_THREADS);
  }

  /**
   * Creates {@code count} uploads expiring {@code expiresIn} from now (negative: already expired,
   * created a day before they expired) on {@value #FS_THREADS} threads on the filesystem and
   * {@value #S3_THREADS} on S3; returns the ids of the first
   * {@code keep} of them.
   */
  List<UploadId> create(int count, Duration expiresIn, int keep) throws Exception {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(expiresIn);
    return create(count, expiresIn.isNegative() ? expiresAt.minus(Duration.ofDays(1)) : now,
        expiresAt, keep);
  }

  /** As {@link #create(int, Duration, int)}, created now and expiring at {@code expiresAt}. */
  List<UploadId> create(int count, Instant expiresAt, int keep) throws Exception {
    return create(count, clock.instant(), expiresAt, keep);
  }

  private List<UploadId> create(int count, Instant createdAt, Instant expiresAt, int keep)
      throws Exception {
    List<UploadId> kept = new ArrayList<>();
    AtomicLong next = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<UploadId>>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          List<UploadId> mine = new ArrayList<>();
          for (long k = next.getAndIncrement(); k < count; k = next.getAndIncrement()) {
            UploadId id = UploadId.random();
            store.create(UploadInfo.draft(id, OptionalLong.of(LENGTH),
                Map.of("filename", "stored-" + k + ".bin"), createdAt, expiresAt));
            if (k < keep) {
              mine.add(id);
            }
          }
          return mine;
        }));
      }
      for (Future<List<UploadId>> w : workers) {
        kept.addAll(w.get());
      }
    } finally {
      pool.shutdownNow();
    }
    return kept;
  }

  @Override
  public void close() throws IOException {
    closer.close();
  }
}
