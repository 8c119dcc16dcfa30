package dev.tusk.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code head}: {@link Settings#headConnections()} keep-alive connections send HEAD for the same
 * upload as fast as answers come; {@code headmulti}: each connection its own upload. After a warm-up
 * of {@link Settings#headWarmup()}, requests started within {@link Settings#headDuration()} count.
 * Measures req/s, p50/p99, errors (any status but 200/204, or an I/O error) and peak RSS; also the
 * req/s of the warm-up's first {@link Settings#headDuration()} ({@code cold_req_per_s}: the server
 * was started just before, so this is the rate while its JIT compiler is still at work).
 */
final class HeadScenario implements Scenario {
  private static final int UPLOAD_LENGTH = 64 * 1024;
  private static final int UPLOADED = 32 * 1024;

  private final String name;
  private final boolean multi;

  HeadScenario(String name, boolean multi) {
    this.name = name;
    this.multi = multi;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String summary() {
    return multi
        ? "64 connections, each HEADs its own upload in a loop — req/s, p99, errors, peak RSS"
        : "64 connections HEAD one upload in a loop — req/s, p99, errors, peak RSS";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result)
      throws Exception {
    int connections = settings.headConnections();
    String[] paths = new String[multi ? connections : 1];
    try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
      for (int i = 0; i < paths.length; i++) {
        paths[i] = Tus.create(c, target, UPLOAD_LENGTH, payload, 0, 0).path();
        Tus.patch(c, paths[i], 0, payload, UPLOADED);
      }
    }
    long start = System.nanoTime();
    Duration cold = settings.headDuration().compareTo(settings.headWarmup()) < 0
        ? settings.headDuration() : settings.headWarmup();
    long coldEnd = start + cold.toNanos();
    long warmEnd = start + settings.headWarmup().toNanos();
    long end = warmEnd + settings.headDuration().toNanos();
    AtomicReference<Meter> meter = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      sleepUntil(warmEnd);
      meter.set(Meter.start(target));
    }, "head-meter");
    starter.start();
    Latencies[] latencies = new Latencies[connections];
    AtomicInteger errors = new AtomicInteger();
    LongAdder coldRequests = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();
    Workers.run(name, connections, settings.headWarmup().plus(settings.headDuration())
        .plusSeconds(60), i -> {
          Latencies mine = new Latencies();
          latencies[i] = mine;
          String path = paths[multi ? i : 0];
          loop(target, path, coldEnd, warmEnd, end, mine, coldRequests, errors, firstError);
        });
    starter.join();
    meter.get().stop(result, 0);
    double seconds = settings.headDuration().toNanos() / 1e9;
    Latencies all = new Latencies();
    for (Latencies l : latencies) {
      all.addAll(l);
    }
    result.put("connections", connections);
    result.put("requests", all.count());
    result.put("req_per_s", all.count() / seconds);
    result.put("cold_req_per_s", coldRequests.sum() / (cold.toNanos() / 1e9));
    result.put("p50_ms", all.percentileMs(50));
    result.put("p99_ms", all.percentileMs(99));
    result.put("max_ms", all.percentileMs(100));
    result.put("errors", errors.get());
    if (firstError.get() != null) {
      result.put("first_error", firstError.get());
    }
  }

  private static void loop(Target target, String path, long coldEnd, long warmEnd, long end,
      Latencies mine, LongAdder coldRequests, AtomicInteger errors,
      AtomicReference<String> firstError) throws IOException {
    HttpConnection c = null;
    byte[] request = null;
    Duration timeout = Duration.ofSeconds(5);
    int myErrors = 0;
    try {
      for (long t0 = System.nanoTime(); t0 - end < 0; t0 = System.nanoTime()) {
        boolean measured = t0 - warmEnd >= 0;
        try {
          if (c == null) {
            c = HttpConnection.open(target.address(), timeout, 16 * 1024);
            request = Tus.headRequest(c, path);
          }
          c.deadline(timeout);
          c.send(request, null, 0, 0);
          HttpResponse r = c.readHead(true);
          c.readBody(r, BodySink.DISCARD);
          if (!c.isOpen()) {
            c = null;
          }
          if (r.status != 200 && r.status != 204) {
            throw new IOException("HEAD " + path + " answered " + r);
          }
          if (measured) {
            mine.add(System.nanoTime() - t0);
          } else if (t0 - coldEnd < 0) {
            coldRequests.increment();
          }
        } catch (IOException e) {
          if (c != null) {
            c.close();
            c = null;
          }
          if (measured) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
          }
          if (++myErrors > 10_000) {
            return;
          }
        }
      }
    } finally {
      if (c != null) {
        c.close();
      }
    }
  }

  static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        Thread.sleep(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
