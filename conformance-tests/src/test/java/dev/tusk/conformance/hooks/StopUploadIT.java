package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Reply;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** post-receive's StopUpload stops and terminates the upload. */
class StopUploadIT {
  @RegisterExtension
  static final HookedTusk tusk = HookedTusk.withReceiver(
      h -> h.type().equals("post-receive") ? Reply.json("{\"StopUpload\": true}") : Reply.OK, c -> c);

  @Test
  @DisplayName("StopUpload: the next stored chunk ends the request with ERR_UPLOAD_STOPPED and the upload is gone")
  void stopUpload_stopsAndTerminates() throws Exception {
    String path = tusk.create(1000);
    String id = HookedTusk.id(path);
    byte[] chunk = "0123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(tusk.patch(path, 0, chunk).statusCode()).isEqualTo(204);
    tusk.receiver().await(type("post-receive").and(h -> h.uploadId().equals(id)));

    Response stopped = null;
    for (int offset = chunk.length; offset < 1000 && stopped == null; offset += chunk.length) {
      Response r = tusk.patch(path, offset, chunk);
      if (r.statusCode() != 204) {
        stopped = r;
      }
    }
    assertThat(stopped).as("a PATCH was stopped").isNotNull();
    assertThat(stopped.statusCode()).isEqualTo(400);
    assertThat(stopped.jsonPath().getString("code")).isEqualTo("ERR_UPLOAD_STOPPED");
    assertThat(tusk.tus().head(path).statusCode()).isEqualTo(404);
    tusk.receiver().await(type("post-terminate").and(h -> h.uploadId().equals(id)));
  }
}
