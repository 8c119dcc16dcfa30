package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3TestSupport.MIB;
import static dev.tusk.store.s3.S3TestSupport.draft;
import static dev.tusk.store.s3.S3TestSupport.randomBytes;
import static dev.tusk.store.s3.S3TestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The temp budget holds whatever the writer does: write() blocks instead of buffering more. */
class S3TempBudgetTest extends S3StoreTestBase {

  /**
   * With one part in flight a session holds at most two buffers (the one uploading and the one
   * filling); a smaller budget makes write() wait for the upload instead.
   */
  @ParameterizedTest(name = "budget of {0} part(s)")
  @ValueSource(ints = {1, 2, 12})
  void write_threePartsWithOneInFlight_neverHoldsMoreThanTheBudget(int budgetParts)
      throws Exception {
    long budget = budgetParts * S3ProxyFixture.PART_SIZE;
    long expectedPeak = Math.min(budgetParts, 2) * S3ProxyFixture.PART_SIZE;
    S3StoreConfig config =
        config().toBuilder()
            .partSize(S3ProxyFixture.PART_SIZE)
            .maxUploadSize(1024L * MIB)
            .maxPartsInFlight(1)
            .tempBudget(budget)
            .build();
    S3UploadStore store = open(config);
    byte[] data = randomBytes(15 * MIB + 3, 8);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));

    DiskSampler sampler = new DiskSampler(config.tempDir());
    sampler.start();
    try (AppendSession session = store.openAppend(info, false)) {
      for (int i = 0; i < data.length; i += 256 * 1024) {
        session.write(ByteBuffer.wrap(data, i, Math.min(256 * 1024, data.length - i)));
      }
      session.commit();
    } finally {
      sampler.stop();
    }

    assertThat(sampler.maxBytes()).isPositive().isLessThanOrEqualTo(budget);
    assertThat(store.tempSpace().peak()).isEqualTo(expectedPeak);
    assertThat(store.tempSpace().reserved()).isZero();
    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);
  }

  /** Sums the sizes of the files in a directory in a loop on its own thread. */
  private static final class DiskSampler {
    private final Path dir;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;

    DiskSampler(Path dir) {
      this.dir = dir;
      this.thread = new Thread(this::run, "disk-sampler");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    long maxBytes() {
      return max.get();
    }

    long samples() {
      return samples.get();
    }

    private void run() {
      while (running.get()) {
        max.accumulateAndGet(total(), Math::max);
        samples.incrementAndGet();
        Thread.onSpinWait();
      }
    }

    private long total() {
      try (Stream<Path> files = Files.list(dir)) {
        return files.mapToLong(DiskSampler::size).sum();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static long size(Path file) {
      try {
        return Files.size(file);
      } catch (NoSuchFileException e) {
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
