package dev.tusk.server;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.Locker;
import dev.tusk.core.NamedThreads;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.UploadStore;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.expiry.ExpiryJobs;
import dev.tusk.server.handlers.BufferPool;
import dev.tusk.server.handlers.TusContext;
import dev.tusk.server.health.InFlight;
import dev.tusk.server.health.Readiness;
import dev.tusk.server.health.ShutdownGate;
import dev.tusk.server.health.StoreHealth;
import dev.tusk.server.lock.InMemoryLocker;
import dev.tusk.server.metrics.LifecycleEvents;
import dev.tusk.server.metrics.MeteredLocker;
import dev.tusk.server.metrics.MeteredStore;
import dev.tusk.server.metrics.TuskMetrics;
import dev.tusk.server.policy.UploadPolicies;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.TusExtensions;
import dev.tusk.server.uploads.UploadService;
import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running tusk server: Undertow (the main listener and an optional management listener), the
 * storage executor, the locker, the expiry sweeper and the metrics. {@link #builder} names its
 * parts and {@link TuskServerBuilder#start} returns once the ports are bound; {@link #shutdown}
 * stops gracefully, {@link #close} at once. The store and a locker passed in stay the caller's to
 * close.
 */
public final class TuskServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TuskServer.class);

  private final ServerConfig config;
  private final TuskMetrics metrics;
  private final ShutdownGate gate = new ShutdownGate();
  private final InFlight inFlight = new InFlight();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Undertow undertow;
  private final ByteBufferPool buffers = Listeners.bufferPool();
  private final ExecutorService storage;
  private final ScheduledExecutorService scheduler;
  private final ExpiryJobs expiry;
  private final Clock clock;
  private final StoreHealth storeHealth;
  private final int port;
  private final int managementPort;

  TuskServer(
      ServerConfig config,
      UploadStore rawStore,
      Clock clock,
      Locker lockerOrNull,
      UploadPolicy policy,
      UnaryOperator<HttpHandler> filter,
      TuskMetrics metrics,
      UnaryOperator<HttpHandler> managementFilter) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.storage = storageExecutor(config.storageThreads());
    this.scheduler = new ScheduledThreadPoolExecutor(1, NamedThreads.daemon("scheduler"));
    this.storeHealth = new StoreHealth(clock);
    StoreCapabilities capabilities =
        MeteredStore.wrap(StoreCapabilities.of(rawStore), metrics, storeHealth);
    UploadStore store = capabilities.store();
    Locker locker =
        new MeteredLocker(lockerOrNull != null ? lockerOrNull : new InMemoryLocker(scheduler), metrics);
    UploadPolicy policies = UploadPolicies.of(List.of(policy, new LifecycleEvents(metrics)));
    UploadService uploads =
        new UploadService(capabilities, clock, locker, config.lockWait(), policies, config.maxSize());
    TusContext ctx =
        new TusContext(
            config, uploads, locker, storage, new BufferPool(256 * 1024, 64, 256),
            TusExtensions.advertised(capabilities),
            policies, inFlight);
    this.expiry =
        new ExpiryJobs(capabilities, uploads, locker, config.lockWait(), policies, metrics, clock);
    Readiness readiness = new Readiness(store, locker, storage, gate, storeHealth);
    HttpHandler tus = HandlerChain.page(HandlerChain.build(ctx, filter, gate, metrics), config);
    try {
      this.undertow =
          config.metricsPort().isPresent()
              ? Listeners.undertow(config, tus,
                  managementFilter.apply(HandlerChain.management(null, config, metrics, readiness)),
                  buffers)
              : Listeners.undertow(config,
                  managementFilter.apply(HandlerChain.management(tus, config, metrics, readiness)), null,
                  buffers);
      undertow.start();
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
      expiry.close();
      storage.shutdownNow();
      metrics.close();
      buffers.close();
      throw e;
    }
    List<Undertow.ListenerInfo> listeners = undertow.getListenerInfo();
    this.port = ((InetSocketAddress) listeners.get(0).getAddress()).getPort();
    this.managementPort =
        listeners.size() > 1 ? ((InetSocketAddress) listeners.get(1).getAddress()).getPort() : port;
    registerGauges(listeners.get(0).getConnectorStatistics(), rawStore, locker(lockerOrNull));
    expiry.start(scheduler, config.sweepInterval(), config.repairInterval());
    LOG.atInfo()
        .addKeyValue("event", "started")
        .addKeyValue("url", baseUri())
        .addKeyValue("management_port", managementPort)
        .addKeyValue("store", storeName(rawStore))
        .addKeyValue("locker", locker(lockerOrNull))
        .addKeyValue("extensions", String.join(",", ctx.extensions()))
        .log("tusk started");
  }

  /**
   * A builder for a server with {@code config}; {@link TuskServerBuilder#store} is required, every
   * other part has the default its setter names.
   */
  public static TuskServerBuilder builder(ServerConfig config) {
    return new TuskServerBuilder(config);
  }

  /** The port of the main listener. */
  public int port() {
    return port;
  }

  /** The port serving {@code /metrics} and {@code /health/*}: the management port, else the main one. */
  public int managementPort() {
    return managementPort;
  }

  /** {@code http://127.0.0.1:<port><basePath>} ({@code https} with TLS). */
  public URI baseUri() {
    return URI.create(config.scheme() + "://127.0.0.1:" + port + config.basePath());
  }

  /** Whether the store's calls are failing (readiness consults it). */
  public StoreHealth storeHealth() {
    return storeHealth;
  }

  /** The server's meters (also served at {@code /metrics}). */
  public TuskMetrics metrics() {
    return metrics;
  }

  /** Runs one expiry sweep now (as the schedule does); returns how many uploads were deleted. */
  public int sweepExpired() throws IOException {
    return expiry.sweepExpired();
  }

  /**
   * Runs one scan of the expiry index repair now (as the schedule does at start-up and every
   * {@link ServerConfig#repairInterval()}); returns how many missing entries it wrote.
   */
  public int repairExpiryIndex() throws IOException {
    return expiry.repairExpiryIndex();
  }

  /**
   * Stops gracefully within {@link ServerConfig#shutdownTimeout()}: new requests get 503 {@code
   * ERR_SERVER_SHUTDOWN} and readiness fails, every in-flight PATCH is asked to store what it has
   * received and end (its client resumes elsewhere), then the server waits for the requests in
   * flight and closes. Returns true if none was left when it closed. Idempotent.
   */
  public boolean shutdown() {
    return shutdown(config.shutdownTimeout());
  }

  /** As {@link #shutdown()} with another timeout. */
  public boolean shutdown(Duration timeout) {
    if (closed.get()) {
      return true;
    }
    LOG.atInfo().addKeyValue("event", "stopping").addKeyValue("requests", gate.active())
        .addKeyValue("bodies", inFlight.size()).addKeyValue("timeout", timeout).log("tusk stopping");
    gate.close();
    expiry.stopSweeps();
    inFlight.stopAll(ErrorCode.SERVER_SHUTDOWN);
    boolean drained;
    try {
      drained = gate.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    int left = gate.active();
    close();
    LOG.atInfo().addKeyValue("event", "stopped").addKeyValue("drained", drained)
        .addKeyValue("abandoned", left).log("tusk stopped");
    return drained;
  }

  /** Stops at once: open connections are closed. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    gate.close();
    undertow.stop();
    scheduler.shutdownNow();
    expiry.close();
    storage.shutdown();
    try {
      if (!storage.awaitTermination(5, TimeUnit.SECONDS)) {
        storage.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metrics.close();
    buffers.close(); // after the storage threads, which may still free a request's buffer
  }

  private void registerGauges(ConnectorStatistics connections, UploadStore store, String locker) {
    String version = TuskServer.class.getPackage().getImplementationVersion();
    metrics.info(version == null ? "development" : version, storeName(store), locker);
    if (connections != null) {
      metrics.gauge("tusk.connections.open", "Open client connections on the main listener.",
          connections::getActiveConnections);
    }
    metrics.gauge("tusk.requests.active", "tus requests being served.", gate::active);
    metrics.gauge("tusk.patches.in.flight",
        "Request bodies being written into uploads (PATCH and creation-with-upload).", inFlight::size);
    metrics.diskSpace(config.uploadDir());
    metrics.storeSinceSuccess(storeHealth::sinceLastSuccess);
  }

  /** {@code memory}, {@code redis}, ...: the locker's class name without {@code Locker}. */
  private static String locker(Locker lockerOrNull) {
    return lockerOrNull == null ? "memory" : shortName(lockerOrNull.getClass(), "Locker");
  }

  /** {@code fs}, {@code s3}, ...: the store's class name without {@code UploadStore}. */
  private static String storeName(UploadStore store) {
    return shortName(store.getClass(), "UploadStore");
  }

  private static String shortName(Class<?> type, String suffix) {
    String name = type.getSimpleName();
    return (name.endsWith(suffix) && name.length() > suffix.length()
        ? name.substring(0, name.length() - suffix.length()) : name).toLowerCase(java.util.Locale.ROOT);
  }

  private static ExecutorService storageExecutor(int threads) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), NamedThreads.daemon("storage"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
