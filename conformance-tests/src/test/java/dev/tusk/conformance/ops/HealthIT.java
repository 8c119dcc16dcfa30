package dev.tusk.conformance.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.store.fs.FsUploadStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health/live and /health/ready, on the main port and on a separate management port. */
class HealthIT {
  @TempDir Path dir;

  @Test
  @DisplayName("ready answers 503 while the upload directory is not writable and 200 once it is back; live stays 200")
  void ready_followsTheStoreProbe_liveStaysUp() throws Exception {
    Path uploads = dir.resolve("uploads");
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(uploads);
    try (TuskServer server = TuskServer.builder(config).store(new FsUploadStore(uploads, Clock.systemUTC())).start()) {
      String base = "http://127.0.0.1:" + server.port();
      given().get(base + "/health/live").then().statusCode(200).header("Cache-Control", "no-store")
          .body(equalTo("{\"status\":\"UP\"}"));
      given().get(base + "/health/ready").then().statusCode(200).body(equalTo("{\"status\":\"UP\"}"));
      given().head(base + "/health/ready").then().statusCode(200);

      Files.delete(uploads); // root can write anywhere, so "not writable" is "not there"
      awaitReady(base, 503);
      given().get(base + "/health/ready").then().statusCode(503)
          .body(containsString("\"status\":\"DOWN\"")).body(containsString("store probe failed"));
      given().get(base + "/health/live").then().statusCode(200);

      Files.createDirectories(uploads);
      awaitReady(base, 200);
      given().post(base + "/health/live").then().statusCode(405).header("Allow", "GET, HEAD");
    }
  }

  @Test
  @DisplayName("With a management port, /metrics and /health/* are served there and not on the tus port")
  void managementPort_servesMetricsAndHealthApart() throws Exception {
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(dir).withMetricsPort(0);
    try (TuskServer server = TuskServer.builder(config).store(new FsUploadStore(dir, Clock.systemUTC())).start()) {
      assertThat(server.managementPort()).isNotEqualTo(server.port());
      String management = "http://127.0.0.1:" + server.managementPort();
      given().get(management + "/health/ready").then().statusCode(200);
      given().get(management + "/metrics").then().statusCode(200).body(containsString("tusk_info"));
      given().get(management + "/files/").then().statusCode(404);
      given().get("http://127.0.0.1:" + server.port() + "/metrics").then().statusCode(404)
          .contentType("application/problem+json");
    }
  }

  private static void awaitReady(String base, int status) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (given().get(base + "/health/ready").statusCode() != status) {
      assertThat(System.nanoTime()).as("readiness became " + status + " within 10 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
