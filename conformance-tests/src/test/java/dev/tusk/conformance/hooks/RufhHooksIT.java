package dev.tusk.conformance.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Hook;
import dev.tusk.server.hooks.HookType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.EnumSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uploads of Resumable Uploads for HTTP send the same hooks as tus ones. */
class RufhHooksIT {
  @RegisterExtension
  static final HookedTusk tusk = HookedTusk.withReceiver(c -> c.withEnabled(EnumSet.allOf(HookType.class)));

  @Test
  @DisplayName(
      "A draft upload (creation with Upload-Complete: ?0, an append completing it, cancellation)"
          + " sends post-create, post-receive, pre-finish, post-finish and post-terminate")
  void draftUpload_sendsTheLifecycleHooks() throws Exception {
    RequestSpecification draft = tusk.tus().header("Upload-Draft-Interop-Version", 7);
    Response created = tusk.tus().header("Upload-Draft-Interop-Version", 7)
        .header("Upload-Complete", "?0").body("01234".getBytes()).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String path = URI.create(created.header("Location")).getPath();
    String id = HookedTusk.id(path);
    Response appended = draft.header("Upload-Complete", "?1").header("Upload-Offset", 5)
        .contentType("application/partial-upload").body("56789".getBytes()).patch(path);
    assertThat(appended.statusCode()).isEqualTo(201);
    assertThat(tusk.tus().header("Upload-Draft-Interop-Version", 7).delete(path).statusCode()).isEqualTo(204);

    tusk.receiver().await(h -> h.type().equals("post-create") && h.uploadId().equals(id));
    tusk.receiver().await(h -> h.type().equals("post-receive") && h.uploadId().equals(id));
    Hook finish = tusk.receiver().await(h -> h.type().equals("post-finish") && h.uploadId().equals(id));
    tusk.receiver().await(h -> h.type().equals("post-terminate") && h.uploadId().equals(id));
    assertThat(tusk.receiver().hooks("pre-finish")).anyMatch(h -> h.uploadId().equals(id));
    assertThat(finish.upload().path("Size").asLong()).isEqualTo(10);
    assertThat(finish.upload().path("Offset").asLong()).isEqualTo(10);
  }
}
