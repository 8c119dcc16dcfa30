package dev.tusk.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code small}: {@link Settings#smallUploads()} uploads of {@link Settings#smallBytes()} by
 * {@link Settings#smallConnections()} keep-alive connections, each upload in one POST when the server
 * offers creation-with-upload, else POST + PATCH. Measures uploads/s and per-upload latency (p50,
 * p99). The warm-up's rate is reported as {@code cold_uploads_per_s} (the server was started just
 * before it, so its JIT compiler is still at work). {@code smalldirty} is the same run in an upload directory where as many files were just
 * created and deleted (prepared by {@link Compare}), to show ext4's slower inode allocation there.
 */
final class SmallScenario implements Scenario {
  private final String name;

  SmallScenario(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String summary() {
    return name.equals("small")
        ? "16 KiB uploads by 64 connections on a fresh directory — uploads/s, p50/p99 latency"
        : "as small, in a directory where 20,000 files were just created and deleted (ext4 effect)";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result)
      throws Exception {
    boolean withUpload;
    try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
      withUpload = Tus.extensions(c, target).contains("creation-with-upload");
    }
    result.put("mode", withUpload ? "creation-with-upload" : "creation+patch");
    Batch warmup = new Batch(target, settings, payload, withUpload, settings.smallWarmup());
    long warmStart = System.nanoTime();
    warmup.run(1_000_000_000L);
    result.put("cold_uploads_per_s", settings.smallWarmup() / ((System.nanoTime() - warmStart) / 1e9));
    Batch batch = new Batch(target, settings, payload, withUpload, settings.smallUploads());
    Meter meter = Meter.start(target);
    batch.run(0);
    double seconds = meter.stop(result, 0);
    Latencies all = new Latencies();
    for (Latencies l : batch.latencies) {
      all.addAll(l);
    }
    result.put("uploads", all.count());
    result.put("uploads_per_s", all.count() / seconds);
    result.put("p50_ms", all.percentileMs(50));
    result.put("p99_ms", all.percentileMs(99));
    result.put("max_ms", all.percentileMs(100));
    result.put("errors", batch.errors.get());
    if (batch.firstError.get() != null) {
      result.put("first_error", batch.firstError.get());
    }
  }

  /** One batch of uploads shared by the connections through a counter. */
  private static final class Batch {
    final Target target;
    final Settings settings;
    final Payload payload;
    final boolean withUpload;
    final int total;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicReference<String> firstError = new AtomicReference<>();
    final Latencies[] latencies;

    Batch(Target target, Settings settings, Payload payload, boolean withUpload, int total) {
      this.target = target;
      this.settings = settings;
      this.payload = payload;
      this.withUpload = withUpload;
      this.total = total;
      this.latencies = new Latencies[settings.smallConnections()];
    }

    void run(long payloadBase) throws Exception {
      Workers.run("small", settings.smallConnections(), Duration.ofMinutes(10),
          i -> connection(i, payloadBase));
    }

    private void connection(int index, long payloadBase) throws IOException {
      Latencies mine = new Latencies();
      latencies[index] = mine;
      HttpConnection c = null;
      try {
        for (int k = next.getAndIncrement(); k < total; k = next.getAndIncrement()) {
          if (c == null || !c.isOpen()) {
            c = HttpConnection.open(target.address(), Duration.ofSeconds(10));
          }
          long start = System.nanoTime();
          try {
            one(c, payloadBase + (long) k * settings.smallBytes());
            mine.add(System.nanoTime() - start);
          } catch (IOException e) {
            c.close();
            c = null;
            firstError.compareAndSet(null, e.toString());
            if (errors.incrementAndGet() > Math.max(10, total / 10)) {
              throw new IOException("too many errors; first: " + firstError.get(), e);
            }
          }
        }
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }

    private void one(HttpConnection c, long payloadOffset) throws IOException {
      int size = settings.smallBytes();
      if (withUpload) {
        Tus.Created created = Tus.create(c, target, size, payload, payloadOffset, size);
        if (created.offset() < size) {
          Tus.patch(c, created.path(), created.offset(), payload,
              payloadOffset + created.offset(), size - created.offset());
        }
      } else {
        String path = Tus.create(c, target, size, payload, 0, 0).path();
        Tus.patch(c, path, 0, payload, payloadOffset, size);
      }
    }
  }
}
