package dev.tusk.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The s3 scenario's endpoint: S3Proxy 4.1.0 ({@code jar-with-dependencies}, {@code
 * org.gaul.s3proxy.Main}) as a child process on 127.0.0.1 with the {@code filesystem-nio2} provider
 * under a fresh directory, so that GiB-sized objects live in files (page cache), not in a heap. One
 * bucket, {@link #BUCKET}, is created at start. Closing stops the process; the caller deletes the
 * directory.
 */
final class S3Endpoint implements AutoCloseable {
  static final String BUCKET = "bench";
  static final String ACCESS_KEY = "tusk-bench";
  static final String SECRET_KEY = "tusk-bench-secret";

  private final ServerProcess process;
  private final URI endpoint;
  private final S3Client client;

  private S3Endpoint(ServerProcess process, URI endpoint, S3Client client) {
    this.process = process;
    this.endpoint = endpoint;
    this.client = client;
  }

  /**
   * Starts S3Proxy with {@code java} from {@code jar}, objects under {@code dir}, output to {@code
   * log}; returns once the bucket exists. {@code checksumMode} (WHEN_SUPPORTED or WHEN_REQUIRED)
   * configures the SDK client this endpoint hands out.
   */
  static S3Endpoint start(String java, Path jar, Path dir, Path log, String checksumMode)
      throws IOException, InterruptedException {
    return start(java, jar, dir, log, checksumMode, FILESYSTEM);
  }

  /** S3Proxy's provider that keeps objects as files under the endpoint's directory. */
  static final String FILESYSTEM = "filesystem-nio2";
  /** S3Proxy's provider that keeps objects in its heap (an in-memory Jimfs file system). */
  static final String TRANSIENT = "transient-nio2";

  /** As {@link #start(String, Path, Path, Path, String)} with S3Proxy's {@code provider}. */
  static S3Endpoint start(String java, Path jar, Path dir, Path log, String checksumMode,
      String provider) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no S3Proxy jar at " + jar + " (bench/run.sh fetches it)");
    }
    Path blobs = Files.createDirectories(dir.resolve("blobs"));
    int port = ServerProcess.freePort();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=" + provider,
        "jclouds.filesystem.basedir=" + blobs.toAbsolutePath(),
        ""));
    // LOG_LEVEL is read by S3Proxy's logback.xml (system property or environment): one line per
    // request at info would be a log as big as the benchmark.
    List<String> command = List.of(java, "-DLOG_LEVEL=warn", "-DJETTY_LOG_LEVEL=warn", "-jar",
        jar.toString(), "--properties", properties.toString());
    ServerProcess process = ServerProcess.start(command, log,
        new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(60));
    S3Client client = null;
    try {
      client = client(endpoint, checksumMode, 16);
      client.createBucket(b -> b.bucket(BUCKET));
      return new S3Endpoint(process, endpoint, client);
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      process.close();
      throw new IOException("S3Proxy at " + endpoint + ": " + Errors.describe(e)
          + " (log: " + process.logTail() + ")", e);
    }
  }

  /**
   * An SDK v2 client for this kind of endpoint: Apache HttpClient 5, path-style, static
   * credentials, the given request-checksum mode, up to {@code connections} pooled connections.
   */
  static S3Client client(URI endpoint, String checksumMode, int connections) {
    boolean required = checksumMode.equalsIgnoreCase("WHEN_REQUIRED");
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .requestChecksumCalculation(required ? RequestChecksumCalculation.WHEN_REQUIRED
            : RequestChecksumCalculation.WHEN_SUPPORTED)
        .responseChecksumValidation(required ? ResponseChecksumValidation.WHEN_REQUIRED
            : ResponseChecksumValidation.WHEN_SUPPORTED)
        .httpClientBuilder(Apache5HttpClient.builder().maxConnections(connections)
            .socketTimeout(Duration.ofMinutes(2)))
        .build();
  }

  URI endpoint() {
    return endpoint;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.alive();
  }

  String logTail() {
    return process.logTail();
  }

  /** A client of this endpoint (the bench's own: the direct side and verification). */
  S3Client client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    process.close();
  }
}
