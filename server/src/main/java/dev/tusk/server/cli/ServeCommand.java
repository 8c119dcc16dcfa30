package dev.tusk.server.cli;

import dev.tusk.server.ServerConfig;
import dev.tusk.server.TuskServer;
import dev.tusk.store.fs.FsUploadStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tusk serve}: runs the server until SIGTERM or SIGINT. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the tus server. Every option can also be set as an environment variable TUSK_<NAME>.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "${env:TUSK_HOST:-0.0.0.0}", description = "Listen address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "${env:TUSK_PORT:-8080}", description = "Listen port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--base-path", defaultValue = "${env:TUSK_BASE_PATH:-/files/}", description = "URL path of the upload collection (default: ${DEFAULT-VALUE}).")
  String basePath;

  @Option(names = "--upload-dir", defaultValue = "${env:TUSK_UPLOAD_DIR:-./data}", description = "Directory of the filesystem store (default: ${DEFAULT-VALUE}).")
  Path uploadDir;

  @Option(names = "--max-size", defaultValue = "${env:TUSK_MAX_SIZE:-0}", description = "Largest upload accepted, e.g. 10GiB; 0 = no limit (default: ${DEFAULT-VALUE}).")
  String maxSize;

  @Option(names = "--ttl", defaultValue = "${env:TUSK_TTL:-24h}", description = "Default time to live of an upload (default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(names = "--max-ttl", defaultValue = "${env:TUSK_MAX_TTL:-7d}", description = "Longest time to live a client may ask for (default: ${DEFAULT-VALUE}).")
  String maxTtl;

  @Option(names = "--cors-origins", defaultValue = "${env:TUSK_CORS_ORIGINS:-*}", description = "Comma-separated allowed CORS origins; * = any; empty = CORS off (default: ${DEFAULT-VALUE}).")
  String corsOrigins;

  @Option(names = "--behind-proxy", defaultValue = "${env:TUSK_BEHIND_PROXY:-false}", description = "Honour X-Forwarded-Host/Proto and Forwarded in Location (default: ${DEFAULT-VALUE}).")
  boolean behindProxy;

  @Option(names = "--lock-wait", defaultValue = "${env:TUSK_LOCK_WAIT:-3s}", description = "How long a request waits for the upload's current holder to let go before 423 (default: ${DEFAULT-VALUE}).")
  String lockWait;

  @Option(names = "--sweep-interval", defaultValue = "${env:TUSK_SWEEP_INTERVAL:-1m}", description = "How often expired uploads are deleted (default: ${DEFAULT-VALUE}).")
  String sweepInterval;

  @Option(names = "--read-timeout", defaultValue = "${env:TUSK_READ_TIMEOUT:-60s}", description = "A request body stalled this long is ended; its bytes are kept (default: ${DEFAULT-VALUE}).")
  String readTimeout;

  @Option(names = "--fsync", defaultValue = "${env:TUSK_FSYNC:-false}", description = "Force data to disk before acknowledging a PATCH (survives power loss; slower) (default: ${DEFAULT-VALUE}).")
  boolean fsync;

  ServerConfig config() {
    ServerConfig d = ServerConfig.defaults();
    List<String> origins =
        Arrays.stream(corsOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new ServerConfig(
        host, port, basePath, uploadDir, Values.size(maxSize), Values.duration(ttl),
        Values.duration(maxTtl), origins, behindProxy, Values.duration(lockWait),
        Values.duration(sweepInterval), Values.duration(readTimeout), d.storageThreads(), fsync);
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("tusk: invalid configuration: " + e.getMessage());
      return 2;
    }
    Clock clock = Clock.systemUTC();
    FsUploadStore store = new FsUploadStore(config.uploadDir(), clock, config.fsync());
    TuskServer server = TuskServer.start(config, store, clock);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "tusk-shutdown"));
    System.out.println("tusk listening on http://" + config.host() + ":" + server.port() + config.basePath());
    stopped.await();
    return 0;
  }
}
