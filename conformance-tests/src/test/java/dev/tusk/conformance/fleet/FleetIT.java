package dev.tusk.conformance.fleet;

import static dev.tusk.conformance.fleet.Fleet.bytes;
import static dev.tusk.conformance.fleet.Fleet.download;
import static dev.tusk.conformance.fleet.Fleet.HTTP;
import static dev.tusk.conformance.fleet.Fleet.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three tusk instances on one S3 bucket, coordinated through one Redis, behind a proxy that
 * sends every request to the next instance: any instance serves any request of any upload.
 * Runs in the S3 execution of the suite only (a fleet needs shared storage).
 */
@EnabledIfSystemProperty(named = "tusk.store", matches = "s3")
class FleetIT {
  @TempDir static Path scratch;
  @RegisterExtension static final Fleet fleet = Fleet.of(3);

  static URI create(URI base, long length) throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(base).timeout(Duration.ofSeconds(60)).header("Tus-Resumable", "1.0.0").header("Upload-Length", String.valueOf(length))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(201);
    return URI.create(r.headers().firstValue("Location").orElseThrow());
  }

  static HttpResponse<String> patch(URI upload, long offset, byte[] body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(60)).header("Tus-Resumable", "1.0.0").header("Upload-Offset", String.valueOf(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static long offset(URI upload) throws Exception {
    HttpResponse<Void> r = HTTP.send(
        HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(60)).header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).as("HEAD %s: %s", upload, r.headers().map()).isEqualTo(200);
    return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
  }

  /** The same upload as seen through node {@code i} directly. */
  @Test
  @DisplayName("tus-java-client: a 20 MiB upload whose requests alternate between three instances, paused and resumed, is byte-exact on every instance")
  void javaClient_alternatingInstances_byteExact() throws Exception {
    byte[] data = bytes(20 * MIB, 71);
    TusClient client = new TusClient();
    client.setUploadCreationURL(fleet.endpoint().toURL());
    client.enableResuming(new TusURLMemoryStore());
    TusUpload upload = new TusUpload();
    upload.setInputStream(new ByteArrayInputStream(data));
    upload.setSize(data.length);
    upload.setFingerprint("fleet-java");
    int before = fleet.served[0].get() + fleet.served[1].get() + fleet.served[2].get();

    TusUploader first = client.resumeOrCreateUpload(upload);
    first.setChunkSize(MIB);
    first.setRequestPayloadSize(MIB);
    for (int i = 0; i < 7; i++) {
      assertThat(first.uploadChunk()).isEqualTo(MIB);
    }
    first.finish();
    upload.setInputStream(new ByteArrayInputStream(data));
    TusUploader second = client.resumeOrCreateUpload(upload);
    assertThat(second.getOffset()).isEqualTo(7L * MIB);
    second.setChunkSize(MIB);
    second.setRequestPayloadSize(MIB);
    while (second.uploadChunk() > -1) {
      // every chunk is a request; the proxy alternates instances
    }
    second.finish();

    URI url = second.getUploadURL().toURI();
    for (int i = 0; i < 3; i++) {
      assertThat(download(fleet.onNode(url, i))).isEqualTo(data);
      assertThat(fleet.served[i].get()).isGreaterThan(before / 3);
    }
  }

  @Test
  @DisplayName("tus-js-client (chunked, parallelUploads: 4, deferred length) through the round-robin proxy completes byte-exact")
  void jsClient_alternatingInstances_byteExact() throws Exception {
    byte[] data = bytes(3_000_000, 72);
    Path file = scratch.resolve("js.bin");
    Files.write(file, data);
    for (String scenario : List.of("chunked", "parallel", "deferred", "resume")) {
      String out = node(scenario, file);
      String url = out.replaceAll("(?s).*?\"url\":\"([^\"]+)\".*", "$1");
      assertThat(url).as("scenario %s printed %s", scenario, out).startsWith("http");
      assertThat(download(URI.create(url))).as(scenario).isEqualTo(data);
    }
  }

  private static String node(String scenario, Path file) throws Exception {
    Path js = Path.of(System.getProperty("tusk.js.dir"));
    assertThat(js.resolve("node_modules")).as("npm ci must have run (TusJsClientIT does it)").exists();
    Path out = scratch.resolve(scenario + ".out");
    Process p = new ProcessBuilder("node", "interop.mjs", fleet.endpoint().toString(), scenario, file.toString())
        .directory(js.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node " + scenario + " timed out");
    }
    assertThat(p.exitValue()).as("node %s exit code", scenario).isZero();
    return Files.readString(out);
  }

  @Test
  @DisplayName("A PATCH stalled on one instance is asked over Redis to let go: a HEAD on another instance answers at once with the bytes received, and the upload resumes there")
  void stalledPatchOnOneInstance_headOnAnother_answersAtOnceAndResumes() throws Exception {
    byte[] data = bytes(12 * MIB, 73);
    URI upload = create(fleet.node(0), data.length);
    int sent = 6 * MIB + 12_345;
    try (Socket socket = new Socket("127.0.0.1", fleet.nodes.get(0).port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PATCH " + upload.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
          + "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
          + data.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data, 0, sent);
      out.flush();
      // the holder stops reading once asked to let go: what it committed is what it had read
      long t0 = System.nanoTime();
      long offset = offset(fleet.onNode(upload, 1));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThat(offset).isPositive().isLessThanOrEqualTo(sent);
      assertThat(offset(fleet.onNode(upload, 2))).isEqualTo(offset);
      sent = (int) offset;
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(5_000);
      String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 400");
    }
    assertThat(patch(fleet.onNode(upload, 2), sent, java.util.Arrays.copyOfRange(data, sent, data.length)).statusCode())
        .isEqualTo(204);
    assertThat(download(fleet.onNode(upload, 0))).isEqualTo(data);
  }

  @Test
  @DisplayName("Concurrent PATCHes at the same offset on two instances never both succeed, and the upload completes byte-exact")
  void concurrentPatchesOnTwoInstances_neverBothSucceed() throws Exception {
    for (int round = 0; round < 3; round++) {
      byte[] data = bytes(2 * MIB, 74 + round);
      URI upload = create(fleet.node(0), data.length);
      CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> call(() -> patch(fleet.onNode(upload, 0), 0, data)));
      CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> call(() -> patch(fleet.onNode(upload, 1), 0, data)));
      List<Integer> statuses = new ArrayList<>(List.of(a.get(30, TimeUnit.SECONDS).statusCode(), b.get(30, TimeUnit.SECONDS).statusCode()));
      assertThat(statuses.stream().filter(s -> s == 204).count()).as("statuses %s", statuses).isLessThanOrEqualTo(1);
      assertThat(statuses).allMatch(s -> s == 204 || s == 409 || s == 400 || s == 423);
      long offset = offset(fleet.onNode(upload, 2));
      if (offset < data.length) {
        assertThat(patch(fleet.onNode(upload, 2), offset, java.util.Arrays.copyOfRange(data, (int) offset, data.length)).statusCode())
            .isEqualTo(204);
      }
      assertThat(download(fleet.onNode(upload, 1))).isEqualTo(data);
    }
  }

  @Test
  @DisplayName("Redis down: requests that need a lock answer 503 ERR_LOCKER_UNAVAILABLE and no bytes change; service resumes by itself when Redis returns")
  void redisDown_503ThenRecovers() throws Exception {
    byte[] data = bytes(MIB, 75);
    URI upload = create(fleet.node(0), data.length);
    assertThat(patch(fleet.onNode(upload, 1), 0, java.util.Arrays.copyOf(data, 1000)).statusCode()).isEqualTo(204);
    fleet.redis.kill();
    try {
      HttpResponse<String> r = patch(fleet.onNode(upload, 2), 1000, java.util.Arrays.copyOfRange(data, 1000, data.length));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("ERR_LOCKER_UNAVAILABLE");
      URI ready = fleet.node(1).resolve("/health/ready");
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      int readiness = 200;
      while (readiness == 200 && System.nanoTime() < until) { // a result is reused for up to 1 s
        readiness = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (readiness == 200) {
          Thread.sleep(200);
        }
      }
      assertThat(readiness).as("/health/ready while Redis is down").isEqualTo(503);
    } finally {
      fleet.redis.restart();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int status = 0;
    while (status != 204 && System.nanoTime() < deadline) {
      status = patch(fleet.onNode(upload, 0), 1000, java.util.Arrays.copyOfRange(data, 1000, data.length)).statusCode();
      if (status != 204) {
        assertThat(status).isIn(503, 423);
        Thread.sleep(100);
      }
    }
    assertThat(status).isEqualTo(204);
    assertThat(download(fleet.onNode(upload, 2))).isEqualTo(data);
    for (int i = 0; i < fleet.nodes.size(); i++) { // every node's locker has reconnected
      int head = 0;
      while (head != 200 && System.nanoTime() < deadline) {
        head = HTTP.send(HttpRequest.newBuilder(fleet.onNode(upload, i)).timeout(Duration.ofSeconds(10))
            .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (head != 200) {
          Thread.sleep(100);
        }
      }
      assertThat(head).as("node %d after Redis returned", i).isEqualTo(200);
    }
    int readiness = 503;
    while (readiness != 200 && System.nanoTime() < deadline) {
      readiness = HTTP.send(HttpRequest.newBuilder(fleet.node(1).resolve("/health/ready"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (readiness != 200) {
        Thread.sleep(200);
      }
    }
    assertThat(readiness).as("/health/ready after Redis returned").isEqualTo(200);
  }

  interface Call<T> {
    T run() throws Exception;
  }

  static <T> T call(Call<T> c) {
    try {
      return c.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

}
