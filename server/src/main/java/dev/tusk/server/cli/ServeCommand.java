package dev.tusk.server.cli;

import dev.tusk.core.Locker;
import dev.tusk.core.NamedThreads;
import dev.tusk.core.UploadStore;
import dev.tusk.locker.redis.RedisLocker;
import dev.tusk.server.TuskServer;
import dev.tusk.server.TuskServerBuilder;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.Security;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.hooks.HookPolicy;
import dev.tusk.server.hooks.Hooks;
import dev.tusk.server.hooks.HooksConfig;
import dev.tusk.server.logging.LogSetup;
import dev.tusk.server.metrics.TuskMetrics;
import dev.tusk.server.options.AuthConfigReader;
import dev.tusk.server.options.ConfigException;
import dev.tusk.server.options.HooksConfigReader;
import dev.tusk.server.options.ServerConfigReader;
import dev.tusk.server.options.ServerOptions;
import dev.tusk.server.options.Settings;
import dev.tusk.server.policy.UploadPolicies;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.store.fs.FsUploadStore;
import dev.tusk.store.s3.S3UploadStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tusk serve}: runs the server, with access control and hooks as configured, until SIGTERM
 * or SIGINT, then stops gracefully (see {@link TuskServer#shutdown()}), closes hooks, access
 * control, locker and store, and exits 0. Exit code 2 for an invalid configuration, 1 if the server
 * cannot start (port taken, store unusable).
 */
final class ServeCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private CommandSpec spec;

  ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  static CommandSpec spec(Map<String, String> env) {
    ServeCommand command = new ServeCommand(env);
    command.spec = OptionSpecs.command("serve", "Run the tus server.", command);
    return command.spec;
  }

  @Override
  public Integer call() throws Exception {
    Settings settings;
    ServerConfig config;
    HooksConfig hooksConfig;
    AuthConfig authConfig;
    try {
      settings = OptionSpecs.settings(spec.commandLine().getParseResult(), env);
      config = ServerConfigReader.from(settings);
      hooksConfig = HooksConfigReader.from(settings);
      authConfig = AuthConfigReader.from(settings);
    } catch (ConfigException e) {
      return OptionSpecs.invalid(e, spec.commandLine().getErr());
    }
    LogSetup.apply(settings.get(ServerOptions.LOG_FORMAT), settings.get(ServerOptions.LOG_LEVEL));
    Logger log = LoggerFactory.getLogger(ServeCommand.class);
    Clock clock = Clock.systemUTC();
    Deque<Object> opened = new ArrayDeque<>();
    UploadStore store;
    Locker locker;
    boolean s3 = settings.get(ServerOptions.STORE).equals("s3");
    try {
      store = s3
          ? S3UploadStore.create(ServerConfigReader.s3(settings), clock)
          : new FsUploadStore(config.uploadDir(), clock, config.fsync());
      opened.push(store);
    } catch (ConfigException e) {
      return OptionSpecs.invalid(e, spec.commandLine().getErr());
    } catch (IOException | RuntimeException e) {
      System.err.println("tusk: cannot open the " + (s3 ? "S3 store (bucket " + settings.get(ServerOptions.S3_BUCKET) + ")"
          : "store in " + settings.nameOf(ServerOptions.UPLOAD_DIR) + " '" + config.uploadDir() + "'") + ": " + e);
      return 1;
    }
    try {
      locker = settings.get(ServerOptions.LOCKER).equals("redis")
          ? RedisLocker.create(settings.get(ServerOptions.REDIS_URL).orElseThrow(), settings.get(ServerOptions.REDIS_LEASE))
          : null;
      if (locker != null) {
        opened.push(locker);
      }
    } catch (IllegalArgumentException e) {
      closeAll(opened);
      System.err.println("tusk: invalid " + settings.nameOf(ServerOptions.REDIS_URL) + " or "
          + settings.nameOf(ServerOptions.REDIS_LEASE) + ": " + e.getMessage());
      return 2;
    }
    TuskServer server;
    try {
      server = start(config, hooksConfig, authConfig, store, clock, locker, opened);
    } catch (IllegalArgumentException e) {
      closeAll(opened);
      System.err.println("tusk: invalid configuration: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      closeAll(opened);
      System.err.println("tusk: cannot start: " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
      return 1;
    }
    if (s3) {
      server.metrics().diskSpace(settings.get(ServerOptions.S3_TEMP_DIR));
    }
    Runtime.getRuntime().addShutdownHook(NamedThreads.nonDaemon("shutdown").newThread(() -> {
      server.shutdown();
      closeAll(opened);
      log.atInfo().addKeyValue("event", "exit").log("tusk exits");
      LogSetup.flush();
      System.out.flush();
      // SIGTERM/SIGINT would end the JVM with 143/130; a graceful stop exits 0
      Runtime.getRuntime().halt(0);
    }));
    Thread.currentThread().join();
    return 0;
  }

  /**
   * Starts access control, hooks (their meters on the server's registry) and the server; pushes
   * what it opened onto {@code opened}, which the caller closes after the server.
   */
  private static TuskServer start(
      ServerConfig config, HooksConfig hooksConfig, AuthConfig authConfig, UploadStore store, Clock clock,
      Locker locker, Deque<Object> opened) throws IOException {
    TuskMetrics metrics = new TuskMetrics();
    try {
      Security security = Security.create(authConfig, config, store, clock);
      opened.push(security);
      HookPolicy hooks = Hooks.create(hooksConfig, store, clock, metrics.registry());
      opened.push(hooks);
      // security first, so that hooks see the owner
      UploadPolicy policy = UploadPolicies.of(List.of(security.policy(), hooks));
      TuskServerBuilder server = TuskServer.builder(config).store(store).clock(clock).policy(policy)
          .filter(security.filter()).metrics(metrics);
      if (locker != null) { // else the in-memory one of a single instance
        server.locker(locker);
      }
      if (authConfig.protectMetrics() || authConfig.metricsKeySha256().isPresent()) {
        server.managementFilter(security::guardMetrics);
      }
      return server.start();
    } catch (IOException | RuntimeException e) {
      metrics.close();
      throw e;
    }
  }

  /** Closes what was opened, last first. */
  private static void closeAll(Deque<Object> opened) {
    while (!opened.isEmpty()) {
      closeQuietly(opened.pop());
    }
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // shutting down anyway
      }
    }
  }
}
