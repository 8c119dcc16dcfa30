package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tusk.conformance.StoreKind;
import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.store.fs.FsUploadStore;
import io.undertow.server.HttpHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: SIGTERM ends in-flight PATCHes with their bytes kept and exits 0. */
class ShutdownIT {
  private static final Pattern STORED = Pattern.compile("(?m)^tusk_stored_bytes_total (\\S+)$");
  @TempDir Path dir;

  @Test
  @DisplayName("SIGTERM during a large upload: the bytes received are stored, the PATCH ends 503, "
      + "the process exits 0, and after a restart the upload resumes to a byte-exact result")
  void sigterm_duringLargeUpload_exits0_andTheUploadResumesByteExact() throws Exception {
    assumeThat(StoreKind.current()).as("child-process tests run in the fs execution").isEqualTo(StoreKind.FS);
    byte[] data = new byte[48 << 20];
    new Random(42).nextBytes(data);
    int sent = 20 << 20;
    Path uploads = dir.resolve("uploads");
    String path;
    try (TuskProcess tusk = TuskProcess.serve(dir, Map.of(), "--upload-dir", uploads.toString())) {
      HttpResponse<String> created = TuskProcess.HTTP.send(
          HttpRequest.newBuilder(tusk.uri("/files/")).header("Tus-Resumable", "1.0.0")
              .header("Upload-Length", String.valueOf(data.length)).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      String location = created.headers().firstValue("Location").orElseThrow();
      path = location.substring(location.indexOf("/files/"));
      try (Socket socket = new Socket("127.0.0.1", tusk.port)) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
            + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + data.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(data, 0, sent);
        out.flush();
        awaitStored(tusk, sent);

        assertThat(tusk.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();

        String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 503").contains("ERR_SERVER_SHUTDOWN");
      }
      assertThat(tusk.output()).contains("event=stopping").contains("event=stopped drained=true");
    }

    try (TuskProcess again = TuskProcess.serve(dir, Map.of(), "--upload-dir", uploads.toString())) {
      HttpResponse<Void> head = TuskProcess.HTTP.send(
          HttpRequest.newBuilder(again.uri(path)).header("Tus-Resumable", "1.0.0")
              .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(head.headers().firstValue("Upload-Offset")).contains(String.valueOf(sent));
      HttpResponse<Void> patch = TuskProcess.HTTP.send(
          HttpRequest.newBuilder(again.uri(path)).header("Tus-Resumable", "1.0.0")
              .header("Upload-Offset", String.valueOf(sent))
              .header("Content-Type", "application/offset+octet-stream")
              .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, sent, data.length - sent)).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(patch.statusCode()).isEqualTo(204);
      assertThat(patch.headers().firstValue("Upload-Offset")).contains(String.valueOf(data.length));
      HttpResponse<byte[]> download = TuskProcess.HTTP.send(
          HttpRequest.newBuilder(again.uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(sha256(download.body())).as("the resumed upload is byte-exact").isEqualTo(sha256(data));
      assertThat(again.terminate(Duration.ofSeconds(30))).isZero();
    }
  }

  @Test
  @DisplayName("While draining, new requests get 503 ERR_SERVER_SHUTDOWN, readiness fails and liveness holds; "
      + "the stop waits for requests in flight")
  void shutdown_whileARequestIsInFlight_turnsNewOnesAwayAndWaitsForIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    UnaryOperator<HttpHandler> hold = next -> exchange -> {
      if (!exchange.getRequestPath().endsWith("/hold")) {
        next.handleRequest(exchange);
        return;
      }
      exchange.dispatch(() -> {
        entered.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
      });
    };
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(dir);
    TuskServer server = TuskServer.builder(config).store(new FsUploadStore(dir, Clock.systemUTC()))
        .filter(hold).start();
    String base = "http://127.0.0.1:" + server.port();
    CompletableFuture<HttpResponse<Void>> held = TuskProcess.HTTP.sendAsync(
        HttpRequest.newBuilder(java.net.URI.create(base + "/files/hold")).header("Tus-Resumable", "1.0.0").build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(20)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    HttpResponse<String> ready;
    do {
      ready = get(base + "/health/ready");
    } while (ready.statusCode() == 200 && System.nanoTime() < deadline);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("shutting down");
    assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = TuskProcess.HTTP.send(
        HttpRequest.newBuilder(java.net.URI.create(base + "/files/")).header("Tus-Resumable", "1.0.0")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("\"code\":\"ERR_SERVER_SHUTDOWN\"");
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    assertThat(stopped).isNotDone();
    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    assertThat(stopped.get(10, TimeUnit.SECONDS)).as("drained").isTrue();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return TuskProcess.HTTP.send(HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitStored(TuskProcess tusk, long bytes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher m = STORED.matcher(tusk.get("/metrics").body());
      if (m.find() && Double.parseDouble(m.group(1)) >= bytes) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not store " + bytes + " bytes within 30 s");
  }

  private static byte[] readAll(InputStream in) throws Exception {
    try {
      return in.readAllBytes();
    } catch (java.net.SocketException reset) {
      return new byte[0];
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
