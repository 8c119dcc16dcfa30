package dev.tusk.conformance.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.ops.TuskProcess;
import dev.tusk.store.s3.S3ProxyFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * 1 GiB through tusk into S3, in one PATCH and in 8 MiB PATCHes, with the server limited to a
 * 256 MiB heap: memory stays bounded whatever the body size, and the download is byte-exact.
 * The S3 server (S3Proxy) keeps its objects on disk so the test JVM holds no upload in memory.
 */
@EnabledIfSystemProperty(named = "tusk.store", matches = "s3")
class LargeUploadIT {
  static final long GIB = 1L << 30;
  static final String BUCKET = "large";
  @TempDir static Path dir;
  static S3Proxy proxy;
  static TuskProcess tusk;

  @BeforeAll
  static void start() throws Exception {
    Path blobs = Files.createDirectories(dir.resolve("blobs"));
    proxy = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4,
            S3ProxyFixture.CREDENTIALS.accessKeyId(), S3ProxyFixture.CREDENTIALS.secretAccessKey())
        .build();
    proxy.start();
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            S3ProxyFixture.CREDENTIALS.accessKeyId(), S3ProxyFixture.CREDENTIALS.secretAccessKey())))
        .httpClientBuilder(Apache5HttpClient.builder()).build()) {
      s3.createBucket(r -> r.bucket(BUCKET));
    }
    Map<String, String> env = Map.ofEntries(
        Map.entry("TUSK_STORE", "s3"),
        Map.entry("TUSK_S3_ENDPOINT", endpoint.toString()),
        Map.entry("TUSK_S3_BUCKET", BUCKET),
        Map.entry("TUSK_S3_PATH_STYLE", "true"),
        Map.entry("TUSK_S3_ACCESS_KEY", S3ProxyFixture.CREDENTIALS.accessKeyId()),
        Map.entry("TUSK_S3_SECRET_KEY", S3ProxyFixture.CREDENTIALS.secretAccessKey()),
        Map.entry("TUSK_S3_TEMP_DIR", dir.resolve("parts").toString()),
        Map.entry("TUSK_MAX_SIZE", "2GiB"),
        Map.entry("TUSK_UPLOAD_DIR", dir.resolve("data").toString()));
    tusk = TuskProcess.start(dir, env, List.of(TuskProcess.java(), "-Xmx256m", "-jar", TuskProcess.jar().toString(),
        "serve", "--host", "127.0.0.1", "--port", "0"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (tusk != null) {
      tusk.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
  }

  /** Deterministic pseudo-random bytes, generated as they are read. */
  static InputStream stream(long length, long seed) {
    return new InputStream() {
      final SplittableRandom random = new SplittableRandom(seed);
      long left = length;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i += 8) {
          long r = random.nextLong();
          for (int j = 0; j < 8 && i + j < n; j++) {
            b[off + i + j] = (byte) (r >>> (8 * j));
          }
        }
        left -= n;
        return n;
      }
    };
  }

  static String create(long length) throws Exception {
    HttpResponse<String> r = TuskProcess.HTTP.send(HttpRequest.newBuilder(tusk.uri("/files/"))
        .header("Tus-Resumable", "1.0.0").header("Upload-Length", String.valueOf(length))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return URI.create(r.headers().firstValue("Location").orElseThrow()).getPath();
  }

  static void patch(String path, long offset, InputStream body, long length) throws Exception {
    HttpResponse<String> r = TuskProcess.HTTP.send(HttpRequest.newBuilder(tusk.uri(path))
        .timeout(Duration.ofMinutes(5))
        .header("Tus-Resumable", "1.0.0").header("Upload-Offset", String.valueOf(offset))
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> body), length)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("PATCH at %d: %s\n%s", offset, r.body(), tusk.output()).isEqualTo(204);
    assertThat(r.headers().firstValue("Upload-Offset")).contains(String.valueOf(offset + length));
  }

  static String downloadSha256(String path) throws Exception {
    HttpResponse<InputStream> r = TuskProcess.HTTP.send(HttpRequest.newBuilder(tusk.uri(path))
        .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = r.body()) {
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        total += n;
      }
      assertThat(total).isEqualTo(GIB);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static MessageDigest sha256() throws Exception {
    return MessageDigest.getInstance("SHA-256");
  }

  @Test
  @DisplayName("1 GiB in one PATCH to S3 with -Xmx256m downloads byte-exact (SHA-256)")
  void oneGibInOnePatch_underSmallHeap_isByteExact() throws Exception {
    String path = create(GIB);
    MessageDigest sent = sha256();
    patch(path, 0, new DigestInputStream(stream(GIB, 1), sent), GIB);
    assertThat(downloadSha256(path)).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    assertThat(tusk.process.isAlive()).as("no OutOfMemoryError").isTrue();
  }

  @Test
  @DisplayName("1 GiB in 8 MiB PATCHes to S3 with -Xmx256m downloads byte-exact (SHA-256)")
  void oneGibIn8MibPatches_underSmallHeap_isByteExact() throws Exception {
    String path = create(GIB);
    MessageDigest sent = sha256();
    InputStream all = new DigestInputStream(stream(GIB, 2), sent);
    long chunk = 8L << 20;
    for (long offset = 0; offset < GIB; offset += chunk) {
      patch(path, offset, new BoundedStream(all, chunk), chunk);
    }
    assertThat(downloadSha256(path)).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    assertThat(tusk.process.isAlive()).as("no OutOfMemoryError").isTrue();
  }

  /** The next {@code length} bytes of a shared stream. */
  static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedStream(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left == 0) {
        return -1;
      }
      int b = in.read();
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
