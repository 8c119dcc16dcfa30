package dev.tusk.server;

import dev.tusk.core.Locker;
import dev.tusk.core.UploadStore;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.metrics.TuskMetrics;
import dev.tusk.server.policy.UploadPolicy;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a {@link TuskServer} is made of, from {@link TuskServer#builder}: the configuration and the
 * store (required), and the parts with a default, each named by its setter. {@link #start} binds
 * the ports. Not thread-safe.
 *
 * <pre>{@code
 * TuskServer server = TuskServer.builder(config).store(store).locker(redis).policy(hooks).start();
 * }</pre>
 */
public final class TuskServerBuilder {
  private final ServerConfig config;
  private UploadStore store;
  private Clock clock = Clock.systemUTC();
  private Locker locker;
  private UploadPolicy policy = UploadPolicy.NONE;
  private UnaryOperator<HttpHandler> filter = UnaryOperator.identity();
  private TuskMetrics metrics;
  private UnaryOperator<HttpHandler> managementFilter = UnaryOperator.identity();

  TuskServerBuilder(ServerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Where uploads live (required). It stays the caller's to close. */
  public TuskServerBuilder store(UploadStore store) {
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /** The time of expiry, {@code Upload-Expires} and the meters; default {@link Clock#systemUTC()}. */
  public TuskServerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The locker (the Redis locker of a fleet), which stays the caller's to close; default an
   * in-memory locker the server makes and stops, right for a single instance.
   */
  public TuskServerBuilder locker(Locker locker) {
    this.locker = Objects.requireNonNull(locker, "locker");
    return this;
  }

  /** Hooks, access control ({@code UploadPolicies.of} composes several); default {@link UploadPolicy#NONE}. */
  public TuskServerBuilder policy(UploadPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Wraps the tus handlers inside CORS and method override, where authentication and rate
   * limits go (CORS preflights never reach it); default none.
   */
  public TuskServerBuilder filter(UnaryOperator<HttpHandler> filter) {
    this.filter = Objects.requireNonNull(filter, "filter");
    return this;
  }

  /**
   * Where the server publishes its meters, created first so that components built before the
   * server (hooks) can register theirs on {@link TuskMetrics#registry()}; the server closes it.
   * Default a new one.
   */
  public TuskServerBuilder metrics(TuskMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /**
   * Wraps the handler that answers {@code /metrics} and {@code /health/*} (in front of the tus
   * handlers, or alone on the management listener), which {@link #filter} never sees: how access
   * control guards {@code /metrics}. Default none.
   */
  public TuskServerBuilder managementFilter(UnaryOperator<HttpHandler> managementFilter) {
    this.managementFilter = Objects.requireNonNull(managementFilter, "managementFilter");
    return this;
  }

  /** Starts the server; returns once its ports are bound. */
  public TuskServer start() {
    if (store == null) {
      throw new IllegalStateException("a store is required: call store(...) before start()");
    }
    return new TuskServer(config, store, clock, locker, policy, filter,
        metrics != null ? metrics : new TuskMetrics(), managementFilter);
  }
}
