package dev.tusk.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the server needs to know at start-up. Defaults are tusd's where tusd has one, so tusk
 * is a drop-in replacement: port 8080, base path {@code /files/}, uploads under {@code ./data}.
 *
 * @param host the listen address
 * @param port the listen port; 0 picks a free one
 * @param basePath where uploads live, with leading and trailing slash
 * @param uploadDir the filesystem store's directory
 * @param maxSize the largest upload accepted, in bytes; 0 for no limit
 * @param defaultTtl how long an upload lives when the client asks for nothing else
 * @param maxTtl the longest time to live a client may ask for
 * @param corsOrigins origins allowed by CORS; {@code *} allows every origin, empty disables CORS
 * @param behindProxy honour X-Forwarded-Host/Proto and Forwarded when building URLs
 * @param lockWait how long a request waits for another holder of its upload to let go (then 423)
 * @param sweepInterval how often expired uploads are deleted
 * @param readTimeout a request body that stalls longer than this is ended, its bytes kept
 * @param storageThreads threads that run blocking storage work
 * @param fsync whether the filesystem store forces data to disk before acknowledging
 */
public record ServerConfig(
    String host,
    int port,
    String basePath,
    Path uploadDir,
    long maxSize,
    Duration defaultTtl,
    Duration maxTtl,
    List<String> corsOrigins,
    boolean behindProxy,
    Duration lockWait,
    Duration sweepInterval,
    Duration readTimeout,
    int storageThreads,
    boolean fsync) {

  public ServerConfig {
    basePath = normalizeBasePath(basePath);
    corsOrigins = List.copyOf(corsOrigins);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (maxSize < 0) {
      throw new IllegalArgumentException("max size must be >= 0, was " + maxSize);
    }
    requirePositive("default TTL", defaultTtl);
    requirePositive("max TTL", maxTtl);
    if (defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException(
          "default TTL " + defaultTtl + " is longer than max TTL " + maxTtl);
    }
    requirePositive("lock wait", lockWait);
    requirePositive("sweep interval", sweepInterval);
    requirePositive("read timeout", readTimeout);
    if (storageThreads < 1) {
      throw new IllegalArgumentException("storage threads must be >= 1, was " + storageThreads);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        "0.0.0.0",
        8080,
        "/files/",
        Path.of("data"),
        0,
        Duration.ofHours(24),
        Duration.ofDays(7),
        List.of("*"),
        false,
        Duration.ofSeconds(3),
        Duration.ofMinutes(1),
        Duration.ofSeconds(60),
        Math.max(8, 4 * Runtime.getRuntime().availableProcessors()),
        false);
  }

  static String normalizeBasePath(String path) {
    String p = path == null || path.isBlank() ? "/files/" : path.trim();
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    if (!p.endsWith("/")) {
      p = p + "/";
    }
    return p;
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  public ServerConfig withHost(String v) {
    return new ServerConfig(v, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl, corsOrigins,
        behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withPort(int v) {
    return new ServerConfig(host, v, basePath, uploadDir, maxSize, defaultTtl, maxTtl, corsOrigins,
        behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withBasePath(String v) {
    return new ServerConfig(host, port, v, uploadDir, maxSize, defaultTtl, maxTtl, corsOrigins,
        behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withUploadDir(Path v) {
    return new ServerConfig(host, port, basePath, v, maxSize, defaultTtl, maxTtl, corsOrigins,
        behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withMaxSize(long v) {
    return new ServerConfig(host, port, basePath, uploadDir, v, defaultTtl, maxTtl, corsOrigins,
        behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withTtl(Duration defaultTtl, Duration maxTtl) {
    return new ServerConfig(host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl,
        corsOrigins, behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withCorsOrigins(List<String> v) {
    return new ServerConfig(host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl, v,
        behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withBehindProxy(boolean v) {
    return new ServerConfig(host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl,
        corsOrigins, v, lockWait, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withLockWait(Duration v) {
    return new ServerConfig(host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl,
        corsOrigins, behindProxy, v, sweepInterval, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withSweepInterval(Duration v) {
    return new ServerConfig(host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl,
        corsOrigins, behindProxy, lockWait, v, readTimeout, storageThreads, fsync);
  }

  public ServerConfig withReadTimeout(Duration v) {
    return new ServerConfig(host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl,
        corsOrigins, behindProxy, lockWait, sweepInterval, v, storageThreads, fsync);
  }

  public ServerConfig withFsync(boolean v) {
    return new ServerConfig(host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl,
        corsOrigins, behindProxy, lockWait, sweepInterval, readTimeout, storageThreads, v);
  }
}
