package dev.tusk.conformance.s3;

import dev.tusk.conformance.ServerExtension;
import dev.tusk.core.MutableClock;
import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.store.s3.S3ProxyFixture;
import dev.tusk.store.s3.S3StoreConfig;
import dev.tusk.store.s3.S3UploadStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * tusk on 127.0.0.1 whose S3 store talks to the tests' S3 server through a {@link FaultProxy},
 * with a short store timeout, in a scratch directory of its own; and the raw tus requests the
 * fault tests send. A JUnit extension ({@link ServerExtension}): {@code @RegisterExtension final
 * S3Behind tusk = S3Behind.extension();} gives each test a fresh server and proxy; {@link #start()}
 * one to close inside a test.
 */
final class S3Behind extends ServerExtension {
  /** The store timeout of the server: a slow S3 answer costs at most this. */
  static final Duration STORE_TIMEOUT = Duration.ofSeconds(4);

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  FaultProxy proxy;
  S3UploadStore store;
  TuskServer server;
  private Path dir;

  private S3Behind() {}

  /** An extension started by JUnit. */
  static S3Behind extension() {
    return new S3Behind();
  }

  /** A started server, to close. */
  static S3Behind start() throws IOException {
    S3Behind behind = new S3Behind();
    behind.open();
    return behind;
  }

  @Override
  protected void open() throws IOException {
    dir = Files.createTempDirectory("tusk-s3-behind-");
    proxy = new FaultProxy(S3ProxyFixture.shared().endpoint(), STORE_TIMEOUT.plusSeconds(1));
    S3StoreConfig config =
        S3ProxyFixture.shared()
            .config(dir.resolve("s3-temp"))
            .toBuilder()
            .endpoint(proxy.endpoint())
            .callTimeout(STORE_TIMEOUT)
            .build();
    store = S3UploadStore.create(config, clock);
    server =
        TuskServer.builder(
                ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(dir.resolve("uploads")))
            .store(store).clock(clock).start();
  }

  URI files() {
    return server.baseUri();
  }

  HttpResponse<String> create(long length) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(files())
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", Long.toString(length))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  HttpResponse<String> patch(URI upload, long offset, byte[] data, int from, int to)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(upload)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", Long.toString(offset))
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)));
  }

  /** A single-request upload of {@code data}: POST without {@code Tus-Resumable}. */
  HttpResponse<String> single(byte[] data) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(files().resolve("?filename=a.bin"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(data)));
  }

  HttpResponse<String> head(URI upload) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(upload)
        .header("Tus-Resumable", "1.0.0")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  HttpResponse<byte[]> get(URI upload) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> ready() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/ready")).GET());
  }

  String metrics() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).GET()).body();
  }

  /** The upload's URL from a creation answer. */
  URI location(HttpResponse<String> created) {
    return files().resolve(created.headers().firstValue("Location").orElseThrow());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  protected boolean isOpen() {
    return server != null;
  }

  @Override
  public void close() throws IOException {
    if (server == null) {
      return;
    }
    server.close();
    store.close();
    proxy.close();
    server = null;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
