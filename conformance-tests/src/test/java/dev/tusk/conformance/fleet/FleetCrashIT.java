package dev.tusk.conformance.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.ops.TuskProcess;
import dev.tusk.locker.redis.RedisServerProcess;
import dev.tusk.store.s3.S3ProxyFixture;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real tusk processes ({@code --store s3 --locker redis}) over one S3-compatible server and
 * one redis-server: the instance holding a PATCH is killed with SIGKILL, and the upload resumes on
 * the other once the dead instance's lease expires, with every acknowledged byte present.
 */
@EnabledIfSystemProperty(named = "tusk.store", matches = "s3")
class FleetCrashIT {
  static final int MIB = 1 << 20;
  @TempDir Path dir;

  private Map<String, String> env(RedisServerProcess redis, String prefix, int node) {
    return Map.ofEntries(
        Map.entry("TUSK_STORE", "s3"),
        Map.entry("TUSK_S3_ENDPOINT", S3ProxyFixture.shared().endpoint().toString()),
        Map.entry("TUSK_S3_BUCKET", S3ProxyFixture.BUCKET),
        Map.entry("TUSK_S3_PREFIX", prefix),
        Map.entry("TUSK_S3_PATH_STYLE", "true"),
        Map.entry("TUSK_S3_ACCESS_KEY", S3ProxyFixture.CREDENTIALS.accessKeyId()),
        Map.entry("TUSK_S3_SECRET_KEY", S3ProxyFixture.CREDENTIALS.secretAccessKey()),
        Map.entry("TUSK_S3_PART_SIZE", "5MiB"),
        Map.entry("TUSK_S3_TEMP_DIR", dir.resolve("parts" + node).toString()),
        Map.entry("TUSK_S3_TEMP_BUDGET", "64MiB"),
        Map.entry("TUSK_MAX_SIZE", "1GiB"),
        Map.entry("TUSK_LOCKER", "redis"),
        Map.entry("TUSK_REDIS_URL", redis.url().toString()),
        Map.entry("TUSK_REDIS_LEASE", "2s"),
        Map.entry("TUSK_LOCK_WAIT", "6s"),
        Map.entry("TUSK_UPLOAD_DIR", dir.resolve("data" + node).toString()));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return TuskProcess.HTTP.send(
        request.timeout(Duration.ofSeconds(60)).header("Tus-Resumable", "1.0.0").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> patch(URI upload, long offset, byte[] data, int from, int to) throws Exception {
    return send(HttpRequest.newBuilder(upload).header("Upload-Offset", String.valueOf(offset))
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)));
  }

  @Test
  @DisplayName("kill -9 of the instance holding a PATCH: the upload resumes on another instance after the lease expires, with every acknowledged byte")
  void killHolder_resumesOnOtherInstance() throws Exception {
    byte[] data = new byte[14 * MIB + 4321];
    new Random(81).nextBytes(data);
    String prefix = "crash-" + UUID.randomUUID() + "/";
    try (RedisServerProcess redis = RedisServerProcess.start();
        TuskProcess a = TuskProcess.serve(dir, env(redis, prefix, 0));
        TuskProcess b = TuskProcess.serve(dir, env(redis, prefix, 1))) {
      HttpResponse<String> created = send(HttpRequest.newBuilder(a.uri("/files/"))
          .header("Upload-Length", String.valueOf(data.length)).POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String path = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
      int acknowledged = 6 * MIB + 7;
      assertThat(patch(a.uri(path), 0, data, 0, acknowledged).statusCode()).isEqualTo(204);

      try (Socket socket = new Socket("127.0.0.1", a.port)) {
        OutputStream out = socket.getOutputStream();
        out.write(("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: "
            + acknowledged + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
            + (data.length - acknowledged) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, acknowledged, 3 * MIB);
        out.flush();
        Thread.sleep(300); // let A read the bytes and take the lock before it dies
        a.process.destroyForcibly();
        assertThat(a.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }

      HttpResponse<String> head = send(HttpRequest.newBuilder(b.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (head.statusCode() != 200 && System.nanoTime() < deadline) { // 423 until the lease ran out
        assertThat(head.statusCode()).isIn(423, 503);
        Thread.sleep(200);
        head = send(HttpRequest.newBuilder(b.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      }
      assertThat(head.statusCode()).isEqualTo(200);
      long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
      assertThat(offset).as("every acknowledged byte is kept").isGreaterThanOrEqualTo(acknowledged)
          .isLessThanOrEqualTo(acknowledged + 3L * MIB);
      HttpResponse<String> resumed = patch(b.uri(path), offset, data, (int) offset, data.length);
      assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(204);
      HttpResponse<byte[]> download = TuskProcess.HTTP.send(
          HttpRequest.newBuilder(b.uri(path)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(Arrays.equals(download.body(), data)).as("byte-exact after the crash").isTrue();
    }
  }
}
