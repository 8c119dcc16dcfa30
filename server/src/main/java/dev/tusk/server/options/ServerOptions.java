package dev.tusk.server.options;

import static dev.tusk.server.options.OptionKinds.*;

import dev.tusk.server.options.Option.Display;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The declarations of the server's options, and the table of every option. Each trio of classes
 * reads the same way: {@code *Options} declares the options, {@code *ConfigReader} turns {@link
 * Settings} into the validated config value ({@link ServerConfigReader} into {@link
 * dev.tusk.server.config.ServerConfig}, {@link HooksConfigReader}, {@link AuthConfigReader}).
 *
 * <p>The table of every option: key, type, default, description, secrecy and parser. Flags, {@code
 * TUSK_*} variables, the YAML file, {@code tusk config}, {@code config/tusk.yaml} and
 * docs/operations.md all follow this table (a test checks the last two). The hook and
 * access-control options live in {@link HooksOptions} and {@link AuthOptions}.
 */
public final class ServerOptions {
  private ServerOptions() {}

  // -- listener
  public static final Option<String> HOST =
      string("host", "0.0.0.0", "Listen address of the main listener.");
  public static final Option<Integer> PORT =
      integer("port", "8080", 0, 65_535, "Listen port; 0 picks a free one.");
  public static final Option<String> BASE_PATH =
      string("base-path", "/files/", "URL path of the upload collection; /metrics and /health/* live beside it.");
  public static final Option<Boolean> BEHIND_PROXY =
      bool("behind-proxy", "false", "Trust X-Forwarded-Host/Proto and Forwarded when building upload URLs.");
  public static final Option<List<String>> CORS_ORIGINS =
      new Option<>("cors-origins", "*", "list",
          "Comma-separated origins allowed by CORS; * allows any; empty turns CORS off.",
          Values::list, Display.PLAIN, false);

  // -- uploads
  public static final Option<Long> MAX_SIZE =
      size("max-size", "0", "Largest upload accepted (e.g. 10GiB); 0 = no limit.");
  public static final Option<Duration> TTL =
      ttl("ttl", "24h", "Time to live of an upload when the client asks for none; never keeps uploads until deleted.");
  public static final Option<Duration> MAX_TTL =
      ttl("max-ttl", "7d", "Longest time to live a client may ask for; never lets clients ask up to 100 years.");
  public static final Option<Duration> LOCK_WAIT =
      duration("lock-wait", "3s", "How long a request waits for the upload's current holder to let go before 423.");
  public static final Option<Duration> SWEEP_INTERVAL =
      duration("sweep-interval", "1m", "How often expired uploads are deleted.");
  public static final Option<Duration> REPAIR_INTERVAL =
      duration("expiry.repair-interval", "1d",
          "How often every stored upload is checked for a missing expiry index entry (also once at start-up, in the background).");

  // -- storage
  public static final Option<String> STORE =
      choice("store", "fs", List.of("fs", "s3"),
          "Where uploads are stored: fs (upload-dir) or s3 (an S3-compatible bucket, s3.*).");
  public static final Option<Path> UPLOAD_DIR =
      new Option<>("upload-dir", "./data", "path", "Directory of the filesystem store.",
          OptionKinds::requiredPath, Display.PLAIN, false);
  public static final Option<Boolean> FSYNC =
      bool("fsync", "false", "Force data to disk before acknowledging a PATCH (survives power loss; slower).");
  public static final Option<Duration> STORE_TIMEOUT =
      duration("store-timeout", "10s",
          "Longest one store call may wait on S3, all its requests and retries together (a part"
              + " upload may take it per 8 MiB); a slower one fails with 503 ERR_STORAGE_UNAVAILABLE.");
  public static final Option<Integer> STORAGE_THREADS =
      new Option<>("storage-threads", "auto", "integer",
          "Threads for blocking storage work, including moving request bodies while their bytes are"
              + " waiting (a silent client holds none); auto = 4 per CPU, at least 8.",
          raw -> raw.trim().equalsIgnoreCase("auto")
              ? Math.max(8, 4 * Runtime.getRuntime().availableProcessors())
              : Values.integer(raw, 1, 4096),
          Display.PLAIN, false);

  // -- S3 store (store: s3)
  public static final Option<Optional<URI>> S3_ENDPOINT =
      new Option<>("s3.endpoint", "", "url",
          "S3 endpoint for MinIO, Ceph RGW, R2, S3Proxy...; empty = AWS S3 of s3.region.",
          raw -> raw.isBlank() ? Optional.empty() : Optional.of(Values.uri(raw, List.of("http", "https"))),
          Display.URL_WITH_PASSWORD, false);
  public static final Option<String> S3_REGION =
      string("s3.region", "us-east-1", "Signing region (auto for R2; anything for most self-hosted servers).");
  public static final Option<String> S3_BUCKET =
      string("s3.bucket", "", "Bucket of the uploads; must exist. Required with store: s3.");
  public static final Option<String> S3_PREFIX =
      string("s3.prefix", "", "Prefix of every object key, e.g. uploads/.");
  public static final Option<String> S3_INFO_PREFIX =
      string("s3.info-prefix", "", "Prefix of the .info and .part objects; empty = s3.prefix.");
  public static final Option<Boolean> S3_PATH_STYLE =
      bool("s3.path-style", "false", "Path-style URLs (endpoint/bucket/key), which MinIO, Ceph and S3Proxy usually need.");
  public static final Option<String> S3_ACCESS_KEY =
      string("s3.access-key", "", "Access key id; empty = the AWS default chain (AWS_* variables, profile, instance role).");
  public static final Option<String> S3_SECRET_KEY =
      new Option<>("s3.secret-key", "", "string", "Secret access key of s3.access-key.",
          Function.identity(), Display.SECRET, false);
  public static final Option<String> S3_CHECKSUM_MODE =
      choice("s3.checksum-mode", "when_supported", List.of("when_supported", "when_required"),
          "Request checksums: when_supported (AWS, recent MinIO, R2) or when_required (older S3-compatible servers).");
  public static final Option<Long> S3_PART_SIZE =
      size("s3.part-size", "16MiB", "Preferred multipart part size (5MiB..5GiB).");
  public static final Option<Integer> S3_PARTS_IN_FLIGHT =
      integer("s3.parts-in-flight", "4", 1, 64, "Parts of one upload being uploaded at once.");
  public static final Option<Path> S3_TEMP_DIR =
      new Option<>("s3.temp-dir", System.getProperty("java.io.tmpdir") + "/tusk-s3", "path",
          "Where parts are buffered before upload; owned by this process (emptied at start-up).",
          OptionKinds::requiredPath, Display.PLAIN, false);
  public static final Option<Long> S3_TEMP_BUDGET =
      size("s3.temp-budget", "1GiB", "Most bytes all part buffers may take in s3.temp-dir together.");
  public static final Option<String> S3_OFFSET_CACHE =
      choice("s3.offset-cache", "auto", List.of("auto", "true", "false"),
          "Cache upload offsets in memory (HEAD without S3 calls) and the `.part` records this process"
              + " wrote (a PATCH opens without a HEAD of `.part`); auto = on unless locker is redis"
              + " (a fleet).");

  // -- locking
  public static final Option<String> LOCKER =
      choice("locker", "memory", List.of("memory", "redis"),
          "One writer per upload: memory (one process) or redis (a fleet sharing redis.url).");
  public static final Option<Optional<URI>> REDIS_URL =
      new Option<>("redis.url", "", "url",
          "Redis for locker: redis, e.g. redis://:password@redis:6379/0 (password masked in output).",
          raw -> raw.isBlank() ? Optional.empty() : Optional.of(Values.uri(raw, List.of("redis", "rediss"))),
          Display.URL_WITH_PASSWORD, false);
  public static final Option<Duration> REDIS_LEASE =
      duration("redis.lease", "10s", "Lease of a Redis lock; renewed while held, expires if its holder dies.");

  // -- network
  public static final Option<Duration> READ_TIMEOUT =
      duration("read-timeout", "60s", "A request body stalled this long is ended; its bytes are kept.");
  public static final Option<Duration> WRITE_TIMEOUT =
      duration("write-timeout", "60s", "A response the client stops reading for this long is ended.");
  public static final Option<Duration> IDLE_TIMEOUT =
      duration("idle-timeout", "120s", "A keep-alive connection without a request this long is closed.");
  public static final Option<Integer> MAX_HEADER_SIZE =
      new Option<>("max-header-size", "64KiB", "size",
          "Largest request header block accepted (1KiB..16MiB); larger requests are rejected.",
          raw -> (int) bounded(Values.size(raw), 1024, 16L << 20, raw), Display.PLAIN, false);
  public static final Option<Optional<Path>> TLS_CERT =
      optionalPath("tls.cert", "PEM certificate chain (leaf first); serves HTTPS when set with tls.key.");
  public static final Option<Optional<Path>> TLS_KEY =
      optionalPath("tls.key", "PEM private key (PKCS#8 or PKCS#1 RSA, unencrypted) of tls.cert.");
  public static final Option<Boolean> HTTP2 =
      bool("http2", "true", "Offer HTTP/2 (ALPN h2) on the TLS listener.");
  public static final Option<Boolean> H2C =
      bool("h2c", "false", "Accept cleartext HTTP/2 (Upgrade: h2c) when TLS is off.");
  public static final Option<Duration> SHUTDOWN_TIMEOUT =
      duration("shutdown-timeout", "10s",
          "On SIGTERM/SIGINT, how long in-flight requests get to finish before the process exits.");

  // -- upload page
  public static final Option<Boolean> PAGE_ENABLED =
      bool("page.enabled", "true", "Serve the browser upload page (Uppy) at page.path.");
  public static final Option<String> PAGE_PATH =
      string("page.path", "/", "URL path of the upload page; must lie outside base-path.");
  public static final Option<Long> PAGE_CHUNK_SIZE =
      size("page.chunk-size", "0", "Bytes per PATCH the page sends (e.g. 8MiB); 0 = each file in one PATCH.");

  // -- Resumable Uploads for HTTP
  public static final Option<Boolean> RUFH_ENABLED =
      bool("rufh", "true",
          "Speak Resumable Uploads for HTTP (IETF draft, interop versions 3-9) beside tus 1.0 on base-path.");
  public static final Option<Duration> RUFH_PROGRESS_INTERVAL =
      duration("rufh-progress-interval", "5s",
          "How often a long draft upload reports its offset in a 104 interim response; 0s sends none.");
  public static final Option<Boolean> RUFH_INTERIM =
      bool("rufh-interim", "true",
          "Send 104 interim responses to draft clients (the upload's URL at creation, progress); turn"
              + " off behind a proxy that takes a 1xx response for the final one.");

  // -- observability
  public static final Option<Boolean> METRICS_ENABLED =
      bool("metrics.enabled", "true", "Serve Prometheus metrics at /metrics.");
  public static final Option<OptionalInt> METRICS_PORT =
      new Option<>("metrics.port", "", "integer",
          "Separate plain-HTTP port for /metrics and /health/*; empty = serve them on the main port.",
          raw -> raw.isBlank() ? OptionalInt.empty() : OptionalInt.of(Values.integer(raw, 0, 65_535)),
          Display.PLAIN, false);
  public static final Option<String> LOG_FORMAT =
      choice("log.format", "text", List.of("text", "json"), "Log format: text (key=value) or json (one object per line).");
  public static final Option<String> LOG_LEVEL =
      choice("log.level", "info", List.of("error", "warn", "info", "debug", "trace"), "Log level of the root logger (Undertow, XNIO and JBoss stay at WARN).");
  public static final Option<Boolean> LOG_REQUESTS =
      bool("log.requests", "true", "Log one line per request (logger tusk.request).");

  /** Every option in the order of the docs and of {@code tusk config}. */
  public static final List<Option<?>> ALL =
      Stream.of(
              List.<Option<?>>of(
                  HOST, PORT, BASE_PATH, BEHIND_PROXY, CORS_ORIGINS,
                  MAX_SIZE, TTL, MAX_TTL, LOCK_WAIT, SWEEP_INTERVAL, REPAIR_INTERVAL,
                  STORE, UPLOAD_DIR, FSYNC, STORE_TIMEOUT, STORAGE_THREADS,
                  S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_PREFIX, S3_INFO_PREFIX, S3_PATH_STYLE,
                  S3_ACCESS_KEY, S3_SECRET_KEY, S3_CHECKSUM_MODE, S3_PART_SIZE, S3_PARTS_IN_FLIGHT,
                  S3_TEMP_DIR, S3_TEMP_BUDGET, S3_OFFSET_CACHE,
                  LOCKER, REDIS_URL, REDIS_LEASE,
                  READ_TIMEOUT, WRITE_TIMEOUT, IDLE_TIMEOUT, MAX_HEADER_SIZE, TLS_CERT, TLS_KEY, HTTP2,
                  H2C, SHUTDOWN_TIMEOUT, PAGE_ENABLED, PAGE_PATH, PAGE_CHUNK_SIZE,
                  RUFH_ENABLED, RUFH_PROGRESS_INTERVAL, RUFH_INTERIM),
              HooksOptions.ALL,
              AuthOptions.AUTH,
              List.<Option<?>>of(
                  METRICS_ENABLED, METRICS_PORT, AuthOptions.METRICS_PROTECT,
                  AuthOptions.METRICS_KEY_SHA256, LOG_FORMAT, LOG_LEVEL, LOG_REQUESTS))
          .flatMap(List::stream)
          .toList();

  /** The option with this YAML key, if any. */
  public static Optional<Option<?>> byKey(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst();
  }

  /** The option with this flag ({@code --port}), if any. */
  public static Optional<Option<?>> byFlag(String flag) {
    return ALL.stream().filter(o -> o.flag().equals(flag)).findFirst();
  }
}
