package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tusk.conformance.hooks.TestReceiver.Hook;
import dev.tusk.conformance.hooks.TestReceiver.Reply;
import dev.tusk.server.hooks.HookType;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/hooks.md: a post-finish answer of {@code {"Keep": true}} or {@code {"ExpiresAt": ...}}
 * keeps the upload or moves its expiry, and {@code post-expiry-change} tells the receivers.
 */
class ExpiryAnswerIT {
  static final Instant LATER = HookedTusk.START.plus(Duration.ofDays(30));

  @RegisterExtension
  final HookedTusk tusk = HookedTusk.withReceiver(h -> {
    if (!h.type().equals("post-finish")) {
      return Reply.OK;
    }
    return switch (h.upload().path("MetaData").path("filename").asText()) {
      case "keep.bin" -> Reply.json("{\"Keep\": true}");
      case "later.bin" -> Reply.json("{\"expiresAt\": \"" + LATER + "\"}");
      case "past.bin" -> Reply.json("{\"ExpiresAt\": \"2000-01-01T00:00:00Z\"}");
      default -> Reply.OK;
    };
  }, c -> c.withEnabled(EnumSet.of(HookType.POST_FINISH, HookType.POST_EXPIRY_CHANGE)));

  private String uploadNamed(String filename) {
    Response c = tusk.tus().header("Upload-Length", 4).header("Upload-Metadata", "filename "
        + Base64.getEncoder().encodeToString(filename.getBytes(StandardCharsets.UTF_8))).post("/files/");
    assertThat(c.statusCode()).isEqualTo(201);
    String path = URI.create(c.header("Location")).getPath();
    assertThat(tusk.patch(path, 0, "data".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(204);
    return path;
  }

  @Test
  @DisplayName("post-finish answers Keep: the upload is kept, and post-expiry-change says so")
  void postFinishKeep_keepsTheUpload() throws Exception {
    String path = uploadNamed("keep.bin");
    String id = HookedTusk.id(path);

    Hook change = tusk.receiver().await(type("post-expiry-change").and(h -> h.uploadId().equals(id)));
    JsonNode expiry = change.body().path("Event").path("Expiry");
    assertThat(expiry.path("Keep").asBoolean()).isTrue();
    assertThat(expiry.path("ExpiresAt").isNull()).isTrue();
    assertThat(change.idempotencyKey()).matches("[0-9a-f]{32}");

    assertThat(tusk.tus().head(path).header("Upload-Expires")).isNull();
    assertThat(tusk.tus().get(path + "/details").jsonPath().getString("expiresAt")).isNull();
    tusk.clock().advance(Duration.ofDays(3650));
    assertThat(tusk.sweep()).isZero();
    assertThat(tusk.tus().get(path).asString()).isEqualTo("data");
  }

  @Test
  @DisplayName("post-finish answers ExpiresAt: the expiry moves, and post-expiry-change carries it")
  void postFinishExpiresAt_movesTheExpiry() throws Exception {
    String path = uploadNamed("later.bin");
    String id = HookedTusk.id(path);

    Hook change = tusk.receiver().await(type("post-expiry-change").and(h -> h.uploadId().equals(id)));
    JsonNode expiry = change.body().path("Event").path("Expiry");
    assertThat(expiry.path("Keep").asBoolean()).isFalse();
    assertThat(Instant.parse(expiry.path("ExpiresAt").asText())).isEqualTo(LATER);
    assertThat(Instant.parse(tusk.tus().get(path + "/details").jsonPath().getString("expiresAt"))).isEqualTo(LATER);

    tusk.clock().advance(Duration.ofDays(29));
    assertThat(tusk.sweep()).isZero();
    assertThat(tusk.tus().head(path).statusCode()).isEqualTo(200);
    tusk.clock().advance(Duration.ofDays(1));
    assertThat(tusk.sweep()).isEqualTo(1);
    assertThat(tusk.tus().head(path).statusCode()).isEqualTo(410);
  }

  @Test
  @DisplayName("a post-finish answer with an expiry in the past changes nothing and sends no event")
  void postFinishPastExpiry_isIgnored() throws Exception {
    String kept = uploadNamed("keep.bin");
    String path = uploadNamed("past.bin");
    tusk.receiver().await(type("post-expiry-change").and(h -> h.uploadId().equals(HookedTusk.id(kept))));
    tusk.receiver().await(type("post-finish").and(h -> h.uploadId().equals(HookedTusk.id(path))));
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (tusk.hooks().outboxDepth(HookType.POST_FINISH) > 0) {
      assertThat(System.nanoTime()).as("post-finish delivered within 15 s").isLessThan(deadline);
      Thread.sleep(10);
    }
    assertThat(Instant.parse(tusk.tus().get(path + "/details").jsonPath().getString("expiresAt")))
        .isEqualTo(HookedTusk.START.plus(Duration.ofHours(24)));
    assertThat(tusk.receiver().hooks("post-expiry-change")).noneMatch(h -> h.uploadId().equals(HookedTusk.id(path)));
  }
}
