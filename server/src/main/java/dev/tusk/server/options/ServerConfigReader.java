package dev.tusk.server.options;

import static dev.tusk.server.options.ServerOptions.*;

import dev.tusk.server.config.ServerConfig;
import dev.tusk.store.s3.ChecksumMode;
import dev.tusk.store.s3.S3Credentials;
import dev.tusk.store.s3.S3StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the options declared in {@link ServerOptions} into the validated {@link ServerConfig}:
 * builds the {@link ServerConfig} and the store's configuration from {@link Settings} and checks
 * the rules between options, those of {@link HooksConfigReader} and {@link AuthConfigReader} included.
 */
public final class ServerConfigReader {
  private ServerConfigReader() {}

  /** The server's configuration; throws naming the options that do not fit together. */
  public static ServerConfig from(Settings s) throws ConfigException {
    List<String> problems = new ArrayList<>();
    Optional<Path> cert = s.get(TLS_CERT);
    Optional<Path> key = s.get(TLS_KEY);
    if (cert.isPresent() != key.isPresent()) {
      problems.add("tls.cert and tls.key must be set together (" + s.nameOf(cert.isPresent() ? TLS_CERT : TLS_KEY)
          + " is set, " + s.nameOf(cert.isPresent() ? TLS_KEY : TLS_CERT) + " is not)");
    }
    cert.filter(p -> !Files.isReadable(p))
        .ifPresent(p -> problems.add("invalid " + s.nameOf(TLS_CERT) + ": '" + p + "' is not a readable file"));
    key.filter(p -> !Files.isReadable(p))
        .ifPresent(p -> problems.add("invalid " + s.nameOf(TLS_KEY) + ": '" + p + "' is not a readable file"));
    if (s.get(LOCKER).equals("redis") && s.get(REDIS_URL).isEmpty()) {
      problems.add("redis.url (" + REDIS_URL.flag() + ", " + REDIS_URL.env() + ") is required when "
          + s.nameOf(LOCKER) + " is redis");
    }
    if (s.get(TTL).compareTo(s.get(MAX_TTL)) > 0) {
      problems.add("invalid " + s.nameOf(TTL) + ": " + s.shown(TTL) + " is longer than max-ttl "
          + s.shown(MAX_TTL) + " (" + s.source(MAX_TTL).describe() + ")");
    }
    if (s.get(STORE).equals("s3")) {
      if (s.get(S3_BUCKET).isBlank()) {
        problems.add("s3.bucket (" + S3_BUCKET.flag() + ", " + S3_BUCKET.env() + ") is required when "
            + s.nameOf(STORE) + " is s3");
      }
      if (s.get(S3_ACCESS_KEY).isBlank() != s.get(S3_SECRET_KEY).isEmpty()) {
        problems.add("s3.access-key and s3.secret-key must be set together (or neither, for the AWS default chain)");
      }
    }
    problems.addAll(HooksConfigReader.problems(s));
    problems.addAll(AuthConfigReader.problems(s));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    if (s.get(STORE).equals("s3")) {
      s3(s);
    }
    try {
      return new ServerConfig.Builder()
          .host(s.get(HOST))
          .port(s.get(PORT))
          .basePath(s.get(BASE_PATH))
          .behindProxy(s.get(BEHIND_PROXY))
          .corsOrigins(s.get(CORS_ORIGINS))
          .maxSize(s.get(MAX_SIZE))
          .defaultTtl(s.get(TTL))
          .maxTtl(s.get(MAX_TTL))
          .lockWait(s.get(LOCK_WAIT))
          .sweepInterval(s.get(SWEEP_INTERVAL))
          .repairInterval(s.get(REPAIR_INTERVAL))
          .uploadDir(s.get(UPLOAD_DIR))
          .fsync(s.get(FSYNC))
          .storageThreads(s.get(STORAGE_THREADS))
          .readTimeout(s.get(READ_TIMEOUT))
          .writeTimeout(s.get(WRITE_TIMEOUT))
          .idleTimeout(s.get(IDLE_TIMEOUT))
          .maxHeaderSize(s.get(MAX_HEADER_SIZE))
          .tls(cert.map(c -> new ServerConfig.Tls(c, key.orElseThrow())))
          .http2(s.get(HTTP2))
          .h2c(s.get(H2C))
          .shutdownTimeout(s.get(SHUTDOWN_TIMEOUT))
          .metricsEnabled(s.get(METRICS_ENABLED))
          .metricsPort(s.get(METRICS_PORT))
          .logRequests(s.get(LOG_REQUESTS))
          .page(new ServerConfig.Page(s.get(PAGE_ENABLED), s.get(PAGE_PATH), s.get(PAGE_CHUNK_SIZE)))
          .rufh(new ServerConfig.Rufh(
              s.get(RUFH_ENABLED), s.get(RUFH_PROGRESS_INTERVAL), s.get(RUFH_INTERIM)))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage());
    }
  }

  /** The S3 store's configuration; only meaningful with {@code store: s3}. */
  public static S3StoreConfig s3(Settings s) throws ConfigException {
    long maxSize = s.get(MAX_SIZE);
    boolean cache = switch (s.get(S3_OFFSET_CACHE)) {
      case "true" -> true;
      case "false" -> false;
      default -> !s.get(LOCKER).equals("redis");
    };
    try {
      return S3StoreConfig.builder(s.get(S3_BUCKET))
          .endpoint(s.get(S3_ENDPOINT))
          .region(s.get(S3_REGION))
          .keyPrefix(s.get(S3_PREFIX))
          .infoPrefix(Optional.of(s.get(S3_INFO_PREFIX)).filter(p -> !p.isEmpty()))
          .pathStyle(s.get(S3_PATH_STYLE))
          .credentials(s.get(S3_ACCESS_KEY).isBlank()
              ? Optional.empty()
              : Optional.of(new S3Credentials(s.get(S3_ACCESS_KEY), s.get(S3_SECRET_KEY))))
          .checksumMode(ChecksumMode.parse(s.get(S3_CHECKSUM_MODE)))
          .partSize(s.get(S3_PART_SIZE))
          .maxUploadSize(
              maxSize > 0 ? Math.min(maxSize, S3StoreConfig.MAX_OBJECT_SIZE) : S3StoreConfig.MAX_OBJECT_SIZE)
          .maxPartsInFlight(s.get(S3_PARTS_IN_FLIGHT))
          .tempDir(s.get(S3_TEMP_DIR))
          .tempBudget(s.get(S3_TEMP_BUDGET))
          .offsetCache(cache)
          .callTimeout(s.get(STORE_TIMEOUT))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid S3 configuration (s3.* and max-size): " + e.getMessage());
    }
  }
}
