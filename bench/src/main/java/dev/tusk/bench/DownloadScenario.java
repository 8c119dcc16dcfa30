package dev.tusk.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code download}: uploads {@link Settings#downloadBytes()} (not measured), GETs it whole, then
 * {@link Settings#ranges()} random ranges of {@link Settings#rangeBytes()} over {@link
 * Settings#rangeConnections()} connections. Every byte received is compared with what was sent.
 * Measures MB/s and server CPU s/GB of the whole GET, and MB/s and p99 of the ranges. A server that
 * answers a Range request with 200 has no range support: that part stops at once and says so.
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

  private static void ranges(Target target, Settings settings, Payload payload, String path,
      long size, Result result) throws Exception {
    int total = settings.ranges();
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
      SplittableRandom random = new SplittableRandom(42 + i);
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
    Result ranged = new Result("ranges", target.name(), 0);
    double seconds = meter.stop(ranged, 0);
    Latencies all = new Latencies();
    for (Latencies l : latencies) {
      all.addAll(l);
    }
    if (unsupported.get()) {
      result.put("range_supported", false);
    } else {
      result.put("ranges", all.count());
      result.put("range_mb_per_s", all.count() * (double) rangeBytes / 1e6 / seconds);
      result.put("range_per_s", all.count() / seconds);
      result.put("range_p99_ms", all.percentileMs(99));
      result.put("range_server_cpu_s", ranged.fields().get("server_cpu_s"));
    }
    result.put("range_errors", errors.get());
    if (firstError.get() != null) {
      result.put("first_error", firstError.get());
    }
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
