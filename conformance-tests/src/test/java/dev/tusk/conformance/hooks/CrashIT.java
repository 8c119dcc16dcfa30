package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Hook;
import dev.tusk.conformance.hooks.TestReceiver.Reply;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A post-finish survives kill -9 of the server right after the client was told. */
class CrashIT {
  TestReceiver receiver;
  Path scratch;
  Process server;

  @BeforeEach
  void start() throws Exception {
    HookedTusk.onFsRunOnly();
    receiver = new TestReceiver();
    scratch = Files.createTempDirectory("tusk-hooks-crash-");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (receiver != null) {
      receiver.close();
    }
    if (scratch != null) {
      try (Stream<Path> paths = Files.walk(scratch)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Starts {@link HookServerMain} in a new JVM on the same directories; returns its port. */
  private int launch() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        HookServerMain.class.getName(), scratch.resolve("uploads").toString(),
        scratch.resolve("outbox").toString(), receiver.url())
        .redirectErrorStream(true)
        .start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Process p = server;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("LISTENING ")) {
            port.complete(Integer.parseInt(line.substring("LISTENING ".length()).trim()));
          }
        }
        port.completeExceptionally(new IllegalStateException("server exited with " + p.waitFor()));
      } catch (Exception e) {
        port.completeExceptionally(e);
      }
    });
    reader.setDaemon(true);
    reader.start();
    return port.get(30, TimeUnit.SECONDS);
  }


  @Test
  @DisplayName("kill -9 right after the finishing PATCH's 204: post-finish is delivered after restart, with one idempotency key")
  void killRightAfterFinish_postFinishDeliveredAfterRestart() throws Exception {
    // the receiver refuses post-finish before the crash, so only the outbox can deliver it
    receiver.answer(h -> h.type().equals("post-finish") ? new Reply(503, "{}") : Reply.OK);
    int port = launch();
    Response created = given().baseUri("http://127.0.0.1:" + port).header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", 5).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String path = URI.create(created.header("Location")).getPath();
    Response finished = given().baseUri("http://127.0.0.1:" + port).header("Tus-Resumable", "1.0.0")
        .contentType("application/offset+octet-stream").header("Upload-Offset", 0)
        .body("hello".getBytes(StandardCharsets.US_ASCII)).patch(path);
    assertThat(finished.statusCode()).isEqualTo(204);
    server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();

    receiver.answer(h -> Reply.OK);
    launch();
    String id = HookedTusk.id(path);
    Hook delivered = receiver.await(type("post-finish").and(h -> h.answeredStatus() == 200));
    assertThat(delivered.uploadId()).isEqualTo(id);
    assertThat(delivered.upload().path("Offset").asLong()).isEqualTo(5);

    List<Hook> all = receiver.hooks("post-finish");
    assertThat(all.stream().map(Hook::idempotencyKey).collect(Collectors.toSet()))
        .as("every attempt, before and after the crash, carries the same key")
        .containsExactly(delivered.idempotencyKey());
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (Files.list(scratch.resolve("outbox")).anyMatch(f -> f.toString().endsWith(".event"))) {
      assertThat(System.nanoTime()).as("outbox drained").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
