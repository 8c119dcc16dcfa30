package dev.tusk.bench;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.UploadId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code stored}: how tusk's cost grows with the number of uploads it stores. For each store (fs,
 * and s3 on S3Proxy when its jar is there) and each size N (plus N = 0, the empty store every ratio
 * is taken against), in a fresh directory:
 *
 * <ol>
 *   <li>N uploads and {@link Sizes#probes()} probe uploads are written through tusk's own store
 *       classes ({@link StoredUploads}), live for 7 days;
 *   <li>one tusk starts on them with {@code --sweep-interval} {@link Sizes#sweepInterval()}; the
 *       expiry index repair it runs at start (a full listing of the store) is awaited and
 *       measured on its own;
 *   <li><b>requests</b>: {@link Sizes#warmup()} then {@link Sizes#creations()} uploads of {@value
 *       #SMALL} bytes in one POST each ({@link Sizes#connections()} connections): uploads/s,
 *       p50/p99; HEADs of random probe uploads ({@link Sizes#heads()}): p50/p99; one PATCH
 *       completing every probe: p50/p99 (sweeps with nothing due run meanwhile);
 *   <li><b>sweeps, nothing expired</b>: after one not counted, {@link Sizes#idleSweeps()} sweeps:
 *       the duration tusk's {@code tusk_sweep_seconds} metric records, tusk's CPU from the end of
 *       one sweep to the end of the next, and on S3 the requests tusk sent meanwhile ({@link
 *       CountingRelay} between tusk and S3Proxy, by kind, with S3Proxy's time and CPU);
 *   <li><b>sweep, 1 % expired</b>: 1 % of what is stored is added while tusk runs, expiring at the
 *       start of a minute that begins once they are all written, and the same figures are read
 *       for the sweep that finds them; afterwards a HEAD of a few of them must no longer find them.
 * </ol>
 *
 * One tusk serves every phase because each start repeats the repair's full listing, which costs
 * S3Proxy O(N) per LIST page. Like {@code s3} it starts its own processes, so {@link Compare}
 * calls {@link #runAll}. Each result's target is {@code <store>-<N>}; the {@code *_ratio} fields
 * are the figure over the same store's figure at N = 0 in the same run.
 */
final class StoredScenario implements Scenario {
  static final String NAME = "stored";
  static final String FS = "fs";
  static final String S3 = "s3";
  /** Bytes of each upload created or sent in the requests phase. */
  static final int SMALL = StoredUploads.LENGTH;
  private static final int EXPIRED_CHECKS = 5;
  /**
   * Up to which N the S3 run restarts tusk at the end to time the expiry index repair's full
   * listing (S3Proxy answers each of its pages in O(N)).
   */
  static final int REPAIR_MEASURED_UP_TO = 10_000;

  /** How many uploads, requests and sweeps; {@link #of} per bench size. */
  record Sizes(List<Integer> fs, List<Integer> s3, int probes, int warmup, int creations,
      int heads, int connections, Duration sweepInterval, int idleSweeps) {
    static Sizes of(String size) {
      return switch (size.toLowerCase(Locale.ROOT)) {
        case "full" -> new Sizes(List.of(10_000, 100_000, 1_000_000), List.of(10_000, 100_000),
            2_000, 5_000, 10_000, 20_000, 8, Duration.ofSeconds(2), 3);
        case "quick" -> new Sizes(List.of(1_000, 10_000), List.of(1_000), 500, 1_000, 2_000,
            5_000, 8, Duration.ofSeconds(1), 3);
        case "tiny" -> new Sizes(List.of(200), List.of(200), 50, 50, 100, 200, 4,
            Duration.ofSeconds(1), 2);
        default -> throw new IllegalArgumentException("size must be full, quick or tiny: " + size);
      };
    }

    Sizes withCounts(List<Integer> fsCounts, List<Integer> s3Counts) {
      return new Sizes(fsCounts == null ? fs : fsCounts, s3Counts == null ? s3 : s3Counts, probes,
          warmup, creations, heads, connections, sweepInterval, idleSweeps);
    }

    /**
     * The request counts on S3: S3Proxy answers a creation of 1 KiB (11 requests) with 25 ms of
     * its CPU on the empty store, and, since it completes or aborts a multipart upload by reading
     * its whole bucket directory, with 94 ms at 10k stored and about ten times that at 100k, so
     * at most 200 probes, 200 warm-up creations and 500 creations (HEADs are cached by tusk
     * after the first).
     */
    Sizes onS3() {
      return new Sizes(fs, s3, Math.min(probes, 200), Math.min(warmup, 200),
          Math.min(creations, 500), heads, connections, sweepInterval, idleSweeps);
    }
  }

  /**
   * What the comparison needs beyond the tusk target; {@code s3Provider} is S3Proxy's provider
   * for the s3 store ({@link S3Endpoint#FILESYSTEM} unless told).
   */
  record Setup(String java, Path s3proxyJar, Sizes sizes, List<String> stores,
      String s3Provider) {
    Setup(String java, Path s3proxyJar, Sizes sizes, List<String> stores) {
      this(java, s3proxyJar, sizes, stores, S3Endpoint.FILESYSTEM);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "N uploads stored (written through tusk's store classes), then creation, HEAD and "
        + "PATCH of 1 KiB uploads and expiry sweeps with nothing and with 1 % expired — growth "
        + "with N against the empty store";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result) {
    throw new UnsupportedOperationException("stored starts tusk itself (on pre-written data): "
        + "run it with `tusk-bench compare --scenarios stored`");
  }

  /**
   * Every store and size of one run; one result per store and N, each handed to {@code emit} as
   * soon as it is complete (a full run takes long) and returned.
   */
  static List<Result> runAll(Setup setup, TargetSpec tusk, Payload payload, int run, Path data,
      Path logs, java.util.function.Consumer<Result> emit,
      java.util.function.Consumer<Path> deleteLater) throws InterruptedException {
    List<Result> results = new ArrayList<>();
    for (String store : setup.stores()) {
      List<Integer> counts = new ArrayList<>();
      counts.add(0);
      counts.addAll(store.equals(FS) ? setup.sizes().fs() : setup.sizes().s3());
      Result base = null;
      for (int n : counts) {
        Result result = new Result(NAME, store + "-" + n, run);
        result.put("store", store);
        result.put("stored", n);
        if (store.equals(S3) && !Files.isRegularFile(setup.s3proxyJar())) {
          result.put("status", "skipped");
          result.fail("skipped: no S3Proxy jar at " + setup.s3proxyJar()
              + " (bench/run.sh fetches it with mvn dependency:copy)");
          results.add(result);
          emit.accept(result);
          break;
        }
        Path dir = data.resolve(run + "-stored-" + store + "-" + n);
        try {
          Compare.deleteTree(dir);
          Files.createDirectories(dir);
          one(setup, tusk, store, n, payload, dir, logs.resolve(run + "-stored-" + store + "-" + n),
              result);
        } catch (Exception e) {
          result.fail(Errors.describe(e));
        } finally {
          // deleting N uploads' files now would slow the next step's file creation on ext4
          deleteLater.accept(dir);
          FsProbe.sync();
        }
        if (n == 0) {
          base = result.ok() ? result : null;
        } else if (base != null && result.ok()) {
          ratios(result, base);
        }
        results.add(result);
        emit.accept(result);
      }
    }
    return results;
  }

  /** The figures whose growth the report shows, as {@code <key>_ratio} = figure / figure at N=0. */
  static final List<String> GROWN = List.of("repair_s", "create_per_s", "create_p99_ms",
      "head_p99_ms", "patch_p99_ms", "idle_sweep_ms", "idle_sweep_cpu_ms", "idle_sweep_requests",
      "idle_sweep_first_ms", "idle_sweep_first_requests", "idle_sweep_store_calls",
      "expired_sweep_store_calls", "expired_sweep_ms", "expired_sweep_cpu_ms",
      "expired_sweep_requests");

  private static void ratios(Result result, Result base) {
    for (String key : GROWN) {
      Object v = result.fields().get(key);
      Object b = base.fields().get(key);
      if (v instanceof Number nv && b instanceof Number nb && nb.doubleValue() > 0) {
        result.put(key + "_ratio", nv.doubleValue() / nb.doubleValue());
      }
    }
  }

  private static void one(Setup setup, TargetSpec tusk, String store, int n, Payload payload,
      Path dir, Path logPrefix, Result result) throws Exception {
    Sizes sizes = store.equals(S3) ? setup.sizes().onS3() : setup.sizes();
    S3Endpoint endpoint = null;
    CountingRelay relay = null;
    try {
      if (store.equals(S3)) {
        endpoint = S3Endpoint.start(setup.java(), setup.s3proxyJar(), dir.resolve("s3"),
            Path.of(logPrefix + "-s3proxy.log"), "WHEN_SUPPORTED", setup.s3Provider());
        relay = CountingRelay.start(new InetSocketAddress("127.0.0.1",
            endpoint.endpoint().getPort()));
        result.put("s3_provider", setup.s3Provider());
      }
      // tusk talks to S3Proxy through the relay, the generator's writes go to it directly
      URI s3 = relay == null ? null : URI.create("http://127.0.0.1:" + relay.port());
      URI direct = endpoint == null ? null : endpoint.endpoint();
      Probe s3proxy = new Probe(endpoint, relay);
      // On the filesystem the uploads are written before tusk starts (one process per upload
      // directory is the fs store's rule). On S3 tusk starts first, on the empty bucket, and they
      // are written while it runs, as another instance of a fleet would: the expiry index repair
      // every start runs lists the whole bucket, and S3Proxy answers each LIST page of it in
      // O(N): 21-26 s at 10k, so about half an hour at 100k (ten times the pages, each ten times
      // the work)
      Tusk t = null;
      try {
        if (store.equals(S3)) {
          t = Tusk.start(tusk, store, dir, s3, sizes.sweepInterval(),
              Path.of(logPrefix + "-tusk.log"));
          t.awaitRepair();
        }
        List<UploadId> probes = populate(store, n, sizes, dir, direct, s3proxy, result);
        if (t == null) {
          t = Tusk.start(tusk, store, dir, s3, sizes.sweepInterval(),
              Path.of(logPrefix + "-tusk.log"));
          // the repair at start is measured on its own, not inside the requests
          Probe.Mark before = s3proxy.mark();
          result.put("repair_s", t.awaitRepair());
          s3proxy.put(result, "repair", before, 1);
        }
        // One tusk for every phase (each start repeats the repair). Sweeps run every
        // sweep-interval meanwhile, finding nothing due (one index listing each)
        requests(t.target, sizes, payload, probes, s3proxy, result);
        idleSweeps(t, sizes, s3proxy, result);
        expiredSweep(t, store, n, sizes, dir, direct, s3proxy, result);
      } finally {
        if (t != null) {
          t.close();
        }
      }
      if (store.equals(S3) && n <= REPAIR_MEASURED_UP_TO) {
        // the repair's full listing, measured where S3Proxy answers it in reasonable time
        try (Tusk again = Tusk.start(tusk, store, dir, s3, Duration.ofHours(1),
            Path.of(logPrefix + "-repair.log"))) {
          Probe.Mark before = s3proxy.mark();
          result.put("repair_s", again.awaitRepair());
          s3proxy.put(result, "repair", before, 1);
        }
      }
    } finally {
      if (relay != null) {
        relay.close();
      }
      if (endpoint != null) {
        endpoint.close();
      }
    }
  }

  /** Writes the stored uploads and the probes (returned) through tusk's store classes. */
  private static List<UploadId> populate(String store, int n, Sizes sizes, Path dir, URI direct,
      Probe s3proxy, Result result) throws Exception {
    List<UploadId> probes;
    Probe.Mark populating = s3proxy.mark();
    long start = System.nanoTime();
    try (StoredUploads uploads = open(store, dir, direct)) {
      probes = uploads.create(sizes.probes(), Duration.ofDays(7), sizes.probes());
      uploads.create(n, Duration.ofDays(7), 0);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    result.put("populate_s", seconds);
    result.put("populate_per_s", (n + sizes.probes()) / seconds);
    if (s3proxy.active()) {
      result.put("populate_s3proxy_cpu_ms_per_upload", (s3proxy.mark().cpu() - populating.cpu())
          * 1000 / (n + sizes.probes()));
    }
    // the write-back of what was just written is not tusk's: without this sync, creations at
    // 100k ran at a quarter of the empty store's rate with three times tusk's CPU
    FsProbe.sync();
    return probes;
  }

  /**
   * Sweeps with nothing expired: the first to end after the call is not counted (it may have
   * begun beside the requests), then {@link Sizes#idleSweeps()} are.
   */
  private static void idleSweeps(Tusk t, Sizes sizes, Probe s3proxy, Result result)
      throws Exception {
    t.sweeps(1, s3proxy);
    List<Sweep> sweeps = t.sweeps(sizes.idleSweeps(), s3proxy);
    result.put("idle_sweep_first_ms", sweeps.get(0).ms);
    List<Sweep> warm = sweeps.size() > 1 ? sweeps.subList(1, sweeps.size()) : sweeps;
    result.put("idle_sweep_ms", median(warm.stream().mapToDouble(s -> s.ms).toArray()));
    result.put("idle_sweep_cpu_ms", median(warm.stream().mapToDouble(s -> s.cpuMs).toArray()));
    result.put("idle_sweep_store_calls", median(warm.stream().mapToDouble(s -> s.storeCalls)
        .toArray()));
    if (s3proxy.active()) {
      result.put("idle_sweep_first_requests", (double) sweeps.get(0).requests);
      result.put("idle_sweep_requests", median(warm.stream().mapToDouble(s -> s.requests)
          .toArray()));
      result.put("idle_sweep_s3_ms", median(warm.stream().mapToDouble(s -> s.s3Ms).toArray()));
      result.put("idle_sweep_s3proxy_cpu_ms", median(warm.stream()
          .mapToDouble(s -> s.s3proxyCpuMs).toArray()));
      result.put("idle_sweep_s3_kinds", warm.get(warm.size() - 1).kinds);
    }
  }

  /**
   * 1 % of what is stored is added while tusk runs, all expiring at the start of a minute that
   * begins once they are written (the expiry index's bucket of that minute is then due at once,
   * never half-written); the sweep that finds them is measured, and a few of them must then
   * answer 404 or 410.
   */
  private static void expiredSweep(Tusk t, String store, int n, Sizes sizes, Path dir, URI direct,
      Probe s3proxy, Result result) throws Exception {
    int expired = Math.max(1, (n + sizes.probes() + sizes.warmup() + sizes.creations()) / 100);
    double perSecond = result.fields().get("populate_per_s") instanceof Number r
        ? r.doubleValue() : 100;
    Instant due = Instant.now().plusSeconds(5)
        .plusMillis((long) (2_000 * expired / perSecond))
        .truncatedTo(ChronoUnit.MINUTES).plus(ExpiryEntry.WIDTH);
    List<UploadId> gone;
    try (StoredUploads uploads = open(store, dir, direct)) {
      gone = uploads.create(expired, due, EXPIRED_CHECKS);
    }
    FsProbe.sync();
    if (!Instant.now().isBefore(due)) {
      throw new IOException("writing " + expired + " expired uploads took past their expiry "
          + due);
    }
    result.put("expired", expired);
    // no polling (which costs tusk CPU) until a few seconds before they are due
    long quiet = Duration.between(Instant.now(), due).toMillis() - 3_000;
    if (quiet > 0) {
      Thread.sleep(quiet);
    }
    Sweep sweep = null;
    for (int k = 0; k < 5 && sweep == null; k++) {
      Sweep s = t.sweeps(1, s3proxy).get(0);
      sweep = s.examined > 0 ? s : null;
    }
    if (sweep == null) {
      throw new IOException("no sweep found the " + expired + " expired uploads");
    }
    result.put("expired_sweep_ms", sweep.ms);
    result.put("expired_sweep_cpu_ms", sweep.cpuMs);
    result.put("expired_sweep_store_calls", sweep.storeCalls);
    result.put("expired_sweep_deleted", sweep.deleted);
    if (s3proxy.active()) {
      result.put("expired_sweep_requests", (double) sweep.requests);
      result.put("expired_sweep_requests_per_expired", (double) sweep.requests / expired);
      result.put("expired_sweep_s3_ms", sweep.s3Ms);
      result.put("expired_sweep_s3proxy_cpu_ms", sweep.s3proxyCpuMs);
      result.put("expired_sweep_s3_kinds", sweep.kinds);
    }
    try (HttpConnection c = HttpConnection.open(t.target.address(), Duration.ofSeconds(10))) {
      for (UploadId id : gone) {
        HttpResponse r = c.exchange(Tus.headRequest(c, t.target.collection() + id.value()),
            null, 0, 0, true);
        if (r.status != 404 && r.status != 410) {
          throw new IOException("expired upload " + id.value() + " still answers " + r
              + " after the sweep");
        }
      }
    }
  }

  /**
   * What the S3 side did between two marks: tusk's requests at the relay (by kind, with the
   * server's time for them) and S3Proxy's CPU. Inert for the filesystem store.
   */
  static final class Probe {
    private final S3Endpoint endpoint;
    private final CountingRelay relay;

    Probe(S3Endpoint endpoint, CountingRelay relay) {
      this.endpoint = endpoint;
      this.relay = relay;
    }

    record Mark(Map<String, CountingRelay.Tally> kinds, double cpu) {}

    Mark mark() {
      return relay == null ? new Mark(Map.of(), 0) : new Mark(relay.byKind(),
          ProcStats.of(endpoint.pid()).map(ProcStats::cpuSeconds).orElse(0.0));
    }

    boolean active() {
      return relay != null;
    }

    /**
     * Puts {@code <name>_s3_requests} and {@code <name>_s3_kinds} (per operation when {@code per}
     * is over 1), and S3Proxy's CPU ({@code <name>_s3proxy_cpu_ms} per operation, or {@code
     * <name>_s3proxy_cpu_s} in all) for what happened since {@code before}.
     */
    void put(Result result, String name, Mark before, int per) {
      if (relay == null) {
        return;
      }
      Mark now = mark();
      Map<String, CountingRelay.Tally> diff = CountingRelay.since(before.kinds(), now.kinds());
      long requests = diff.values().stream().mapToLong(CountingRelay.Tally::requests).sum();
      result.put(name + "_s3_requests", per > 1 ? (double) requests / per : (double) requests);
      result.put(name + "_s3_kinds", describe(diff, per));
      if (per > 1) {
        result.put(name + "_s3proxy_cpu_ms", (now.cpu() - before.cpu()) * 1000 / per);
      } else {
        result.put(name + "_s3proxy_cpu_s", now.cpu() - before.cpu());
      }
    }

    /** {@code LIST 2 (35.1 ms)} per kind; divided by {@code per} when it is over 1. */
    static String describe(Map<String, CountingRelay.Tally> kinds, int per) {
      List<String> parts = new ArrayList<>();
      kinds.forEach((kind, t) -> parts.add(per > 1
          ? String.format(Locale.ROOT, "%s %.2f", kind, (double) t.requests() / per)
          : String.format(Locale.ROOT, "%s %d (%.1f ms)", kind, t.requests(), t.serverMs())));
      return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
  }

  private static StoredUploads open(String store, Path dir, URI s3) throws IOException {
    return store.equals(FS) ? StoredUploads.fs(dir.resolve("fs"))
        : StoredUploads.s3(s3, dir.resolve("populate-s3-tmp"));
  }

  /** Creation, HEAD and PATCH of small uploads against the stored ones. */
  private static void requests(Target target, Sizes sizes, Payload payload, List<UploadId> probes,
      Probe s3, Result result) throws Exception {
    int connections = sizes.connections();
    run(target, connections, sizes.warmup(), (c, k) ->
        Tus.create(c, target, SMALL, payload, (long) k * SMALL, SMALL));
    Probe.Mark mark = s3.mark();
    Meter meter = Meter.start(target);
    Latencies create = run(target, connections, sizes.creations(), (c, k) ->
        Tus.create(c, target, SMALL, payload, (long) k * SMALL, SMALL));
    double seconds = meter.stop(result, 0);
    result.put("create_per_s", create.count() / seconds);
    result.put("create_p50_ms", create.percentileMs(50));
    result.put("create_p99_ms", create.percentileMs(99));
    s3.put(result, "create", mark, create.count());
    mark = s3.mark();
    int[] order = new SplittableRandom(probes.size()).ints(sizes.heads(), 0, probes.size())
        .toArray();
    Latencies head = run(target, connections, sizes.heads(), (c, k) -> {
      String path = target.collection() + probes.get(order[k]).value();
      c.deadline(Tus.timeoutFor(0));
      Tus.expect(c.exchange(Tus.headRequest(c, path), null, 0, 0, true), "HEAD " + path, 200);
    });
    result.put("head_p50_ms", head.percentileMs(50));
    result.put("head_p99_ms", head.percentileMs(99));
    s3.put(result, "head", mark, sizes.heads());
    mark = s3.mark();
    Latencies patch = run(target, connections, probes.size(), (c, k) ->
        Tus.patch(c, target.collection() + probes.get(k).value(), 0, payload, SMALL));
    result.put("patch_p50_ms", patch.percentileMs(50));
    result.put("patch_p99_ms", patch.percentileMs(99));
    s3.put(result, "patch", mark, probes.size());
  }

  private interface Request {
    void send(HttpConnection c, int index) throws IOException;
  }

  /** {@code total} requests shared by {@code connections} keep-alive connections; any error fails. */
  private static Latencies run(Target target, int connections, int total, Request request)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    Latencies[] latencies = new Latencies[connections];
    Workers.run(NAME, connections, Duration.ofMinutes(10), i -> {
      Latencies mine = new Latencies();
      latencies[i] = mine;
      try (HttpConnection c = HttpConnection.open(target.address(), Duration.ofSeconds(10))) {
        for (int k = next.getAndIncrement(); k < total; k = next.getAndIncrement()) {
          long start = System.nanoTime();
          request.send(c, k);
          mine.add(System.nanoTime() - start);
        }
      }
    });
    Latencies all = new Latencies();
    for (Latencies l : latencies) {
      all.addAll(l);
    }
    return all;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * One completed sweep: its duration (tusk's metric), tusk's CPU and S3 requests (at the relay)
   * up to it, and the store calls tusk counted for it ({@code tusk_sweep_store_calls_total}; NaN
   * where tusk has no such metric); on S3 also S3Proxy's time answering those requests (at the
   * relay), its CPU meanwhile and the requests by kind; the uploads whose info it read (tusk's
   * {@code tusk_sweep_examined_total}) and how many it deleted ({@code tusk_sweep_last_deleted}).
   */
  record Sweep(double ms, double cpuMs, long requests, double storeCalls, double s3Ms,
      double s3proxyCpuMs, String kinds, double examined, double deleted) {}

  /** tusk on the stored data, and what its {@code /metrics} say about sweeps. */
  private static final class Tusk implements AutoCloseable {
    private static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration REPAIR_TIMEOUT = Duration.ofMinutes(30);
    private static final long POLL_MS = 100;
    final ServerProcess process;
    final Target target;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI metrics;

    private Tusk(ServerProcess process, Target target) {
      this.process = process;
      this.target = target;
      this.metrics = URI.create("http://127.0.0.1:" + target.address().getPort() + "/metrics");
    }

    static Tusk start(TargetSpec tusk, String store, Path dir, URI s3, Duration sweepInterval,
        Path log) throws IOException, InterruptedException {
      int port = ServerProcess.freePort();
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      List<String> command = new ArrayList<>(tusk.command().apply(port, dir.resolve("fs")));
      if (store.equals(S3)) {
        command.addAll(S3Scenario.tuskS3Flags(s3.toString(), dir.resolve("tusk-s3-tmp"),
            "WHEN_SUPPORTED"));
      }
      command.addAll(List.of("--sweep-interval", sweepInterval.toMillis() + "ms"));
      ServerProcess process = ServerProcess.start(command, log, address, Duration.ofSeconds(60));
      return new Tusk(process, new Target(tusk.name(), address, tusk.collection(),
          process.pid()));
    }

    /**
     * Waits for the expiry index repair tusk runs once at start (a full listing of the store) to
     * end, either way; returns its seconds (tusk's {@code tusk_expiry_repair_seconds}), or 0 where
     * tusk has no such metric.
     */
    double awaitRepair() throws Exception {
      long deadline = System.nanoTime() + REPAIR_TIMEOUT.toNanos();
      while (true) {
        double[] repair = metric("tusk_expiry_repair_seconds");
        if (Double.isNaN(repair[0]) || repair[0] >= 1) {
          return Double.isNaN(repair[1]) ? 0 : repair[1];
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("the expiry index repair at start did not end within "
              + REPAIR_TIMEOUT.toMinutes() + " min");
        }
        if (!process.alive()) {
          throw new IOException("tusk died: " + process.logTail());
        }
        Thread.sleep(POLL_MS);
      }
    }

    /** Waits for {@code count} sweeps to complete; times each (see {@link Sweep}). */
    List<Sweep> sweeps(int count, Probe s3) throws Exception {
      List<Sweep> sweeps = new ArrayList<>();
      double[] last = sweepMetric();
      double cpu = cpu();
      Probe.Mark mark = s3.mark();
      long deadline = System.nanoTime() + SWEEP_TIMEOUT.toNanos() * count;
      while (sweeps.size() < count) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("no sweep completed within " + SWEEP_TIMEOUT.toMinutes()
              + " min (" + sweeps.size() + " of " + count + ")");
        }
        if (!process.alive()) {
          throw new IOException("tusk died: " + process.logTail());
        }
        Thread.sleep(POLL_MS);
        double[] now = sweepMetric();
        if (now[0] > last[0]) {
          double cpuNow = cpu();
          Probe.Mark markNow = s3.mark();
          double swept = now[0] - last[0];
          Map<String, CountingRelay.Tally> kinds = CountingRelay.since(mark.kinds(),
              markNow.kinds());
          long requests = kinds.values().stream().mapToLong(CountingRelay.Tally::requests).sum();
          double s3Ms = kinds.values().stream().mapToDouble(CountingRelay.Tally::serverMs).sum();
          sweeps.add(new Sweep((now[1] - last[1]) / swept * 1000, (cpuNow - cpu) * 1000 / swept,
              Math.round(requests / swept),
              Double.isNaN(now[2]) ? Double.NaN : (now[2] - last[2]) / swept, s3Ms / swept,
              (markNow.cpu() - mark.cpu()) * 1000 / swept, Probe.describe(kinds, 1),
              now[3] - last[3], now[4]));
          last = now;
          cpu = cpuNow;
          mark = markNow;
        }
      }
      return sweeps;
    }

    private double cpu() {
      return ProcStats.of(process.pid()).map(ProcStats::cpuSeconds).orElse(0.0);
    }

    /**
     * {count, seconds} of tusk's sweep timer, every outcome summed; {@code [2]}: store calls,
     * {@code [3]}: uploads examined (both NaN without such metrics), {@code [4]}: deleted by the
     * last sweep.
     */
    private double[] sweepMetric() throws IOException, InterruptedException {
      String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30))
          .build(), BodyHandlers.ofString()).body();
      double[] sums = {0, 0, Double.NaN, 0, 0};
      for (String line : body.split("\n")) {
        if (line.startsWith("tusk_sweep_seconds_count")) {
          sums[0] += value(line);
        } else if (line.startsWith("tusk_sweep_seconds_sum")) {
          sums[1] += value(line);
        } else if (line.startsWith("tusk_sweep_store_calls_total")) {
          sums[2] = (Double.isNaN(sums[2]) ? 0 : sums[2]) + value(line);
        } else if (line.startsWith("tusk_sweep_examined_total")) {
          sums[3] += value(line);
        } else if (line.startsWith("tusk_sweep_last_deleted")) {
          sums[4] += value(line);
        }
      }
      return sums;
    }

    /** {count, sum} of a timer summed over its outcomes; NaN where tusk does not publish it. */
    private double[] metric(String timer) throws IOException, InterruptedException {
      String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30))
          .build(), BodyHandlers.ofString()).body();
      double[] sums = {Double.NaN, Double.NaN};
      for (String line : body.split("\n")) {
        if (line.startsWith(timer + "_count")) {
          sums[0] = (Double.isNaN(sums[0]) ? 0 : sums[0]) + value(line);
        } else if (line.startsWith(timer + "_sum")) {
          sums[1] = (Double.isNaN(sums[1]) ? 0 : sums[1]) + value(line);
        }
      }
      return sums;
    }

    private static double value(String line) {
      String[] parts = line.trim().split("\\s+");
      return Double.parseDouble(parts[parts.length - 1]);
    }

    @Override
    public void close() {
      process.close();
    }
  }

  /** Parses {@code 10000,100000} (and {@code 10k}, {@code 1M}) into counts. */
  static List<Integer> counts(String list) {
    List<Integer> counts = new ArrayList<>();
    for (String item : list.split(",")) {
      String s = item.trim().toLowerCase(Locale.ROOT).replace("_", "");
      if (s.isEmpty()) {
        continue;
      }
      int factor = s.endsWith("k") ? 1_000 : s.endsWith("m") ? 1_000_000 : 1;
      counts.add(Math.multiplyExact(Integer.parseInt(factor == 1 ? s
          : s.substring(0, s.length() - 1)), factor));
    }
    return counts;
  }
}
