package dev.tusk.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the server needs to know at start-up. Defaults are tusd's where tusd has one, so tusk
 * is a drop-in replacement: port 8080, base path {@code /files/}, uploads under {@code ./data}.
 * The command line builds it from flags, {@code TUSK_*} variables and the YAML file (see {@code
 * dev.tusk.server.options.ServerOptions}); embedders start from {@link #defaults()} and change what
 * differs with the {@code with*} methods or a {@link Builder}.
 *
 * <p>Longer than most files on purpose: one value with every server setting, its validation and
 * its builder, so that an option is added in one place; the option declarations and their parsing
 * live in {@code config/ServerOptions} and {@code config/ServerConfigReader}.
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
 * @param repairInterval how often the store's expiry index is checked against every stored upload
 * @param readTimeout a request body that stalls longer than this is ended, its bytes kept
 * @param storageThreads threads that run blocking storage work
 * @param fsync whether the filesystem store forces data to disk before acknowledging
 * @param writeTimeout a response the client stops reading for this long is ended
 * @param idleTimeout a keep-alive connection without a request for this long is closed
 * @param maxHeaderSize the largest request header block accepted, in bytes
 * @param tls the PEM certificate chain and key to serve HTTPS with; empty for plain HTTP
 * @param http2 offer HTTP/2 (ALPN {@code h2}) on the TLS listener
 * @param h2c accept HTTP/2 over plain HTTP ({@code Upgrade: h2c}) on a listener without TLS
 * @param shutdownTimeout how long a graceful stop waits for in-flight requests
 * @param metricsEnabled serve {@code /metrics}
 * @param metricsPort a separate plain-HTTP management port for {@code /metrics} and {@code
 *     /health/*} (0 picks a free one); empty serves them on the main listener
 * @param logRequests log one line per request (logger {@code tusk.request})
 * @param page the upload page served beside the upload collection
 * @param rufh Resumable Uploads for HTTP beside tus 1.0 on the same collection
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
    Duration repairInterval,
    Duration readTimeout,
    int storageThreads,
    boolean fsync,
    Duration writeTimeout,
    Duration idleTimeout,
    int maxHeaderSize,
    Optional<Tls> tls,
    boolean http2,
    boolean h2c,
    Duration shutdownTimeout,
    boolean metricsEnabled,
    OptionalInt metricsPort,
    boolean logRequests,
    Page page,
    Rufh rufh) {

  /**
   * Resumable Uploads for HTTP (the IETF draft, interop versions 3 to 9).
   *
   * @param enabled answer requests that speak the draft; off, they are treated as tus requests
   * @param progressInterval how often a long append reports its offset in a 104 interim response;
   *     zero sends none
   * @param interim send 104 interim responses at all (the upload's URL at creation, progress); off
   *     behind a proxy that takes a 1xx for the final response
   */
  public record Rufh(boolean enabled, Duration progressInterval, boolean interim) {
    public Rufh {
      if (progressInterval == null || progressInterval.isNegative()) {
        throw new IllegalArgumentException(
            "rufh progress interval must be >= 0, was " + progressInterval);
      }
    }

    /** With 104 interim responses. */
    public Rufh(boolean enabled, Duration progressInterval) {
      this(enabled, progressInterval, true);
    }

    /** On, with 104 interim responses and a progress report every 5 seconds. */
    public static Rufh defaults() {
      return new Rufh(true, Duration.ofSeconds(5), true);
    }
  }

  /**
   * The browser upload page.
   *
   * @param enabled serve it
   * @param path where it lives, with leading and trailing slash; outside the base path
   * @param chunkSize the page's PATCH size in bytes; 0 sends each file in one PATCH
   */
  public record Page(boolean enabled, String path, long chunkSize) {
    public Page {
      path = normalizeBasePath(path == null || path.isBlank() ? "/" : path);
      if (chunkSize < 0) {
        throw new IllegalArgumentException("page chunk size must be >= 0, was " + chunkSize);
      }
    }

    /** The page at {@code /}, one PATCH per file. */
    public static Page defaults() {
      return new Page(true, "/", 0);
    }
  }

  /** A PEM certificate chain (leaf first) and its unencrypted PKCS#8 or PKCS#1 private key. */
  public record Tls(Path certificate, Path privateKey) {
    public Tls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }

  public ServerConfig {
    basePath = normalizeBasePath(basePath);
    corsOrigins = List.copyOf(corsOrigins);
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(uploadDir, "uploadDir");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(metricsPort, "metricsPort");
    requirePort("port", port);
    if (metricsPort.isPresent()) {
      requirePort("metrics port", metricsPort.getAsInt());
      if (port != 0 && metricsPort.getAsInt() == port) {
        throw new IllegalArgumentException("metrics port must differ from port " + port);
      }
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
    requirePositive("repair interval", repairInterval);
    requirePositive("read timeout", readTimeout);
    requirePositive("write timeout", writeTimeout);
    requirePositive("idle timeout", idleTimeout);
    requirePositive("shutdown timeout", shutdownTimeout);
    if (storageThreads < 1) {
      throw new IllegalArgumentException("storage threads must be >= 1, was " + storageThreads);
    }
    Objects.requireNonNull(page, "page");
    Objects.requireNonNull(rufh, "rufh");
    if (page.enabled() && page.path().startsWith(basePath)) {
      throw new IllegalArgumentException(
          "page path " + page.path() + " must lie outside base path " + basePath);
    }
    if (maxHeaderSize < 1024) {
      throw new IllegalArgumentException("max header size must be >= 1KiB, was " + maxHeaderSize);
    }
  }

  public static ServerConfig defaults() {
    return new Builder().build();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The scheme of the main listener. */
  public String scheme() {
    return tls.isPresent() ? "https" : "http";
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

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  public ServerConfig withHost(String v) {
    return toBuilder().host(v).build();
  }

  public ServerConfig withPort(int v) {
    return toBuilder().port(v).build();
  }

  public ServerConfig withBasePath(String v) {
    return toBuilder().basePath(v).build();
  }

  public ServerConfig withUploadDir(Path v) {
    return toBuilder().uploadDir(v).build();
  }

  public ServerConfig withMaxSize(long v) {
    return toBuilder().maxSize(v).build();
  }

  public ServerConfig withTtl(Duration defaultTtl, Duration maxTtl) {
    return toBuilder().defaultTtl(defaultTtl).maxTtl(maxTtl).build();
  }

  public ServerConfig withCorsOrigins(List<String> v) {
    return toBuilder().corsOrigins(v).build();
  }

  public ServerConfig withBehindProxy(boolean v) {
    return toBuilder().behindProxy(v).build();
  }

  public ServerConfig withLockWait(Duration v) {
    return toBuilder().lockWait(v).build();
  }

  public ServerConfig withSweepInterval(Duration v) {
    return toBuilder().sweepInterval(v).build();
  }

  public ServerConfig withRepairInterval(Duration v) {
    return toBuilder().repairInterval(v).build();
  }

  public ServerConfig withReadTimeout(Duration v) {
    return toBuilder().readTimeout(v).build();
  }

  public ServerConfig withFsync(boolean v) {
    return toBuilder().fsync(v).build();
  }

  public ServerConfig withTls(Tls v) {
    return toBuilder().tls(Optional.of(v)).build();
  }

  public ServerConfig withMetricsPort(int v) {
    return toBuilder().metricsPort(OptionalInt.of(v)).build();
  }

  public ServerConfig withPage(Page v) {
    return toBuilder().page(v).build();
  }

  public ServerConfig withRufh(Rufh v) {
    return toBuilder().rufh(v).build();
  }

  public ServerConfig withShutdownTimeout(Duration v) {
    return toBuilder().shutdownTimeout(v).build();
  }

  /** Collects values for a {@link ServerConfig}; starts from the defaults. Not thread-safe. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private String basePath = "/files/";
    private Path uploadDir = Path.of("data");
    private long maxSize;
    private Duration defaultTtl = Duration.ofHours(24);
    private Duration maxTtl = Duration.ofDays(7);
    private List<String> corsOrigins = List.of("*");
    private boolean behindProxy;
    private Duration lockWait = Duration.ofSeconds(3);
    private Duration sweepInterval = Duration.ofMinutes(1);
    private Duration repairInterval = Duration.ofDays(1);
    private Duration readTimeout = Duration.ofSeconds(60);
    private int storageThreads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    private boolean fsync;
    private Duration writeTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(120);
    private int maxHeaderSize = 64 * 1024;
    private Optional<Tls> tls = Optional.empty();
    private boolean http2 = true;
    private boolean h2c;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private boolean metricsEnabled = true;
    private OptionalInt metricsPort = OptionalInt.empty();
    private boolean logRequests = true;
    private Page page = Page.defaults();
    private Rufh rufh = Rufh.defaults();

    public Builder() {}

    private Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      basePath = c.basePath;
      uploadDir = c.uploadDir;
      maxSize = c.maxSize;
      defaultTtl = c.defaultTtl;
      maxTtl = c.maxTtl;
      corsOrigins = c.corsOrigins;
      behindProxy = c.behindProxy;
      lockWait = c.lockWait;
      sweepInterval = c.sweepInterval;
      repairInterval = c.repairInterval;
      readTimeout = c.readTimeout;
      storageThreads = c.storageThreads;
      fsync = c.fsync;
      writeTimeout = c.writeTimeout;
      idleTimeout = c.idleTimeout;
      maxHeaderSize = c.maxHeaderSize;
      tls = c.tls;
      http2 = c.http2;
      h2c = c.h2c;
      shutdownTimeout = c.shutdownTimeout;
      metricsEnabled = c.metricsEnabled;
      metricsPort = c.metricsPort;
      logRequests = c.logRequests;
      page = c.page;
      rufh = c.rufh;
    }

    public Builder host(String v) { host = v; return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder basePath(String v) { basePath = v; return this; }
    public Builder uploadDir(Path v) { uploadDir = v; return this; }
    public Builder maxSize(long v) { maxSize = v; return this; }
    public Builder defaultTtl(Duration v) { defaultTtl = v; return this; }
    public Builder maxTtl(Duration v) { maxTtl = v; return this; }
    public Builder corsOrigins(List<String> v) { corsOrigins = v; return this; }
    public Builder behindProxy(boolean v) { behindProxy = v; return this; }
    public Builder lockWait(Duration v) { lockWait = v; return this; }
    public Builder sweepInterval(Duration v) { sweepInterval = v; return this; }
    public Builder repairInterval(Duration v) { repairInterval = v; return this; }
    public Builder readTimeout(Duration v) { readTimeout = v; return this; }
    public Builder storageThreads(int v) { storageThreads = v; return this; }
    public Builder fsync(boolean v) { fsync = v; return this; }
    public Builder writeTimeout(Duration v) { writeTimeout = v; return this; }
    public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
    public Builder maxHeaderSize(int v) { maxHeaderSize = v; return this; }
    public Builder tls(Optional<Tls> v) { tls = v; return this; }
    public Builder http2(boolean v) { http2 = v; return this; }
    public Builder h2c(boolean v) { h2c = v; return this; }
    public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
    public Builder metricsEnabled(boolean v) { metricsEnabled = v; return this; }
    public Builder metricsPort(OptionalInt v) { metricsPort = v; return this; }
    public Builder logRequests(boolean v) { logRequests = v; return this; }
    public Builder page(Page v) { page = v; return this; }
    public Builder rufh(Rufh v) { rufh = v; return this; }

    /** Validates and returns the configuration; throws {@link IllegalArgumentException}. */
    public ServerConfig build() {
      return new ServerConfig(
          host, port, basePath, uploadDir, maxSize, defaultTtl, maxTtl, corsOrigins, behindProxy,
          lockWait, sweepInterval, repairInterval, readTimeout, storageThreads, fsync, writeTimeout, idleTimeout,
          maxHeaderSize, tls, http2, h2c, shutdownTimeout, metricsEnabled, metricsPort,
          logRequests, page, rufh);
    }
  }
}
