package dev.tusk.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code big}: one upload of {@link Settings#bigBytes()} in a single PATCH; {@code big8m}: the same
 * in PATCHes of {@link Settings#chunkBytes()}, one after the other on one keep-alive connection.
 * Measures MB/s from creation to the last response, server CPU s/GB and peak RSS. A warm-up upload
 * of {@link Settings#warmupBytes()} precedes the measured one, then {@link PageCache#recycle} hands
 * the server just-freed memory to write into.
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
      long warm = settings.warmupBytes();
      Tus.upload(c, target, warm, payload, chunked ? settings.chunkBytes() : warm);
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
