package dev.tusk.store.s3;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy in this JVM, in-memory ({@code
 * TransientNio2BlobStore}), on a free loopback port, with AWS V2/V4 signatures and one bucket.
 * Started once per JVM by {@link #shared()} and stopped at exit; tests isolate themselves by key
 * prefix ({@link #config(Path)} picks a fresh one each call). Published in this module's test-jar
 * for the conformance suite. Thread-safe.
 */
public final class S3ProxyFixture {
  public static final String BUCKET = "tusk-test";
  public static final S3Credentials CREDENTIALS =
      new S3Credentials("tusk-test-access", "tusk-test-secret");
  public static final String REGION = "us-east-1";

  /** The part size of {@link #config}: the S3 minimum, so tests cross part boundaries cheaply. */
  public static final long PART_SIZE = S3StoreConfig.MIN_PART_SIZE;

  private static S3ProxyFixture shared;

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client client;

  private S3ProxyFixture() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4,
                CREDENTIALS.accessKeyId(),
                CREDENTIALS.secretAccessKey())
            .build();
    proxy.start();
    if (!"STARTED".equals(proxy.getState())) {
      throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    client = newClient();
    client.createBucket(r -> r.bucket(BUCKET));
  }

  /** The JVM's S3Proxy, started on first use. */
  public static synchronized S3ProxyFixture shared() {
    if (shared == null) {
      try {
        shared = new S3ProxyFixture();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start S3Proxy", e);
      }
      S3ProxyFixture started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "s3proxy-stop"));
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * A store configuration for this server with a fresh key prefix: 5 MiB parts, 2 in flight per
   * upload, uploads up to 1 GiB, a 64 MiB temp budget in {@code tempDir}, cache on.
   */
  public S3StoreConfig config(Path tempDir) {
    return S3StoreConfig.builder(BUCKET)
        .endpoint(endpoint)
        .pathStyle(true)
        .region(REGION)
        .credentials(CREDENTIALS)
        .keyPrefix("t-" + UUID.randomUUID() + "/")
        .partSize(PART_SIZE)
        .maxUploadSize(1024 * S3StoreConfig.MIB)
        .maxPartsInFlight(2)
        .tempDir(tempDir)
        .tempBudget(64 * S3StoreConfig.MIB)
        .build();
  }

  /** A client shared by tests for assertions on the bucket; do not close it. */
  public S3Client client() {
    return client;
  }

  /** A new client for this server; the caller closes it. */
  public S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    CREDENTIALS.accessKeyId(), CREDENTIALS.secretAccessKey())))
        .httpClientBuilder(Apache5HttpClient.builder())
        .build();
  }

  private void stop() {
    try {
      client.close();
      proxy.stop();
    } catch (Exception e) {
      // the JVM is exiting
    }
  }
}
