package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tusk.conformance.hooks.TestReceiver.Hook;
import dev.tusk.server.hooks.HookType;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every hook type reaches an HTTP receiver with every field of tusd's hook request. */
class HookEventsIT {
  @RegisterExtension
  static final HookedTusk tusk = HookedTusk.withReceiver(c -> c.withEnabled(EnumSet.allOf(HookType.class)));

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Hook> of(String id) {
    return tusk.receiver().hooks().stream()
        .filter(h -> h.uploadId().equals(id) || h.type().equals("pre-create")).toList();
  }

  @Test
  @DisplayName("An upload's life sends pre-create, post-create, pre-access, post-receive, pre-finish, "
      + "post-finish, pre-terminate and post-terminate with tusd's fields")
  void lifecycle_sendsEveryHookTypeWithEveryField() throws Exception {
    Response created = tusk.tus().header("Upload-Length", 10)
        .header("Upload-Metadata", "filename " + b64("ä.txt") + ",empty")
        .header("Authorization", "Bearer hooks").post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String path = URI.create(created.header("Location")).getPath();
    String id = HookedTusk.id(path);
    assertThat(tusk.patch(path, 0, "01234".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(204);
    assertThat(tusk.patch(path, 5, "56789".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(204);
    assertThat(tusk.tus().head(path).statusCode()).isEqualTo(200);
    assertThat(tusk.tus().get(path).statusCode()).isEqualTo(200);
    assertThat(tusk.tus().delete(path).statusCode()).isEqualTo(204);

    Hook post = tusk.receiver().await(type("post-terminate").and(h -> h.uploadId().equals(id)));
    Hook finish = tusk.receiver().await(type("post-finish").and(h -> h.uploadId().equals(id)));
    tusk.receiver().await(type("post-receive").and(h -> h.uploadId().equals(id)));
    Hook preCreate = tusk.receiver().hooks("pre-create").stream()
        .filter(h -> h.request().path("Header").has("Authorization")).findFirst().orElseThrow();

    assertThat(preCreate.upload().path("ID").asText()).as("tusd: no ID in pre-create").isEmpty();
    assertThat(preCreate.upload().path("Size").asLong()).isEqualTo(10);
    assertThat(preCreate.upload().path("SizeIsDeferred").asBoolean()).isFalse();
    assertThat(preCreate.upload().path("Offset").asLong()).isZero();
    assertThat(preCreate.upload().path("MetaData").path("filename").asText()).isEqualTo("ä.txt");
    assertThat(preCreate.upload().path("MetaData").path("empty").asText()).isEmpty();
    assertThat(preCreate.upload().path("IsPartial").asBoolean()).isFalse();
    assertThat(preCreate.upload().path("IsFinal").asBoolean()).isFalse();
    assertThat(preCreate.upload().path("PartialUploads").isNull()).isTrue();
    assertThat(preCreate.upload().path("Storage").isNull()).isTrue();
    JsonNode http = preCreate.request();
    assertThat(http.path("Method").asText()).isEqualTo("POST");
    assertThat(http.path("URI").asText()).isEqualTo("/files/");
    assertThat(http.path("RemoteAddr").asText()).startsWith("127.0.0.1:");
    assertThat(http.path("Header").path("Authorization").get(0).asText()).isEqualTo("Bearer hooks");
    assertThat(http.path("Header").path("Tus-Resumable").get(0).asText()).isEqualTo("1.0.0");

    assertThat(finish.upload().path("Offset").asLong()).isEqualTo(10);
    assertThat(finish.upload().path("Storage").isObject()).isTrue();
    assertThat(finish.request().path("Method").asText()).isEqualTo("PATCH");
    assertThat(finish.request().path("URI").asText()).isEqualTo(path);
    assertThat(post.request().path("Method").asText()).isEqualTo("DELETE");

    List<String> types = of(id).stream().map(Hook::type).distinct().toList();
    assertThat(types).contains("pre-create", "post-create", "pre-access", "post-receive", "pre-finish",
        "post-finish", "pre-terminate", "post-terminate");
    for (Hook h : of(id)) {
      assertThat(h.hookName()).as("Hook-Name header of %s", h.type()).isEqualTo(h.type());
      assertThat(h.contentType()).startsWith("application/json");
      assertThat(h.idempotencyKey()).as("Idempotency-Key of %s", h.type()).matches("[0-9a-f]{32}");
    }
    List<String> modes = tusk.receiver().hooks("pre-access").stream().filter(h -> h.uploadId().equals(id))
        .map(h -> h.request().path("Method").asText() + ":"
            + h.body().path("Event").path("Access").path("Mode").asText())
        .toList();
    assertThat(modes).as("one pre-access per kind of access (PATCH answers are cached)")
        .containsExactlyInAnyOrder("PATCH:write", "HEAD:read", "GET:read", "DELETE:write");
  }

  @Test
  @DisplayName("Deferred length and concatenation show in SizeIsDeferred, IsPartial, IsFinal, PartialUploads")
  void concatenationAndDeferredLength_fields() throws Exception {
    Response deferred = tusk.tus().header("Upload-Defer-Length", "1")
        .header("Upload-Metadata", "tag " + b64("deferred")).post("/files/");
    assertThat(deferred.statusCode()).isEqualTo(201);
    Hook d = tusk.receiver().await(type("pre-create").and(h -> h.upload().path("MetaData").has("tag")));
    assertThat(d.upload().path("SizeIsDeferred").asBoolean()).isTrue();

    String p1 = partial("ab");
    String p2 = partial("cd");
    Response fin = tusk.tus().header("Upload-Concat", "final;" + p1 + " " + p2).post("/files/");
    assertThat(fin.statusCode()).as(fin.asString()).isEqualTo(201);
    String finalId = HookedTusk.id(URI.create(fin.header("Location")).getPath());

    Hook partial = tusk.receiver().await(type("post-create").and(h -> h.uploadId().equals(HookedTusk.id(p1))));
    assertThat(partial.upload().path("IsPartial").asBoolean()).isTrue();
    Hook preFinal = tusk.receiver().await(type("pre-create").and(h -> h.upload().path("IsFinal").asBoolean()));
    assertThat(preFinal.upload().path("PartialUploads").get(0).asText()).isEqualTo(HookedTusk.id(p1));
    assertThat(preFinal.upload().path("PartialUploads").get(1).asText()).isEqualTo(HookedTusk.id(p2));
    Hook finished = tusk.receiver().await(type("post-finish").and(h -> h.uploadId().equals(finalId)));
    assertThat(finished.upload().path("Offset").asLong()).isEqualTo(4);
  }

  private static String partial(String content) {
    Response r = tusk.tus().header("Upload-Length", content.length()).header("Upload-Concat", "partial")
        .post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    String path = URI.create(r.header("Location")).getPath();
    assertThat(tusk.patch(path, 0, content.getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(204);
    return path;
  }
}
