package dev.tusk.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code big}: one upload of {@link Settings#bigBytes()} in a single PATCH; {@code big8m}: the same
 * in PATCHes of {@link Settings#chunkBytes()}, one after the other on one keep-alive connection.
 * Measures MB/s from creation to the last response, server CPU s/GB and peak RSS. Warm-up uploads
 * of {@link Settings#bigWarmupBytes()} in all, sent the same way, precede the measured one: uploads
 * of at most {@link Settings#bigWarmupUploadBytes()}, each deleted once sent (where the server offers
 * termination) so that their dirty page cache does not pile up into write-back during the measured
 * upload. The first warm-up upload's rate is reported as {@code cold_mb_per_s} (the server was
 * started just before it, so its JIT compiler is still at work). Then {@link PageCache#recycle}
 * hands the server just-freed memory to write into.
 */
final class BigScenario implements Scenario {
  private final String name;
  private final boolean chunked;

  BigScenario(String name, boolean chunked) {
    this.name = name;
    this.chunked = chunked;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String summary() {
    return chunked
        ? "one upload sent in 8 MiB PATCHes on one connection — MB/s, server CPU s/GB, peak RSS"
        : "one upload in a single PATCH — MB/s, server CPU s/GB, peak RSS";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result)
      throws Exception {
    long size = settings.bigBytes();
    try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
      boolean terminate = Tus.extensions(c, target).contains("termination");
      long warmed = 0;
      while (warmed < settings.bigWarmupBytes()) {
        long warm = Math.min(settings.bigWarmupUploadBytes(), settings.bigWarmupBytes() - warmed);
        long t0 = System.nanoTime();
        String path = Tus.upload(c, target, warm, payload, chunked ? settings.chunkBytes() : warm);
        if (warmed == 0) {
          result.put("cold_mb_per_s", warm / 1e6 / ((System.nanoTime() - t0) / 1e9));
        }
        if (terminate) {
          Tus.delete(c, path);
        }
        warmed += warm;
      }
      PageCache.recycle(Path.of(System.getProperty("java.io.tmpdir")), size);
      Meter meter = Meter.start(target);
      long chunk = chunked ? settings.chunkBytes() : size;
      Tus.upload(c, target, size, payload, chunk);
      double seconds = meter.stop(result, size);
      result.put("bytes", size);
      result.put("patches", (size + chunk - 1) / chunk);
      result.put("mb_per_s", size / 1e6 / seconds);
    }
  }
}
