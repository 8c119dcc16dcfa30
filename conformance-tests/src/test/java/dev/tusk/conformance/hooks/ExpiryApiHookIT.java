package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tusk.conformance.hooks.TestReceiver.Hook;
import dev.tusk.server.auth.ApiKey;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.KeyHashes;
import dev.tusk.server.hooks.HookType;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Scopes;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/hooks.md: {@code post-expiry-change} is sent "after an upload's expiry was changed or the
 * upload kept ({@code PATCH <upload>/details})": here a backend changes it through that API with
 * an admin key, and the receiver is told the new expiry; a refused change tells it nothing.
 */
class ExpiryApiHookIT {
  static final String OWNER = "owner-key-4f1c2a9d7b3e8f60a5c1d2e3f4a5b6c7";
  static final String ADMIN = "admin-key-00112233445566778899aabbccddeeff";

  @RegisterExtension
  final HookedTusk tusk =
      HookedTusk.withReceiver(c -> c.withEnabled(EnumSet.of(HookType.POST_EXPIRY_CHANGE)))
          .withAuth(AuthConfig.defaults().withKeys(List.of(
              key(OWNER, "alice", Scopes.UPLOAD, Scopes.DOWNLOAD), key(ADMIN, "ops", Scopes.ADMIN))));

  private static ApiKey key(String key, String owner, String... scopes) {
    return new ApiKey(KeyHashes.sha256Hex(key), owner, Set.of(scopes), Limits.NONE, "default");
  }

  /** An upload of the owner's; its path. */
  private String upload() {
    Response r = tusk.tus(OWNER).header("Upload-Length", 4).post("/files/");
    assertThat(r.statusCode()).as("creation: %s", r.asString()).isEqualTo(201);
    return java.net.URI.create(r.header("Location")).getPath();
  }

  private Response change(String path, String body) {
    return tusk.tus(ADMIN).contentType("application/json").body(body).patch(path + "/details");
  }

  private JsonNode expiryChange(String path) throws Exception {
    String id = HookedTusk.id(path);
    Hook hook = tusk.receiver().await(type("post-expiry-change").and(h -> h.uploadId().equals(id)));
    return hook.body().path("Event").path("Expiry");
  }

  @Test
  @DisplayName("An admin keeps an upload through the API: post-expiry-change with Keep true and no expiry")
  void keepThroughTheApi_sendsPostExpiryChange() throws Exception {
    String path = upload();
    Response kept = change(path, "{\"keep\": true}");
    assertThat(kept.statusCode()).as(kept.asString()).isEqualTo(200);

    JsonNode expiry = expiryChange(path);
    assertThat(expiry.path("Keep").asBoolean()).isTrue();
    assertThat(expiry.path("ExpiresAt").isNull()).isTrue();
  }

  @Test
  @DisplayName("An admin moves an upload's expiry through the API: post-expiry-change with the new instant")
  void expiresAtThroughTheApi_sendsPostExpiryChange() throws Exception {
    String path = upload();
    Instant later = HookedTusk.START.plus(Duration.ofDays(3));
    Response moved = change(path, "{\"expiresAt\": \"" + later + "\"}");
    assertThat(moved.statusCode()).as(moved.asString()).isEqualTo(200);

    JsonNode expiry = expiryChange(path);
    assertThat(expiry.path("Keep").asBoolean()).isFalse();
    assertThat(Instant.parse(expiry.path("ExpiresAt").asText())).isEqualTo(later);
  }

  @Test
  @DisplayName("A refused change (bad body, or by the owner without auth.owner-expiry) sends no post-expiry-change")
  void refusedChange_sendsNothing() throws Exception {
    String path = upload();
    assertThat(change(path, "{}").statusCode()).isEqualTo(400);
    assertThat(tusk.tus(OWNER).contentType("application/json").body("{\"keep\": true}")
        .patch(path + "/details").statusCode()).isEqualTo(403);
    // a change accepted afterwards is the first and only one the receiver hears of
    assertThat(change(path, "{\"keep\": true}").statusCode()).isEqualTo(200);
    assertThat(expiryChange(path).path("Keep").asBoolean()).isTrue();
    String id = HookedTusk.id(path);
    assertThat(tusk.receiver().hooks("post-expiry-change")).filteredOn(h -> h.uploadId().equals(id)).hasSize(1);
  }
}
