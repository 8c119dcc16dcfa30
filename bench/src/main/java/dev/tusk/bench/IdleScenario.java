package dev.tusk.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code idle}: {@link Settings#idleUploads()} uploads are created, then one connection each starts
 * a PATCH that declares the whole upload, sends one byte and stalls. With all of them stalled the
 * scenario reads the server's RSS and times HEADs of another upload on fresh connections (connect
 * included): the server must stay small and keep answering within 50 ms. Also counts how many stalled
 * connections the server closed or answered meanwhile.
 */
final class IdleScenario implements Scenario {
  static final long UPLOAD_LENGTH = 1L << 20;
  private static final int PROBES = 5;
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  /** How long the scenario keeps opening stalled uploads; a server that accepts slower is cut off. */
  private static final Duration STALL_PHASE = Duration.ofSeconds(60);

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public String summary() {
    return "10,000 PATCHes that send one byte and stall — server RSS, fresh HEAD latency (< 50 ms?)";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result)
      throws Exception {
    int n = settings.idleUploads();
    String[] paths = create(target, payload, n);
    String probe;
    try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
      probe = Tus.create(c, target, 1024, payload, 0, 0).path();
      Tus.patch(c, probe, 0, payload, 512);
    }
    Optional<ProcStats> before = ProcStats.of(target.pid());
    Meter meter = Meter.start(target);
    HttpConnection[] stalled = new HttpConnection[n];
    try {
      int opened = stall(target, payload, paths, stalled, result);
      HeadScenario.sleepUntil(System.nanoTime() + settings.idleSettle().toNanos());
      Optional<ProcStats> during = ProcStats.of(target.pid());
      probe(target, probe, result);
      int open = 0;
      for (HttpConnection c : stalled) {
        if (c != null && c.poll() == 0) {
          open++;
        }
      }
      result.put("stalled_open_at_end", open);
      if (before.isPresent() && during.isPresent() && opened > 0) {
        result.put("server_rss_mib_before", before.get().rssMib());
        result.put("kib_per_stalled",
            (during.get().rssKib() - before.get().rssKib()) / (double) opened);
      }
      meter.stop(result, 0);
    } finally {
      for (HttpConnection c : stalled) {
        if (c != null) {
          c.reset();
        }
      }
    }
  }

  private static String[] create(Target target, Payload payload, int n) throws Exception {
    String[] paths = new String[n];
    int threads = 8;
    Workers.run("idle-create", threads, Duration.ofMinutes(10), i -> {
      try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
        for (int k = i; k < n; k += threads) {
          paths[k] = Tus.create(c, target, UPLOAD_LENGTH, payload, 0, 0).path();
        }
      }
    });
    return paths;
  }

  private static int stall(Target target, Payload payload, String[] paths,
      HttpConnection[] stalled, Result result) {
    long deadline = System.nanoTime() + STALL_PHASE.toNanos();
    int errors = 0;
    int opened = 0;
    String firstError = null;
    for (int k = 0; k < paths.length && System.nanoTime() - deadline < 0; k++) {
      HttpConnection c = null;
      try {
        c = HttpConnection.open(target.address(), Duration.ofSeconds(10), 512);
        byte[] head = c.requestHead("PATCH", paths[k], "Tus-Resumable: 1.0.0",
            "Upload-Offset: 0", Tus.OCTETS, "Content-Length: " + UPLOAD_LENGTH);
        c.send(head, payload, 0, 1);
        c.noDeadline();
        stalled[k] = c;
        opened++;
      } catch (IOException e) {
        if (c != null) {
          c.reset();
        }
        errors++;
        if (firstError == null) {
          firstError = e.toString();
        }
      }
    }
    result.put("stalled", opened);
    result.put("stall_errors", errors);
    if (firstError != null) {
      result.put("first_error", firstError);
    }
    return opened;
  }

  private static void probe(Target target, String path, Result result) {
    double[] ms = new double[PROBES];
    int errors = 0;
    String firstError = null;
    for (int j = 0; j < PROBES; j++) {
      long t0 = System.nanoTime();
      try (HttpConnection c = HttpConnection.open(target.address(), PROBE_TIMEOUT, 16 * 1024)) {
        c.deadline(PROBE_TIMEOUT);
        HttpResponse r = c.exchange(Tus.headRequest(c, path), null, 0, 0, true);
        Tus.expect(r, "HEAD " + path, 200, 204);
        ms[j] = (System.nanoTime() - t0) / 1e6;
      } catch (IOException e) {
        ms[j] = (System.nanoTime() - t0) / 1e6;
        errors++;
        if (firstError == null) {
          firstError = e.toString();
        }
      }
    }
    Arrays.sort(ms);
    result.put("fresh_head_ms_median", ms[PROBES / 2]);
    result.put("fresh_head_ms_max", ms[PROBES - 1]);
    result.put("fresh_head_errors", errors);
    result.put("fresh_head_within_50ms", errors == 0 && ms[PROBES - 1] < 50);
    if (firstError != null) {
      result.put("fresh_head_error", firstError);
    }
  }
}
