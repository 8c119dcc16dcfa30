package dev.tusk.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code download}: uploads {@link Settings#downloadBytes()} (not measured), GETs it whole, then
 * {@link Settings#ranges()} random ranges of {@link Settings#rangeBytes()} over {@link
 * Settings#rangeConnections()} connections, after {@link Settings#rangeWarmup()} warm-up ranges
 * (the first {@code ranges} of them give the cold rate). Every byte received is compared with what
 * was sent. Measures MB/s and server CPU s/GB of the whole GET, and MB/s and p99 of the ranges. A
 * server that answers a Range request with 200 has no range support: that part stops at once and
 * says so.
 */
final class DownloadScenario implements Scenario {

  @Override
  public String name() {
    return "download";
  }

  @Override
  public String summary() {
    return "GET of the whole upload, then random 64 KiB ranges on 4 connections — MB/s";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result)
      throws Exception {
    long size = settings.downloadBytes();
    int probeBytes = 4 * settings.rangeBytes();
    String path;
    String probe;
    try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
      path = Tus.upload(c, target, size, payload, size);
      probe = Tus.upload(c, target, probeBytes, payload, probeBytes);
    }
    boolean rangeSupport;
    try (HttpConnection warm = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
      rangeSupport = probeRanges(warm, probe, payload, settings.rangeBytes(), probeBytes);
    }
    try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
      Meter meter = Meter.start(target);
      get(c, path, payload, 0, size, false);
      double seconds = meter.stop(result, size);
      result.put("bytes", size);
      result.put("get_mb_per_s", size / 1e6 / seconds);
    }
    result.put("range_supported", rangeSupport);
    if (rangeSupport) {
      ranges(target, settings, payload, path, size, result);
    }
  }

  /**
   * Asks a small upload for its first range and reads whatever comes back in full (a client that
   * drops a response half-read is a different test: it crashed @tus/server 2.4.5 on Node 20).
   * Returns whether the server answered 206.
   */
  private static boolean probeRanges(HttpConnection c, String probe, Payload payload,
      int rangeBytes, int probeBytes) throws IOException {
    c.deadline(Tus.timeoutFor(probeBytes));
    c.send(c.requestHead("GET", probe, "Range: bytes=0-" + (rangeBytes - 1)), null, 0, 0);
    HttpResponse r = c.readHead(false);
    Tus.expect(r, "GET " + probe, 200, 206);
    Verifier verifier = new Verifier(payload, 0);
    long n = c.readBody(r, verifier);
    long expected = r.status == 206 ? rangeBytes : probeBytes;
    if (n != expected || !verifier.ok) {
      throw new IOException("GET " + probe + " with Range returned " + r.status + " and " + n
          + " bytes" + (verifier.ok ? "" : " that differ from what was uploaded"));
    }
    return r.status == 206;
  }

  /** GET of [from, from+length): whole (ranged=false, from=0) or as a Range request. */
  private static void get(HttpConnection c, String path, Payload payload, long from, long length,
      boolean ranged) throws IOException {
    c.deadline(Tus.timeoutFor(length));
    byte[] head = ranged
        ? c.requestHead("GET", path, "Range: bytes=" + from + "-" + (from + length - 1))
        : c.requestHead("GET", path);
    c.send(head, null, 0, 0);
    HttpResponse r = c.readHead(false);
    if (ranged && r.status == 200) {
      c.close();
      throw new RangeUnsupported();
    }
    Tus.expect(r, "GET " + path, ranged ? 206 : 200);
    Verifier verifier = new Verifier(payload, from);
    long n = c.readBody(r, verifier);
    if (n != length || !verifier.ok) {
      throw new IOException("GET " + path + " [" + from + "+" + length + "] returned "
          + n + " bytes" + (verifier.ok ? "" : " that differ from what was uploaded"));
    }
  }

  /**
   * The warm-up's ranges (its first {@link Settings#ranges()} measured as the cold rate), then the
   * measured ones. A server without range support stops at its first 200.
   */
  private static void ranges(Target target, Settings settings, Payload payload, String path,
      long size, Result result) throws Exception {
    int warmup = settings.rangeWarmup();
    int measured = settings.ranges();
    RangeRun cold = rangeRun(target, settings, payload, path, size, Math.min(warmup, measured), 1);
    RangeRun rest = cold;
    if (!cold.unsupported && warmup > measured) {
      rest = rangeRun(target, settings, payload, path, size, warmup - measured, 2);
    }
    RangeRun run = rest.unsupported
        ? rest
        : rangeRun(target, settings, payload, path, size, measured, 3);
    if (run.unsupported) {
      result.put("range_supported", false);
    } else {
      int rangeBytes = settings.rangeBytes();
      result.put("ranges", run.latencies.count());
      result.put("range_mb_per_s", run.latencies.count() * (double) rangeBytes / 1e6 / run.seconds);
      result.put("range_per_s", run.latencies.count() / run.seconds);
      result.put("range_p99_ms", run.latencies.percentileMs(99));
      result.put("range_server_cpu_s", run.serverCpu);
      result.put("range_warmup", warmup);
      result.put("cold_range_mb_per_s",
          cold.latencies.count() * (double) rangeBytes / 1e6 / cold.seconds);
    }
    int errors = 0;
    String first = null;
    List<RangeRun> batches = new ArrayList<>(List.of(cold)); // each batch that ran, once
    if (rest != cold) {
      batches.add(rest);
    }
    if (run != rest) {
      batches.add(run);
    }
    for (RangeRun batch : batches) {
      errors += batch.errors;
      first = first != null ? first : batch.firstError;
    }
    result.put("range_errors", errors);
    if (first != null) {
      result.put("first_error", first);
    }
  }

  /** What one batch of ranges measured. */
  private record RangeRun(Latencies latencies, double seconds, Object serverCpu, int errors,
      String firstError, boolean unsupported) {}

  /**
   * {@code total} random ranges over {@link Settings#rangeConnections()} fresh keep-alive
   * connections; {@code phase} seeds the offsets, so no two phases ask for the same ones.
   */
  private static RangeRun rangeRun(Target target, Settings settings, Payload payload,
      String path, long size, int total, int phase) throws Exception {
    int rangeBytes = settings.rangeBytes();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicBoolean unsupported = new AtomicBoolean();
    AtomicReference<String> firstError = new AtomicReference<>();
    Latencies[] latencies = new Latencies[settings.rangeConnections()];
    Meter meter = Meter.start(target);
    Workers.run("ranges", settings.rangeConnections(), Duration.ofMinutes(10), i -> {
      Latencies mine = new Latencies();
      latencies[i] = mine;
      SplittableRandom random = new SplittableRandom(1000L * phase + 42 + i);
      HttpConnection c = null;
      try {
        while (next.getAndIncrement() < total && !unsupported.get()) {
          long from = random.nextLong(size - rangeBytes + 1);
          long t0 = System.nanoTime();
          try {
            if (c == null) {
              c = HttpConnection.open(target.address(), Duration.ofSeconds(10));
            }
            get(c, path, payload, from, rangeBytes, true);
            mine.add(System.nanoTime() - t0);
          } catch (RangeUnsupported e) {
            unsupported.set(true);
            c = null;
          } catch (IOException e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
            if (c != null) {
              c.close();
              c = null;
            }
          }
        }
      } finally {
        if (c != null) {
          c.close();
        }
      }
    });
    Result batch = new Result("ranges", target.name(), 0);
    double seconds = meter.stop(batch, 0);
    Latencies all = new Latencies();
    for (Latencies l : latencies) {
      all.addAll(l);
    }
    return new RangeRun(all, seconds, batch.fields().get("server_cpu_s"), errors.get(),
        firstError.get(), unsupported.get());
  }

  /** Compares every received byte with the payload stream. */
  private static final class Verifier implements BodySink {
    private final Payload payload;
    private long offset;
    boolean ok = true;

    Verifier(Payload payload, long offset) {
      this.payload = payload;
      this.offset = offset;
    }

    @Override
    public void accept(java.nio.ByteBuffer chunk) {
      if (ok && !payload.matches(chunk, offset)) {
        ok = false;
      }
      offset += chunk.remaining();
    }
  }

  /** The server answered a Range request with the whole upload. */
  private static final class RangeUnsupported extends IOException {
    RangeUnsupported() {
      super("Range not supported (200 instead of 206)");
    }
  }
}
