package dev.tusk.server.metrics;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every meter tusk publishes, on its own Prometheus registry (one per server, never the global
 * one). Names and meanings are listed in docs/operations.md; tags are low-cardinality only
 * (method, status class, error code, store operation, outcome), never an upload id. The request
 * timers live in {@link RequestMeters} and the store's meters in {@link StoreMeters}; this class
 * is the one entry point the server calls. Thread-safe.
 */
public final class TuskMetrics implements AutoCloseable {
  private static final Duration[] LOCK_BUCKETS = durations(10, 50, 100, 250, 500, 1_000, 2_500,
      5_000, 10_000);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final RequestMeters requests = new RequestMeters(registry);
  private final StoreMeters store;
  private final Map<ErrorCode, Counter> errors = new ConcurrentHashMap<>();
  private final Counter received;
  private final Counter sent;
  private final Counter stored;
  private final Counter created;
  private final Counter finished;
  private final Counter terminated;
  private final Counter expired;
  private final Counter releaseRequests;
  private final Counter sweepFailures;
  private final AtomicLong lastSweep = new AtomicLong();
  private final Counter sweepExamined;
  private final Counter sweepStoreCalls;
  private final Counter repaired;
  /** Examined, deleted and store calls of the last sweep this instance ran. */
  private final AtomicLong[] lastSweepWork = {new AtomicLong(), new AtomicLong(), new AtomicLong()};

  /** The kinds of store errors: the tags of {@code tusk_store_errors_total}. */
  public static final String[] STORE_ERROR_KINDS = {"unavailable", "full", "timeout", "other"};

  public TuskMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    received = bytes("tusk.received", "Request body bytes read from clients (tus requests).");
    sent = bytes("tusk.sent", "Response body bytes sent to clients (tus requests).");
    stored = bytes("tusk.stored", "Bytes appended to uploads in the store.");
    created = upload("created");
    finished = upload("finished");
    terminated = upload("terminated");
    expired = upload("expired");
    releaseRequests = counter("tusk.lock.release.requests",
        "Times a request asked the holder of an upload's lock to let go.");
    sweepFailures = counter("tusk.sweep.failures", "Expired uploads the sweeper failed to delete.");
    for (String outcome : new String[] {"acquired", "timeout", "unavailable"}) {
      lockWait(outcome); // every series exists from the start, so rate() is 0 rather than absent
    }
    sweepTimer("ok");
    sweepTimer("error");
    store = new StoreMeters(registry);
    sweepExamined = counter("tusk.sweep.examined",
        "Uploads whose info the expiry sweeper read (with an expiry index: those due, only).");
    sweepStoreCalls = counter("tusk.sweep.store.calls",
        "Store calls made by expiry sweeps (index listing, finds, index changes, deletions).");
    repaired = counter("tusk.expiry.repaired",
        "Expiry index entries the repair scan wrote for uploads that had none.");
    String[] work = {"examined", "deleted", "store.calls"};
    String[] what = {"uploads whose info it read", "expired uploads it deleted", "store calls it made"};
    for (int i = 0; i < work.length; i++) {
      Gauge.builder("tusk.sweep.last." + work[i], lastSweepWork[i], AtomicLong::get)
          .description("The last expiry sweep run by this instance: " + what[i] + ".")
          .register(registry);
    }
    repairTimer("ok");
    repairTimer("error");
    Gauge.builder("tusk.sweep.last.success.timestamp", lastSweep, a -> a.get() / 1000.0)
        .baseUnit("seconds")
        .description("Unix time of the last sweep that completed without error (0 = none yet).")
        .register(registry);
  }

  /** The registry, for meters added by the server (gauges over its own state). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter in the Prometheus text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  /** Publishes {@code tusk_info} with version and wiring as tags (value 1). */
  public void info(String version, String store, String locker) {
    Gauge.builder("tusk.info", () -> 1)
        .description("Constant 1, tagged with the version, the store and the locker.")
        .tags("version", version, "store", store, "locker", locker)
        .register(registry);
  }

  /** Publishes a gauge read from {@code value} whenever it is scraped. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** Publishes free and total bytes of the file system holding {@code path}. */
  public void diskSpace(Path path) {
    if (Files.isDirectory(path)) {
      new DiskSpaceMetrics(path.toFile()).bindTo(registry);
    }
  }

  /** One finished tus request. */
  public void request(String method, int status, long nanos) {
    requests.request(method, status, nanos);
  }

  public void received(long bytes) {
    received.increment(bytes);
  }

  public void sent(long bytes) {
    sent.increment(bytes);
  }

  public void stored(long bytes) {
    stored.increment(bytes);
  }

  /** A problem response with {@code code} was sent. */
  public void error(ErrorCode code) {
    errors
        .computeIfAbsent(code, c -> Counter.builder("tusk.errors")
            .description("Error responses by ERR_* code.")
            .tag("code", c.code())
            .register(registry))
        .increment();
  }

  public void created() {
    created.increment();
  }

  public void finished() {
    finished.increment();
  }

  public void terminated() {
    terminated.increment();
  }

  public void expired() {
    expired.increment();
  }

  public void releaseRequested() {
    releaseRequests.increment();
  }

  /** A request that found its upload held waited {@code nanos}; {@code error} is null if it got it. */
  public void lockWait(long nanos, Throwable error) {
    lockWait(error == null ? "acquired" : lockFailure(error)).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer lockWait(String outcome) {
    return Timer.builder("tusk.lock.wait")
        .description("Time requests waited for an upload held by another request, by outcome "
            + "(acquired, timeout = 423, unavailable = locker down).")
        .tag("outcome", outcome)
        .serviceLevelObjectives(LOCK_BUCKETS)
        .register(registry);
  }

  /** One call of a store operation ({@code create}, {@code write}, {@code commit}, ...). */
  public void storeOperation(String operation, boolean ok, long nanos) {
    store.operation(operation, ok, nanos);
  }

  /** A store call that failed; {@code kind} is one of {@link #STORE_ERROR_KINDS}. */
  public void storeError(String kind) {
    store.error(kind);
  }

  /** Publishes the time since a store call last succeeded, read from {@code since}. */
  public void storeSinceSuccess(Supplier<Duration> since) {
    store.sinceSuccess(since);
  }

  /** One run of the expiry sweeper. */
  public void sweep(long nanos, boolean ok, long nowMillis) {
    sweepTimer(ok ? "ok" : "error").record(nanos, TimeUnit.NANOSECONDS);
    if (ok) {
      lastSweep.set(nowMillis);
    }
  }

  private Timer sweepTimer(String outcome) {
    return Timer.builder("tusk.sweep")
        .description("Expiry sweeper runs, by outcome (error = the store could not be listed).")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** What one sweep run by this instance did (not called for a round another instance swept). */
  public void sweepWork(long examined, long deleted, long storeCalls) {
    sweepExamined.increment(examined);
    sweepStoreCalls.increment(storeCalls);
    lastSweepWork[0].set(examined);
    lastSweepWork[1].set(deleted);
    lastSweepWork[2].set(storeCalls);
  }

  /** One scan of the expiry index repair; {@code written} entries it added. */
  public void repair(long nanos, boolean ok, int written) {
    repairTimer(ok ? "ok" : "error").record(nanos, TimeUnit.NANOSECONDS);
    repaired.increment(written);
  }

  private Timer repairTimer(String outcome) {
    return Timer.builder("tusk.expiry.repair")
        .description("Expiry index repair scans, by outcome (error = the store could not be listed).")
        .tag("outcome", outcome)
        .register(registry);
  }

  public void sweepFailed() {
    sweepFailures.increment();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** {@code tusk_uploads_total{event}}: a counter named ..._created would lose its suffix in Prometheus. */
  private Counter upload(String event) {
    return Counter.builder("tusk.uploads")
        .description("Upload lifecycle events: created, finished (last byte stored), terminated (DELETE), expired (swept).")
        .tag("event", event)
        .register(registry);
  }

  private Counter bytes(String name, String description) {
    return Counter.builder(name).baseUnit("bytes").description(description).register(registry);
  }

  private static String lockFailure(Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof TusException tus && tus.code() == ErrorCode.UPLOAD_LOCKED) {
      return "timeout";
    }
    return "unavailable";
  }

  static Duration[] durations(long... millis) {
    Duration[] out = new Duration[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = Duration.ofMillis(millis[i]);
    }
    return out;
  }
}
