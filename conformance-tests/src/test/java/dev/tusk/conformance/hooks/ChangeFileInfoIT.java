package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Reply;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** pre-create's ChangeFileInfo: the receiver picks the upload's id and metadata. */
class ChangeFileInfoIT {
  TestReceiver receiver;
  HookedTusk tusk;

  @BeforeEach
  void start() throws Exception {
    HookedTusk.onFsRunOnly();
    receiver = new TestReceiver();
  }

  @AfterEach
  void stop() throws Exception {
    if (tusk != null) {
      tusk.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("ChangeFileInfo.ID and MetaData replace the upload's id and metadata")
  void changeFileInfo_changesIdAndMetadata() throws Exception {
    tusk = HookedTusk.start(receiver.url(), c -> c);
    receiver.answer(h -> h.type().equals("pre-create")
        ? Reply.json("{\"ChangeFileInfo\": {\"ID\": \"project-7-" + h.upload().path("MetaData")
            .path("filename").asText().replace(".", "-") + "\", \"MetaData\": {\"project\": \"7\"}}}")
        : Reply.OK);
    Response r = tusk.tus().header("Upload-Length", 3).header("Upload-Metadata", "filename " + b64("a.txt"))
        .post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    String path = URI.create(r.header("Location")).getPath();
    assertThat(path).isEqualTo("/files/project-7-a-txt");
    Response head = tusk.tus().head(path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.header("Upload-Metadata")).isEqualTo("project " + b64("7"));
    assertThat(tusk.patch(path, 0, "abc".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(204);
    assertThat(receiver.await(type("post-create")).uploadId()).isEqualTo("project-7-a-txt");
    assertThat(receiver.await(type("post-finish")).upload().path("MetaData").path("project").asText())
        .isEqualTo("7");
  }

  @Test
  @DisplayName("An unusable ChangeFileInfo.ID is a hook failure: 503 when failing closed, never a 500")
  void invalidId_failsClosed() throws Exception {
    tusk = HookedTusk.start(receiver.url(), c -> c);
    receiver.answer(h -> h.type().equals("pre-create")
        ? Reply.json("{\"ChangeFileInfo\": {\"ID\": \"../../etc/passwd\"}}") : Reply.OK);
    Response r = tusk.tus().header("Upload-Length", 3).post("/files/");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_HOOK_UNAVAILABLE");
    assertThat(r.header("Retry-After")).isNotNull();
  }

  @Test
  @DisplayName("An unusable ChangeFileInfo.ID is ignored when failing open; an id already taken counts as unusable")
  void invalidOrTakenId_failsOpen() throws Exception {
    tusk = HookedTusk.start(receiver.url(), c -> c.withFailOpen(true));
    receiver.answer(h -> h.type().equals("pre-create")
        ? Reply.json("{\"ChangeFileInfo\": {\"ID\": \"fixed-id-0001\"}}") : Reply.OK);
    assertThat(tusk.create(3)).isEqualTo("/files/fixed-id-0001");
    String second = tusk.create(3);
    assertThat(second).as("the taken id is not reused").isNotEqualTo("/files/fixed-id-0001")
        .matches("/files/[0-9a-f]{32}");
  }
}
