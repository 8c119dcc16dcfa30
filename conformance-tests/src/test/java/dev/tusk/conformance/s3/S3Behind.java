package dev.tusk.conformance.s3;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * tusk on 127.0.0.1 whose S3 store talks to the tests' S3 server through a {@link FaultProxy},
 * with a short store timeout; and the raw tus requests the fault tests send.
 */
final class S3Behind implements AutoCloseable {
  /** The store timeout of the server: a slow S3 answer costs at most this. */
  static final Duration STORE_TIMEOUT = Duration.ofSeconds(4);

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  final FaultProxy proxy;
  final S3UploadStore store;
  final TuskServer server;
  final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  S3Behind(Path dir) throws IOException {
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
  public void close() throws IOException {
    server.close();
    store.close();
    proxy.close();
  }
}
