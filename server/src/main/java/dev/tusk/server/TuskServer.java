package dev.tusk.server;

import dev.tusk.core.Concatenator;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.Locker;
import dev.tusk.core.Terminator;
import dev.tusk.core.UploadLister;
import dev.tusk.core.UploadStore;
import dev.tusk.server.expiry.ExpirySweeper;
import dev.tusk.server.handlers.BufferPool;
import dev.tusk.server.handlers.TusContext;
import dev.tusk.server.lock.InMemoryLocker;
import dev.tusk.server.policy.UploadPolicy;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.util.function.UnaryOperator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * A running tusk server: Undertow, the storage executor, the locker and the expiry sweeper.
 * {@link #start} returns once the port is bound; {@link #close} stops everything.
 */
public final class TuskServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TuskServer.class);

  private final ServerConfig config;
  private final Undertow undertow;
  private final ExecutorService storage;
  private final ScheduledExecutorService scheduler;
  private final ExpirySweeper sweeper;
  private final int port;

  private TuskServer(
      ServerConfig config,
      UploadStore store,
      Clock clock,
      Locker lockerOrNull,
      UploadPolicy policy,
      UnaryOperator<HttpHandler> filter) {
    this.config = config;
    this.storage = storageExecutor(config.storageThreads());
    this.scheduler = new ScheduledThreadPoolExecutor(1, named("tusk-scheduler"));
    Locker locker = lockerOrNull != null ? lockerOrNull : new InMemoryLocker(scheduler);
    UploadService uploads = new UploadService(store, clock, locker, config.lockWait());
    TusContext ctx =
        new TusContext(
            config, uploads, locker, storage, new BufferPool(256 * 1024, 64, 256), extensions(store),
            policy);
    this.sweeper =
        store instanceof UploadLister lister && store instanceof Terminator terminator
            ? new ExpirySweeper(uploads, lister, terminator, locker, config.lockWait(), policy)
            : null;
    this.undertow =
        Undertow.builder()
            .addHttpListener(config.port(), config.host())
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerThreads(4)
            .setBufferSize(64 * 1024)
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
            .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 120_000)
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
            .setSocketOption(Options.READ_TIMEOUT, (int) config.readTimeout().toMillis())
            .setHandler(HandlerChain.build(ctx, filter))
            .build();
    undertow.start();
    this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    if (sweeper != null) {
      long every = config.sweepInterval().toMillis();
      scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    LOG.info("event=started port={} basePath={} extensions={}", port, config.basePath(), ctx.extensions());
  }

  /** Starts a server with the in-memory locker. */
  public static TuskServer start(ServerConfig config, UploadStore store, Clock clock) {
    return new TuskServer(config, store, clock, null, UploadPolicy.NONE, UnaryOperator.identity());
  }

  /** Starts a server with the given locker (the Redis locker of a fleet). */
  public static TuskServer start(ServerConfig config, UploadStore store, Clock clock, Locker locker) {
    return new TuskServer(config, store, clock, locker, UploadPolicy.NONE, UnaryOperator.identity());
  }

  /**
   * Starts a server with the given locker (null for the in-memory one) and policy (hooks, access
   * control; {@link UploadPolicy#NONE} for none).
   */
  public static TuskServer start(
      ServerConfig config, UploadStore store, Clock clock, Locker locker, UploadPolicy policy) {
    return new TuskServer(config, store, clock, locker, policy, UnaryOperator.identity());
  }

  /**
   * As above, with a filter that wraps the tus handlers inside CORS and method override (where
   * authentication and rate limits go; CORS preflights never reach it).
   */
  public static TuskServer start(
      ServerConfig config,
      UploadStore store,
      Clock clock,
      Locker locker,
      UploadPolicy policy,
      UnaryOperator<HttpHandler> filter) {
    return new TuskServer(config, store, clock, locker, policy, filter);
  }

  /** The tus extensions the store allows, in the order they are advertised. */
  static List<String> extensions(UploadStore store) {
    List<String> ext = new ArrayList<>(List.of("creation", "creation-with-upload"));
    if (store instanceof LengthDeferrer) {
      ext.add("creation-defer-length");
    }
    if (store instanceof Terminator) {
      ext.add("termination");
    }
    if (store instanceof Concatenator) {
      ext.add("concatenation");
      ext.add("concatenation-unfinished");
    }
    ext.add("checksum");
    ext.add("checksum-trailer");
    ext.add("expiration");
    return ext;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port><basePath>} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port + config.basePath());
  }

  /** Runs one expiry sweep now; returns how many uploads were deleted. */
  public int sweepExpired() throws IOException {
    return sweeper == null ? 0 : sweeper.sweepOnce();
  }

  private void sweepQuietly() {
    try {
      sweeper.sweepOnce();
    } catch (Exception e) {
      LOG.warn("event=sweep_failed error={}", e.toString());
    }
  }

  @Override
  public void close() {
    undertow.stop();
    scheduler.shutdownNow();
    storage.shutdown();
    try {
      if (!storage.awaitTermination(5, TimeUnit.SECONDS)) {
        storage.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ExecutorService storageExecutor(int threads) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named("tusk-storage"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
