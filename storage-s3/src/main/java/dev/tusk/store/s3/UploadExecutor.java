package dev.tusk.store.s3;

import dev.tusk.core.NamedThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's pool of part-upload threads: daemon threads named {@code tusk-s3-upload-N}, created
 * on demand and retired after a minute idle. Per-upload limits live in {@link PartWriter}.
 */
final class UploadExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UploadExecutor.class);
  private static final long CLOSE_WAIT_SECONDS = 60;

  private final ThreadPoolExecutor pool;

  UploadExecutor(int threads) {
    pool =
        new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            NamedThreads.daemon("s3-upload"));
    pool.allowCoreThreadTimeOut(true);
  }

  ExecutorService service() {
    return pool;
  }

  /** Lets queued and running uploads finish, waiting up to a minute. Idempotent. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("event=s3_upload_threads_still_running after={}s", CLOSE_WAIT_SECONDS);
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
