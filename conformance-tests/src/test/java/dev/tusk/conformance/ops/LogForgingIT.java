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
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client cannot forge log lines or send terminal escapes into the log: every value it controls
 * (here the decoded request path and the query) is escaped, in the text format and in JSON, at
 * every level.
 */
class LogForgingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where a text line starts: its time stamp. */
  private static final Pattern LINE_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
  /** Paths that decode to a line feed, a carriage return, ESC sequences, NEL and U+2028. */
  private static final List<String> HOSTILE =
      List.of(
          "/files/abc%0A2026-01-01T00:00:00.000Z%20ERROR%20FORGED-LF%20user=admin",
          "/files/abc%0D2026-01-01T00:00:00.000Z%20ERROR%20FORGED-CR",
          "/files/abc%1B%5B2J%1B%5B31mFORGED-ESC",
          "/files/abc%C2%85FORGED-NEL%E2%80%A8FORGED-LS%E2%80%A9FORGED-PS",
          "/files/abc%0A%7B%22level%22:%22ERROR%22,%22message%22:%22FORGED-JSON%22%7D",
          "/files/abc%00FORGED-NUL%7FFORGED-DEL",
          "/files/abc/details%0AFORGED-SUB");

  @TempDir Path dir;

  @BeforeEach
  void fsOnly() {
    assumeThat(StoreKind.current()).as("child-process tests run in the fs execution").isEqualTo(StoreKind.FS);
  }

  @Test
  @DisplayName("text at debug: hostile paths and queries stay inside their own line, escaped, without control characters")
  void text_hostilePaths_cannotForgeLinesOrEscapes() throws Exception {
    String output = run(Map.of("TUSK_LOG_LEVEL", "debug"));
    assertNoControlCharacters(output);
    for (String line : output.lines().toList()) {
      if (line.contains("FORGED")) {
        assertThat(line).as("a line carrying client input").matches(LINE_START.pattern() + ".*");
      }
    }
    assertThat(output).as("the hostile path is logged, escaped").contains("abc\\n2026-01-01T00:00:00.000Z ERROR FORGED-LF");
    assertThat(output).contains("\\u001b[31mFORGED-ESC");
  }

  @Test
  @DisplayName("json at debug: every line is one JSON object; hostile input only inside string values")
  void json_hostilePaths_cannotForgeLinesOrEscapes() throws Exception {
    String output = run(Map.of("TUSK_LOG_FORMAT", "json", "TUSK_LOG_LEVEL", "debug"));
    assertNoControlCharacters(output);
    int carrying = 0;
    for (String line : output.lines().toList()) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as("line %s", line).isTrue();
      if (line.contains("FORGED")) {
        carrying++;
        assertThat(node.path("level").asText()).isNotEqualTo("FORGED");
      }
    }
    assertThat(carrying).as("lines carrying the hostile paths").isPositive();
  }

  @Test
  @DisplayName("text at debug, mode jwt: a token whose header quotes a line feed and ESC cannot forge a line")
  void text_hostileJwtHeader_cannotForgeLines() throws Exception {
    Map<String, String> env =
        Map.of("TUSK_LOG_LEVEL", "debug", "TUSK_AUTH_MODE", "jwt",
            "TUSK_AUTH_JWT_HS256_SECRET", "log-forging-secret-0123456789abcdef0123");
    String output;
    try (TuskProcess tusk = TuskProcess.serve(dir, env, "--upload-dir", dir.resolve("u").toString())) {
      java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
      String header = "{\"alg\":\"HS256\",\"typ\":\"x\\n2026-01-01T00:00:00.000Z ERROR FORGED-JWT\\u001b[31m\"}";
      String token = b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
          + b64.encodeToString("{\"sub\":\"a\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".c2ln";
      HttpResponse<String> r = TuskProcess.HTTP.send(
          HttpRequest.newBuilder(tusk.uri("/files/")).header("Tus-Resumable", "1.0.0").header("Upload-Length", "1")
              .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(tusk.terminate(Duration.ofSeconds(20))).isZero();
      output = tusk.output();
    }
    assertNoControlCharacters(output);
    assertThat(output.lines().filter(l -> l.contains("FORGED-JWT")).toList())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches(LINE_START.pattern() + ".*"));
  }

  /** Serves, sends the hostile requests, stops; returns everything the server wrote. */
  private String run(Map<String, String> env) throws Exception {
    try (TuskProcess tusk = TuskProcess.serve(dir, env, "--upload-dir", dir.resolve("u").toString())) {
      for (String path : HOSTILE) {
        for (String method : new String[] {"GET", "HEAD", "DELETE", "PATCH"}) {
          HttpRequest.Builder request =
              HttpRequest.newBuilder(tusk.uri(path))
                  .header("Tus-Resumable", "1.0.0")
                  .timeout(Duration.ofSeconds(10));
          if (method.equals("PATCH")) {
            request.header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method(method, HttpRequest.BodyPublishers.ofString("x"));
          } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
          }
          HttpResponse<Void> r = TuskProcess.HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
          assertThat(r.statusCode()).as("%s %s", method, path).isBetween(400, 499);
        }
      }
      HttpResponse<Void> simple =
          TuskProcess.HTTP.send(
              HttpRequest.newBuilder(tusk.uri("/files/?filename=a%0AFORGED-QUERY%1B%5B31m&ttl=x%0AFORGED-TTL"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(simple.statusCode()).isEqualTo(400);
      assertThat(tusk.terminate(Duration.ofSeconds(20))).isZero();
      return tusk.output();
    }
  }

  /** No C0 control but LF (the line ends), no DEL, no C1, no Unicode line or paragraph separator. */
  private static void assertNoControlCharacters(String output) {
    for (int i = 0; i < output.length(); i++) {
      char c = output.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
      assertThat(control)
          .as("character U+%04X at %d in: %s", (int) c, i, output.substring(Math.max(0, i - 80), Math.min(output.length(), i + 40)))
          .isFalse();
    }
  }
}
