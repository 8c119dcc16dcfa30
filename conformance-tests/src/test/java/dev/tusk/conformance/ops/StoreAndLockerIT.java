package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tusk.conformance.StoreKind;
import dev.tusk.locker.redis.RedisServerProcess;
import dev.tusk.store.s3.S3ProxyFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line wires store: s3 and locker: redis from TUSK_* variables alone. */
class StoreAndLockerIT {
  @TempDir Path dir;

  @Test
  @DisplayName("TUSK_STORE=s3 and TUSK_LOCKER=redis: uploads land in the bucket, readiness probes it, SIGTERM exits 0")
  void s3StoreAndRedisLocker_fromEnvironment() throws Exception {
    assumeThat(StoreKind.current()).as("child-process tests run in the fs execution").isEqualTo(StoreKind.FS);
    S3ProxyFixture s3 = S3ProxyFixture.shared();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      Map<String, String> env = Map.ofEntries(
          Map.entry("TUSK_STORE", "s3"),
          Map.entry("TUSK_S3_ENDPOINT", s3.endpoint().toString()),
          Map.entry("TUSK_S3_BUCKET", S3ProxyFixture.BUCKET),
          Map.entry("TUSK_S3_PREFIX", "ops-" + UUID.randomUUID() + "/"),
          Map.entry("TUSK_S3_PATH_STYLE", "true"),
          Map.entry("TUSK_S3_ACCESS_KEY", S3ProxyFixture.CREDENTIALS.accessKeyId()),
          Map.entry("TUSK_S3_SECRET_KEY", S3ProxyFixture.CREDENTIALS.secretAccessKey()),
          Map.entry("TUSK_S3_PART_SIZE", "5MiB"),
          Map.entry("TUSK_S3_TEMP_DIR", dir.resolve("parts").toString()),
          Map.entry("TUSK_S3_TEMP_BUDGET", "64MiB"),
          Map.entry("TUSK_MAX_SIZE", "1GiB"),
          Map.entry("TUSK_LOCKER", "redis"),
          Map.entry("TUSK_REDIS_URL", redis.url().toString()));
      TuskProcess.Result config = TuskProcess.run(dir, env, "config");
      assertThat(config.output()).contains("store: \"s3\"").contains("secret-key: \"****\"")
          .contains("offset-cache: \"auto\"").doesNotContain(S3ProxyFixture.CREDENTIALS.secretAccessKey());
      byte[] data = new byte[6 << 20];
      new Random(7).nextBytes(data);
      try (TuskProcess tusk = TuskProcess.serve(dir, env)) {
        HttpResponse<String> created = TuskProcess.HTTP.send(
            HttpRequest.newBuilder(tusk.uri("/files/")).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(data.length)).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String path = location.substring(location.indexOf("/files/"));
        int half = data.length / 2;
        patch(tusk, path, data, 0, half);
        patch(tusk, path, data, half, data.length);
        byte[] downloaded = TuskProcess.HTTP.send(HttpRequest.newBuilder(tusk.uri(path)).build(),
            HttpResponse.BodyHandlers.ofByteArray()).body();
        assertThat(Arrays.equals(downloaded, data)).as("downloaded bytes equal the upload").isTrue();
        assertThat(tusk.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(tusk.get("/metrics").body())
            .contains("tusk_info{locker=\"redis\",store=\"s3\"")
            .contains("tusk_store_operation_seconds_count{operation=\"commit\",outcome=\"ok\"} 2");
        assertThat(tusk.terminate(Duration.ofSeconds(30))).isZero();
      }
    }
  }

  private static void patch(TuskProcess tusk, String path, byte[] data, int from, int to) throws Exception {
    HttpResponse<String> r = TuskProcess.HTTP.send(
        HttpRequest.newBuilder(tusk.uri(path)).header("Tus-Resumable", "1.0.0").header("Upload-Offset", String.valueOf(from))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.headers().firstValue("Upload-Offset")).contains(String.valueOf(to));
  }
}
