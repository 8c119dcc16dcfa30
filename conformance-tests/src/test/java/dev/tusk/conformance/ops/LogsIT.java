package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tusk.conformance.StoreKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One log line per request and per lifecycle event, in text and in JSON, with the error body's trace id. */
class LogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @BeforeEach
  void fsOnly() {
    assumeThat(StoreKind.current()).as("child-process tests run in the fs execution").isEqualTo(StoreKind.FS);
  }

  @Test
  @DisplayName("text: the request line of an error carries the traceId of its problem+json body; secrets never appear")
  void text_requestLine_carriesTheTraceIdOfTheErrorBody() throws Exception {
    try (TuskProcess tusk = TuskProcess.serve(dir, Map.of(), "--upload-dir", dir.resolve("u").toString())) {
      String upload = create(tusk);
      HttpResponse<String> conflict = patch(tusk, upload, "7");
      assertThat(conflict.statusCode()).isEqualTo(409);
      String trace = JSON.readTree(conflict.body()).get("traceId").asText();
      assertThat(tusk.terminate(Duration.ofSeconds(20))).isZero();
      String output = tusk.output();
      assertThat(output.lines().filter(l -> l.contains("tusk.request") && l.contains("trace=" + trace)).toList())
          .singleElement().asString()
          .contains("method=PATCH", "route=/files/{id}", "status=409", "code=ERR_MISMATCHED_OFFSET",
              "upload=" + upload.substring(upload.lastIndexOf('/') + 1), "received=", "sent=", "duration_ms=");
      assertThat(output).contains("tusk.upload upload created event=created");
      assertThat(output).doesNotContain("Bearer s3cr3t");
    }
  }

  @Test
  @DisplayName("json: one JSON object per line, with the request's fields and the lifecycle events")
  void json_everyLineIsAnObject_withRequestFieldsAndLifecycleEvents() throws Exception {
    try (TuskProcess tusk = TuskProcess.serve(dir, Map.of("TUSK_LOG_FORMAT", "json"),
        "--upload-dir", dir.resolve("u").toString())) {
      String upload = create(tusk);
      HttpResponse<String> done = patch(tusk, upload, "0");
      assertThat(done.statusCode()).isEqualTo(204);
      HttpResponse<String> conflict = patch(tusk, upload, "1");
      String trace = JSON.readTree(conflict.body()).get("traceId").asText();
      assertThat(tusk.terminate(Duration.ofSeconds(20))).isZero();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : tusk.output().lines().toList()) {
        lines.add(JSON.readTree(line));
      }
      List<Map<String, String>> requests = lines.stream()
          .filter(l -> l.get("loggerName").asText().equals("tusk.request")).map(LogsIT::fields).toList();
      assertThat(requests).anySatisfy(r -> assertThat(r)
          .containsEntry("trace", trace).containsEntry("status", "409").containsEntry("code", "ERR_MISMATCHED_OFFSET"));
      assertThat(lines.stream().filter(l -> l.get("loggerName").asText().equals("tusk.upload")).map(LogsIT::fields))
          .extracting(f -> f.get("event")).contains("created", "finished");
    }
  }

  /** The key-value pairs of a JSON line (logback's JsonEncoder writes them as a list of one-key objects). */
  private static Map<String, String> fields(JsonNode line) {
    Map<String, String> out = new LinkedHashMap<>();
    line.get("kvpList").forEach(kv -> kv.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText())));
    return out;
  }

  private static String create(TuskProcess tusk) throws Exception {
    HttpResponse<String> created = TuskProcess.HTTP.send(
        HttpRequest.newBuilder(tusk.uri("/files/")).header("Tus-Resumable", "1.0.0").header("Upload-Length", "3")
            .header("Authorization", "Bearer s3cr3t").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    String location = created.headers().firstValue("Location").orElseThrow();
    return location.substring(location.indexOf("/files/"));
  }

  private static HttpResponse<String> patch(TuskProcess tusk, String path, String offset) throws Exception {
    return TuskProcess.HTTP.send(
        HttpRequest.newBuilder(tusk.uri(path)).header("Tus-Resumable", "1.0.0").header("Upload-Offset", offset)
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("abc")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
