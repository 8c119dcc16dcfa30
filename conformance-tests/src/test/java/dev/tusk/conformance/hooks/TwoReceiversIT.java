package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Reply;
import dev.tusk.server.hooks.ReceiverConfig;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** An HTTP receiver and a file hook at once: both are told, any rejection wins. */
class TwoReceiversIT {
  static TestReceiver receiver;
  static HookedTusk tusk;
  static Path scriptDir;
  static Path received;

  @BeforeAll
  static void start() throws Exception {
    HookedTusk.onFsRunOnly();
    receiver = new TestReceiver().answer(h -> h.type().equals("pre-create")
        && h.upload().path("MetaData").path("owner").asText().equals("http-says-no")
        ? Reply.json("{\"RejectUpload\": true, \"HTTPResponse\": {\"StatusCode\": 451, \"Body\": \"http says no\"}}")
        : Reply.OK);
    scriptDir = Files.createTempDirectory("tusk-hook-script-");
    received = Files.createDirectory(scriptDir.resolve("received"));
    Path script = scriptDir.resolve("hook");
    Files.writeString(script, """
        #!/bin/bash
        # a tusd file hook: the request on stdin, the response on stdout
        in=$(cat)
        printf '%s' "$in" > "RECEIVED/$TUSK_HOOK_NAME-$TUSK_EVENT_ID.json"
        if [[ "$TUSK_HOOK_NAME" == pre-create && "$in" == *'"owner":"script-says-no"'* ]]; then
          echo '{"RejectUpload": true, "HTTPResponse": {"StatusCode": 403, "Body": "script says no"}}'
        fi
        """.replace("RECEIVED", received.toString()));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    tusk = HookedTusk.start(c -> c.withReceivers(List.of(
        ReceiverConfig.http(receiver.url()).withTimeout(Duration.ofSeconds(5)),
        ReceiverConfig.file(script.toString()).withTimeout(Duration.ofSeconds(10)))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (tusk != null) {
      tusk.close();
      receiver.close();
      try (Stream<Path> paths = Files.walk(scriptDir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Response create(String owner) {
    return tusk.tus().header("Upload-Length", 2)
        .header("Upload-Metadata", "owner " + Base64.getEncoder().encodeToString(owner.getBytes(StandardCharsets.UTF_8)))
        .post("/files/");
  }

  private static List<String> scriptFiles(String prefix) throws Exception {
    try (Stream<Path> files = Files.list(received)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }
  }

  @Test
  @DisplayName("Either receiver's rejection wins, with its own status and body")
  void anyRejectionWins() {
    Response http = create("http-says-no");
    assertThat(http.statusCode()).isEqualTo(451);
    assertThat(http.asString()).isEqualTo("http says no");
    Response script = create("script-says-no");
    assertThat(script.statusCode()).isEqualTo(403);
    assertThat(script.asString()).isEqualTo("script says no");
  }

  @Test
  @DisplayName("Both receivers get every notification with the same idempotency key")
  void bothReceiversAreNotified() throws Exception {
    Response r = create("ok");
    assertThat(r.statusCode()).isEqualTo(201);
    String path = java.net.URI.create(r.header("Location")).getPath();
    assertThat(tusk.patch(path, 0, "hi".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(204);
    String id = HookedTusk.id(path);

    String key = receiver.await(type("post-finish").and(h -> h.uploadId().equals(id))).idempotencyKey();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (scriptFiles("post-finish-" + key).isEmpty()) {
      assertThat(System.nanoTime()).as("the script got post-finish").isLessThan(deadline);
      Thread.sleep(10);
    }
    String body = Files.readString(received.resolve("post-finish-" + key + ".json"));
    assertThat(TestReceiver.JSON.readTree(body).path("Event").path("Upload").path("ID").asText()).isEqualTo(id);
    assertThat(receiver.hooks("post-create").stream().anyMatch(h -> h.uploadId().equals(id))).isTrue();
    assertThat(scriptFiles("post-create-")).isNotEmpty();
  }
}
