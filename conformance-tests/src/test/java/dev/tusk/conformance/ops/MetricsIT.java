package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after an upload's whole life: every meter named in docs/operations.md. */
class MetricsIT {
  private static final Pattern NAME = Pattern.compile("\\b(?:tusk|jvm|process|system|disk)_[a-z_]*[a-z]\\b");
  @TempDir Path dir;

  @Test
  @DisplayName("/metrics exposes the named meters after uploads are created, finished, terminated and expired")
  void metrics_afterAnUploadsLife_exposeTheNamedMeters() throws Exception {
    try (TuskFixture tusk = TuskFixture.start(c -> c.withUploadDir(dir))) {
      String first = tusk.tus().header("Upload-Length", "5").post("/files/").then().statusCode(201)
          .extract().header("Location");
      String id = first.substring(first.lastIndexOf('/') + 1);
      tusk.tus().header("Upload-Offset", "0").contentType("application/offset+octet-stream").body("hello".getBytes())
          .patch("/files/" + id).then().statusCode(204);
      tusk.tus().head("/files/" + id).then().statusCode(200);
      tusk.http().get("/files/" + id).then().statusCode(200);
      tusk.tus().delete("/files/" + id).then().statusCode(204);
      tusk.tus().head("/files/0123456789abcdef").then().statusCode(404);
      tusk.tus().header("Upload-Length", "5").post("/files/").then().statusCode(201);
      tusk.clock().advance(Duration.ofDays(2));
      assertThat(tusk.server().sweepExpired()).isEqualTo(1);

      System.gc(); // so jvm_gc_pause_seconds has a first sample
      String metrics = scrapeUntil(tusk, "jvm_gc_pause_seconds");

      assertThat(metrics).contains(
          "tusk_http_requests_seconds_bucket{method=\"PATCH\",status=\"2xx\",le=\"0.005\"}",
          "tusk_http_requests_seconds_count{method=\"POST\",status=\"2xx\"} 2",
          "tusk_http_requests_seconds_count{method=\"HEAD\",status=\"4xx\"} 1",
          "tusk_received_bytes_total 5.0",
          "tusk_sent_bytes_total",
          "tusk_stored_bytes_total 5.0",
          "tusk_uploads_total{event=\"created\"} 2.0",
          "tusk_uploads_total{event=\"finished\"} 1.0",
          "tusk_uploads_total{event=\"terminated\"} 1.0",
          "tusk_uploads_total{event=\"expired\"} 1.0",
          "tusk_errors_total{code=\"ERR_UPLOAD_NOT_FOUND\"} 1.0",
          "tusk_connections_open",
          "tusk_requests_active",
          "tusk_patches_in_flight 0.0",
          "tusk_lock_release_requests_total",
          "tusk_locks_held 0.0",
          "tusk_store_operation_seconds_count{operation=\"create\",outcome=\"ok\"}",
          "tusk_store_operation_seconds_count{operation=\"write\",outcome=\"ok\"}",
          "tusk_store_operation_seconds_count{operation=\"terminate\",outcome=\"ok\"}",
          "tusk_sweep_seconds_count{outcome=\"ok\"} 1",
          "tusk_sweep_last_success_timestamp_seconds",
          "tusk_sweep_failures_total 0.0",
          "tusk_info{",
          "jvm_memory_used_bytes",
          "jvm_gc_pause_seconds",
          "process_cpu_usage",
          "process_uptime_seconds");
      assertThat(metrics).as("management endpoints are not tus requests").doesNotContain("method=\"other\"");
      assertThat(metrics).as("low cardinality: never an upload id").doesNotContain(id);
    }
  }

  @Test
  @DisplayName("Every meter named by the docs, the alert rules and the Grafana dashboard exists")
  void shippedFiles_nameOnlyMetersThatExist() throws Exception {
    Set<String> named = new TreeSet<>();
    for (String file : new String[] {"../docs/operations.md", "../config/alerts.yml", "../config/grafana-dashboard.json"}) {
      Matcher m = NAME.matcher(Files.readString(Path.of(file)));
      while (m.find()) {
        named.add(m.group());
      }
    }
    assertThat(named).contains("tusk_uploads_total", "tusk_http_requests_seconds_bucket", "tusk_errors_total");
    try (TuskFixture tusk = TuskFixture.start(c -> c.withUploadDir(dir))) {
      tusk.tus().head("/files/0123456789abcdef").then().statusCode(404);
      System.gc();
      String metrics = scrapeUntil(tusk, "jvm_gc_pause_seconds");
      assertThat(named).allSatisfy(name -> assertThat(metrics).as("/metrics has " + name).contains(name));
    }
  }

  /** /metrics once it contains {@code name} (meters fed by JVM notifications arrive a moment later). */
  private static String scrapeUntil(TuskFixture tusk, String name) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String metrics;
    do {
      metrics = tusk.http().get("/metrics").then().statusCode(200)
          .contentType("text/plain; version=0.0.4; charset=utf-8").extract().asString();
    } while (!metrics.contains(name) && System.nanoTime() < deadline && sleep());
    return metrics;
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(100);
    return true;
  }
}
