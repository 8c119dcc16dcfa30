package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tusk.conformance.StoreKind;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks and access control reached from the real command line: flags in, a tus upload through
 * API-key authentication, tusd-shaped hook requests out, secrets masked by {@code tusk config}.
 */
class WiringIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "wiring-it-key-0123456789abcdefghij";
  private static final String SCRAPER = "wiring-it-scraper-0123456789abcdef";

  /** A hook request as the receiver got it. */
  private record Hook(String hookName, String secret, JsonNode body) {
    String type() {
      return body.path("Type").asText();
    }
  }

  @TempDir Path dir;
  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    assumeThat(StoreKind.current()).as("child-process tests run in the fs execution").isEqualTo(StoreKind.FS);
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hooks", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      hooks.add(new Hook(exchange.getRequestHeaders().getFirst("Hook-Name"),
          exchange.getRequestHeaders().getFirst("X-Hook-Secret"), JSON.readTree(body)));
      byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  @DisplayName("--auth-mode keys and --hooks-http: 401 without a credential; with the key 201/204, "
      + "and the receiver gets pre-create and post-finish in tusd's shape")
  void serve_keysAndHttpHooks_authenticatesAndCallsTheReceiver() throws Exception {
    String hash = hashKey(KEY);
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    try (TuskProcess tusk = TuskProcess.serve(dir, Map.of("TUSK_HOOKS_HEADER", "X-Hook-Secret: hook-secret"),
        "--upload-dir", dir.resolve("data").toString(),
        "--auth-mode", "keys", "--auth-keys", hash + ":alice:upload+download",
        "--hooks-http", url, "--hooks-enabled", "pre-create,post-finish",
        "--metrics-key-sha256", hashKey(SCRAPER))) {
      assertThat(send(tusk, create(tusk).build()).statusCode()).isEqualTo(401);
      assertThat(hooks).as("no hook for a refused request").isEmpty();

      HttpResponse<String> created = send(tusk, create(tusk).header("Authorization", "Bearer " + KEY).build());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String location = created.headers().firstValue("Location").orElseThrow();
      HttpResponse<String> patched = send(tusk, HttpRequest.newBuilder(tusk.uri("/").resolve(location))
          .method("PATCH", HttpRequest.BodyPublishers.ofString("hello"))
          .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
          .header("Content-Type", "application/offset+octet-stream")
          .header("Authorization", "Bearer " + KEY).build());
      assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);

      Hook preCreate = awaitHook("pre-create");
      assertThat(preCreate.hookName()).isEqualTo("pre-create");
      assertThat(preCreate.secret()).as("--hooks-header (TUSK_HOOKS_HEADER)").isEqualTo("hook-secret");
      assertThat(preCreate.body().path("Event").path("Upload").path("Size").asLong()).isEqualTo(5);
      assertThat(preCreate.body().path("Event").path("Upload").path("MetaData").path("filename").asText())
          .isEqualTo("a.txt");
      assertThat(preCreate.body().path("Event").path("HTTPRequest").path("Method").asText()).isEqualTo("POST");
      Hook postFinish = awaitHook("post-finish");
      assertThat(location).endsWith("/" + postFinish.body().path("Event").path("Upload").path("ID").asText());
      assertThat(postFinish.body().path("Event").path("Upload").path("Offset").asLong()).isEqualTo(5);
      assertThat(hooks).extracting(Hook::type).doesNotContain("post-create", "post-receive");

      assertThat(tusk.get("/metrics").statusCode()).as("--metrics-key-sha256 protects /metrics").isEqualTo(401);
      assertThat(send(tusk, HttpRequest.newBuilder(tusk.uri("/metrics"))
          .header("Authorization", "Bearer " + SCRAPER).build()).body()).contains("tusk_hook_calls");
      assertThat(tusk.get("/health/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("tusk config masks auth.jwt.hs256-secret; a mode that lacks what it needs is refused")
  void config_jwtSecret_isMasked() throws Exception {
    String secret = "jwt-secret-0123456789abcdefghijklmnop";
    TuskProcess.Result shown = TuskProcess.run(dir, Map.of("TUSK_AUTH_JWT_HS256_SECRET", secret),
        "config", "--auth-mode", "jwt");
    assertThat(shown.exitCode()).as(shown.output()).isZero();
    assertThat(shown.output())
        .containsPattern("  jwt:\n    hs256-secret: \"\\*\\*\\*\\*\" +# env TUSK_AUTH_JWT_HS256_SECRET")
        .doesNotContain(secret);
    TuskProcess.Result refused = TuskProcess.run(dir, Map.of(), "config", "--auth-mode", "jwt");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.output()).contains("--auth-mode jwt needs exactly one of auth.jwt.hs256-secret");
  }

  private String hashKey(String key) throws Exception {
    TuskProcess.Result r = TuskProcess.run(dir, Map.of(), "hash-key", key);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output().strip();
  }

  private static HttpRequest.Builder create(TuskProcess tusk) {
    return HttpRequest.newBuilder(tusk.uri("/files/"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .header("Tus-Resumable", "1.0.0").header("Upload-Length", "5")
        .header("Upload-Metadata", "filename YS50eHQ=");
  }

  private static HttpResponse<String> send(TuskProcess tusk, HttpRequest request) throws Exception {
    return TuskProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The first hook of {@code type}, polled for at most 10 s (post-finish is delivered in the background). */
  private Hook awaitHook(String type) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      for (Hook h : hooks) {
        if (h.type().equals(type)) {
          return h;
        }
      }
      assertThat(System.nanoTime()).as("a " + type + " hook within 10 s; got " + hooks).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
